import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalFileOffsetStore } from '../../../src/client/consumer/local-offset-store.js';
import { ProcessQueue } from '../../../src/client/consumer/process-queue.js';
import { buildSubscriptionData, filterByTags } from '../../../src/client/consumer/subscription.js';
import { parseConsumeTimestamp } from '../../../src/client/consumer/types.js';
import { Limiter } from '../../../src/client/consumer/util.js';
import { buildClientId, resolveClientOptions } from '../../../src/client/config.js';
import type { MessageExt } from '../../../src/common/message.js';
import { parseDuration } from '../../../src/cli/commands/bench.js';

function msg(offset: number, tags?: string): MessageExt {
  return {
    topic: 'T', flag: 0, body: Buffer.from('x'), properties: tags ? { TAGS: tags } : {}, queueId: 0, storeSize: 0,
    queueOffset: offset, sysFlag: 0, bornTimestamp: 0, bornHost: '127.0.0.1:1', storeTimestamp: 0, storeHost: '127.0.0.1:2',
    msgId: '', commitLogOffset: 0, bodyCRC: 0, reconsumeTimes: 0, preparedTransactionOffset: 0, version: 1,
  };
}

describe('subscription', () => {
  it('parses tag expressions into tags and Java hash codes', () => {
    const s = buildSubscriptionData('T', 'TagA || TagB');
    expect(s.tagsSet).toEqual(['TagA', 'TagB']);
    // Java "TagA".hashCode() / "TagB".hashCode()
    expect(s.codeSet).toEqual([2598919, 2598920]);
    expect(buildSubscriptionData('T', '').subString).toBe('*');
    expect(buildSubscriptionData('T', '*').tagsSet).toEqual([]);
  });
  it('subscription versions increase', () => {
    const a = buildSubscriptionData('T', '*').subVersion;
    const b = buildSubscriptionData('T', '*').subVersion;
    expect(b).toBeGreaterThan(a);
  });
  it('keeps only exact tag matches (hash collisions and untagged messages dropped)', () => {
    const s = buildSubscriptionData('T', 'A || B');
    // "Aa" and "BB" have the same Java hash code
    const kept = filterByTags([msg(0, 'A'), msg(1, 'C'), msg(2), msg(3, 'B')], s).map((m) => m.queueOffset);
    expect(kept).toEqual([0, 3]);
    const coll = buildSubscriptionData('T', 'Aa');
    expect(filterByTags([msg(0, 'BB'), msg(1, 'Aa')], coll).map((m) => m.queueOffset)).toEqual([1]);
    expect(filterByTags([msg(0, 'X'), msg(1)], buildSubscriptionData('T', '*'))).toHaveLength(2);
  });
});

describe('process queue', () => {
  it('commits the smallest offset still cached (concurrent, out of order)', () => {
    const pq = new ProcessQueue();
    const ms = [10, 11, 12, 13].map((o) => msg(o));
    pq.putMessage(ms);
    expect(pq.msgCount).toBe(4);
    expect(pq.removeMessage([ms[2]])).toBe(10);
    expect(pq.removeMessage([ms[0]])).toBe(11);
    expect(pq.removeMessage([ms[1], ms[3]])).toBe(14);
    expect(pq.msgCount).toBe(0);
    expect(pq.removeMessage([ms[0]])).toBe(-1);
  });
  it('orderly take / commit / consume again keep offset order', () => {
    const pq = new ProcessQueue();
    pq.putMessage([5, 6, 7].map((o) => msg(o)));
    const a = pq.takeMessages(2);
    expect(a.map((m) => m.queueOffset)).toEqual([5, 6]);
    pq.makeMessageToConsumeAgain(a);
    expect(pq.takeMessages(3).map((m) => m.queueOffset)).toEqual([5, 6, 7]);
    expect(pq.commit()).toBe(8);
    expect(pq.msgCount).toBe(0);
  });
});

describe('local offset store', () => {
  it('writes OffsetSerializeWrapper JSON and reads it back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mqctl-los-'));
    try {
      const s = new LocalFileOffsetStore('1.2.3.4@x', 'G', dir);
      const mq = { topic: 'T', brokerName: 'b', queueId: 3 };
      s.updateOffset(mq, 7, false);
      s.updateOffset(mq, 5, true);
      await s.persistAll([mq]);
      const text = readFileSync(join(dir, '1.2.3.4@x', 'G', 'offsets.json'), 'utf8');
      expect(text).toContain('"offsetTable"');
      expect(text).toContain('"queueId":3');
      const again = new LocalFileOffsetStore('1.2.3.4@x', 'G', dir);
      await again.load();
      expect(await again.readOffset(mq, 'READ_FROM_STORE')).toBe(7);
      expect(await again.readOffset({ ...mq, queueId: 1 }, 'READ_FROM_STORE')).toBe(-1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('misc', () => {
  it('clientId is ip@instanceName, pid#nanos by default and unique per client', () => {
    const a = buildClientId(resolveClientOptions({ clientIP: '10.1.2.3' }));
    const b = buildClientId(resolveClientOptions({ clientIP: '10.1.2.3' }));
    expect(a).toMatch(new RegExp(`^10\\.1\\.2\\.3@${process.pid}#\\d+$`));
    expect(a).not.toBe(b);
    expect(buildClientId(resolveClientOptions({ clientIP: '10.1.2.3', instanceName: 'app', unitName: 'u' }))).toBe('10.1.2.3@app@u');
  });
  it('parses consume timestamps and bench durations', () => {
    expect(parseConsumeTimestamp('20240102030405')).toBe(new Date(2024, 0, 2, 3, 4, 5).getTime());
    expect(parseConsumeTimestamp(1234)).toBe(1234);
    expect(() => parseConsumeTimestamp('soon')).toThrow();
    expect(parseDuration('30s')).toBe(30000);
    expect(parseDuration('2m')).toBe(120000);
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('3')).toBe(3000);
  });
  it('the limiter bounds concurrency and idle() waits for every task', async () => {
    const l = new Limiter(2);
    let active = 0;
    let peak = 0;
    const done: number[] = [];
    for (let i = 0; i < 6; i++) {
      l.run(async () => {
        active++;
        peak = Math.max(peak, active);
        await new Promise((r) => setTimeout(r, 5));
        active--;
        done.push(i);
      }, () => undefined);
    }
    expect(await l.idle(5000)).toBe(true);
    expect(done).toHaveLength(6);
    expect(peak).toBe(2);
  });
});
