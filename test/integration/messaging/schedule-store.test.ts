import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { MessageExtBrokerInner } from '../../../src/common/message.js';
import { MessageStore } from '../../../src/store/message-store.js';
import { readQueue as readAll } from '../../helpers/store.js';
import { DelayLevels } from '../../../src/broker/schedule/delay-levels.js';
import { parseDelayOffsetJson } from '../../../src/broker/schedule/delay-offset-table.js';
import { ScheduleMessageService } from '../../../src/broker/schedule/schedule-message-service.js';
import {
  applyScheduleRewrites, TIMER_OUT_MS, TIMER_TOPIC, transformDelayLevelMessage, transformTimerMessage,
} from '../../../src/broker/schedule/schedule-rewrite.js';
import { TimerWheelService } from '../../../src/broker/schedule/timer-wheel-service.js';

const dirs: string[] = [];
const stores: MessageStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.shutdown().catch(() => undefined);
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function tmp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'mqctl-sched-'));
  dirs.push(d);
  return d;
}

async function openStore(root: string): Promise<MessageStore> {
  const s = await MessageStore.open({ storePathRootDir: root, mappedFileSizeCommitLog: 4 * 1024 * 1024 }, { messageDelayLevel: '1s 2s' });
  stores.push(s);
  return s;
}

function msg(topic: string, props: Record<string, string>, body = 'x'): MessageExtBrokerInner {
  return {
    topic, queueId: 3, flag: 0, body: Buffer.from(body), properties: { ...props }, sysFlag: 0,
    bornTimestamp: Date.now(), bornHost: '127.0.0.1:5000', storeHost: '127.0.0.1:10911', reconsumeTimes: 0,
    preparedTransactionOffset: 0,
  };
}


async function waitFor(pred: () => Promise<boolean> | boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await pred()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('timed out');
}

const timerCfg = { timerWheelEnable: true, timerMaxDelaySec: 259200, timerPrecisionMs: 1000 };

describe('schedule rewrites', () => {
  const levels = new DelayLevels();
  it('DELAY level moves to SCHEDULE_TOPIC_XXXX level-1 and caps the level', () => {
    const m = msg('T', { DELAY: '2', TAGS: 'a' });
    expect(transformDelayLevelMessage(m, levels)).toBe(true);
    expect(m.topic).toBe('SCHEDULE_TOPIC_XXXX');
    expect(m.queueId).toBe(1);
    expect(m.properties.REAL_TOPIC).toBe('T');
    expect(m.properties.REAL_QID).toBe('3');
    const big = msg('T', { DELAY: '40' });
    transformDelayLevelMessage(big, levels);
    expect(big.queueId).toBe(17);
    expect(big.properties.DELAY).toBe('18');
    const none = msg('T', { DELAY: '0' });
    expect(transformDelayLevelMessage(none, levels)).toBe(false);
    const half = { ...msg('T', { DELAY: '2' }), sysFlag: 0x4 };
    expect(transformDelayLevelMessage(half, levels)).toBe(false);
  });

  it('TIMER_DELAY_SEC rounds down to the precision and records TIMER_OUT_MS', () => {
    const now = 1_700_000_000_500;
    const m = msg('T', { TIMER_DELAY_SEC: '3' });
    const r = transformTimerMessage(m, timerCfg, now);
    expect(r).toEqual({ kind: 'timer', deliverMs: 1_700_000_003_000 });
    expect(m.topic).toBe(TIMER_TOPIC);
    expect(m.queueId).toBe(0);
    expect(m.properties[TIMER_OUT_MS]).toBe('1700000003000');
    const exact = msg('T', { TIMER_DELIVER_MS: '1700000005000' });
    transformTimerMessage(exact, timerCfg, now);
    expect(exact.properties[TIMER_OUT_MS]).toBe('1700000004000');
  });

  it('timer errors and precedence', () => {
    const now = 1_700_000_000_000;
    expect(transformTimerMessage(msg('T', { TIMER_DELAY_SEC: '300000' }), timerCfg, now)).toMatchObject({ kind: 'error', code: 13 });
    expect(transformTimerMessage(msg('T', { TIMER_DELAY_MS: 'abc' }), timerCfg, now)).toMatchObject({ kind: 'error', code: 13 });
    expect(transformTimerMessage(msg('T', { TIMER_DELAY_MS: '5000' }), { ...timerCfg, timerWheelEnable: false }, now))
      .toMatchObject({ kind: 'error', code: 1 });
    const past = msg('T', { TIMER_DELIVER_MS: String(now - 1) });
    expect(transformTimerMessage(past, timerCfg, now)).toEqual({ kind: 'none' });
    expect(past.topic).toBe('T');
    const both = msg('T', { DELAY: '1', TIMER_DELAY_SEC: '10' });
    expect(applyScheduleRewrites(both, new DelayLevels(), timerCfg, now)).toBeNull();
    expect(both.topic).toBe('SCHEDULE_TOPIC_XXXX');
    expect(both.properties.TIMER_DELAY_SEC).toBeUndefined();
  });
});

describe('ScheduleMessageService over a real store', () => {
  it('delivers no earlier than the level delay, persists progress and does not redeliver after restart', async () => {
    const root = tmp();
    let store = await openStore(root);
    const levels = new DelayLevels('1s 2s');
    for (let i = 0; i < 3; i++) {
      const m = msg('RealT', { DELAY: String(1 + (i % 2)), KEYS: `k${i}` }, `b${i}`);
      transformDelayLevelMessage(m, levels);
      const r = await store.putMessage(m);
      expect(r.status).toBe('PUT_OK');
    }
    let svc = new ScheduleMessageService(store, { storePathRootDir: root, messageDelayLevel: '1s 2s', firstDelayMs: 0 });
    svc.load();
    svc.start();
    await waitFor(async () => (await readAll(store, 'RealT', 3)).length === 3, 5000);
    const got = await readAll(store, 'RealT', 3);
    for (const g of got) {
      expect(g.properties.DELAY).toBeUndefined();
      expect(g.properties.REAL_TOPIC).toBe('RealT');
      expect(g.properties.WAIT).toBe('false');
      const level = g.body.toString() === 'b1' ? 2 : 1;
      // The re-put happens no earlier than the parked copy's store time + the level delay.
      const parked = (await readAll(store, 'SCHEDULE_TOPIC_XXXX', level - 1)).find((p) => p.properties.KEYS === g.properties.KEYS)!;
      expect(g.storeTimestamp).toBeGreaterThanOrEqual(parked.storeTimestamp + level * 1000);
    }
    await svc.stop();
    const saved = parseDelayOffsetJson(fs.readFileSync(path.join(root, 'config', 'delayOffset.json'), 'utf8'));
    expect(saved.offsets.get(1)).toBe(2);
    expect(saved.offsets.get(2)).toBe(1);
    expect(fs.readFileSync(path.join(root, 'config', 'delayOffset.json'), 'utf8')).toMatch(/"offsetTable":\{1:2,2:1/);

    await store.shutdown();
    stores.length = 0;
    store = await openStore(root);
    svc = new ScheduleMessageService(store, { storePathRootDir: root, messageDelayLevel: '1s 2s', firstDelayMs: 0 });
    svc.load();
    expect(svc.offsets.encode()).toMatch(/"offsetTable":\{1:2,2:1\}/);
    svc.start();
    await new Promise((r) => setTimeout(r, 400));
    await svc.stop();
    expect((await readAll(store, 'RealT', 3)).length).toBe(3);
  });
});

describe('TimerWheelService over a real store', () => {
  it('delivers at the slot end, never early, and survives a restart without loss or duplicates', async () => {
    const root = tmp();
    let store = await openStore(root);
    const base = Date.now();
    const put = async (delayMs: number, key: string) => {
      const m = msg('TimerT', { TIMER_DELAY_MS: String(delayMs), KEYS: key });
      const r = transformTimerMessage(m, timerCfg, Date.now());
      expect(r.kind).toBe('timer');
      expect((await store.putMessage(m)).status).toBe('PUT_OK');
      return Number(m.properties[TIMER_OUT_MS]);
    };
    const slotA = await put(1200, 'a');
    const slotB = await put(3500, 'b');
    let svc = new TimerWheelService(store, { storePathRootDir: root, pollIntervalMs: 50 });
    svc.start();
    await waitFor(async () => (await readAll(store, 'TimerT', 3)).length === 1, 4000);
    const first = (await readAll(store, 'TimerT', 3))[0];
    expect(first.properties.KEYS).toBe('a');
    expect(first.storeTimestamp).toBeGreaterThanOrEqual(slotA + 1000);
    expect(first.storeTimestamp).toBeGreaterThanOrEqual(base + 1200);
    expect(first.properties.REAL_TOPIC).toBeUndefined();
    await svc.stop();
    await store.shutdown();
    stores.length = 0;

    store = await openStore(root);
    svc = new TimerWheelService(store, { storePathRootDir: root, pollIntervalMs: 50 });
    svc.start();
    await waitFor(async () => (await readAll(store, 'TimerT', 3)).length === 2, 8000);
    await new Promise((r) => setTimeout(r, 200));
    await svc.stop();
    const all = await readAll(store, 'TimerT', 3);
    expect(all.map((m) => m.properties.KEYS)).toEqual(['a', 'b']);
    expect(all[1].storeTimestamp).toBeGreaterThanOrEqual(slotB + 1000);
  }, 20000);
});
