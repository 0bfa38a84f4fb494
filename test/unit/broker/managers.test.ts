import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { loadBrokerConfig } from '../../../src/broker/config.js';
import { ConsumerOffsetManager } from '../../../src/broker/consumer-offset-manager.js';
import { SubscriptionGroupManager } from '../../../src/broker/subscription-group-manager.js';
import { TopicConfigManager } from '../../../src/broker/topic-config-manager.js';
import { ConsumerManager } from '../../../src/broker/client/consumer-manager.js';
import { ProducerManager } from '../../../src/broker/client/producer-manager.js';
import { PullHoldService } from '../../../src/broker/longpoll/pull-hold.js';
import { silentLogger } from '../../../src/common/logger.js';
import type { Channel } from '../../../src/remoting/server.js';

function cfgIn(dir: string, extra: Record<string, string | number | boolean> = {}) {
  return loadBrokerConfig({ env: {}, overrides: { storePathRootDir: dir, brokerName: 'broker-u', brokerIP1: '127.0.0.1', ...extra } });
}

function fakeChannel(id: string): Channel & { closedByServer: boolean } {
  const ch = new EventEmitter() as Channel & { closedByServer: boolean };
  Object.assign(ch, { id, remoteAddr: `127.0.0.1:${id}`, localAddr: '127.0.0.1:1', closed: false, closedByServer: false,
    invoke: async () => { throw new Error('no'); }, invokeOneway: () => undefined, close() { ch.closedByServer = true; } });
  return ch;
}

describe('TopicConfigManager', () => {
  it('creates start-up topics and auto-creates from TBW102 with perm minus inherit, capped queues', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mqctl-tcm-'));
    const tcm = new TopicConfigManager(cfgIn(dir), silentLogger);
    tcm.load();
    expect(tcm.get('TBW102')).toMatchObject({ perm: 7, readQueueNums: 8, writeQueueNums: 8 });
    expect(tcm.get('DefaultCluster')?.perm).toBe(7);
    expect(tcm.get('broker-u')?.readQueueNums).toBe(1);
    expect(tcm.get('SCHEDULE_TOPIC_XXXX')?.readQueueNums).toBe(18);
    let changes = 0;
    tcm.onChange(() => changes++);
    const before = tcm.dataVersion.counter;
    const t = tcm.createFromTemplate('NewTopic', 'TBW102', 64, 0);
    expect(t).toMatchObject({ topicName: 'NewTopic', readQueueNums: 8, writeQueueNums: 8, perm: 6 });
    expect(tcm.createFromTemplate('Other', 'NewTopic', 4, 0)).toBeUndefined(); // no inherit bit
    expect(changes).toBe(1);
    expect(tcm.dataVersion.counter).toBe(before + 1);
    const text = readFileSync(path.join(dir, 'config', 'topics.json'), 'utf8');
    expect(text).toContain('\t"topicConfigTable":{');
    expect(text).toContain('"topicName":"NewTopic"');
    const again = new TopicConfigManager(cfgIn(dir), silentLogger);
    again.load();
    expect(again.get('NewTopic')?.perm).toBe(6);
    expect(again.dataVersion.counter).toBe(tcm.dataVersion.counter);
  });

  it('treats TBW102 as non-inheritable when autoCreateTopicEnable is off', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mqctl-tcm-'));
    const tcm = new TopicConfigManager(cfgIn(dir, { autoCreateTopicEnable: false }), silentLogger);
    tcm.load();
    expect(tcm.get('TBW102')).toBeUndefined();
    expect(tcm.createFromTemplate('X', 'TBW102', 4, 0)).toBeUndefined();
  });

  it('falls back to topics.json.bak when the file is corrupt', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mqctl-tcm-'));
    const tcm = new TopicConfigManager(cfgIn(dir), silentLogger);
    tcm.load();
    tcm.createWithoutTemplate('KeepMe', 2, 6);
    tcm.createWithoutTemplate('KeepMe2', 2, 6); // previous file (with KeepMe) becomes the .bak
    writeFileSync(path.join(dir, 'config', 'topics.json'), '{ broken');
    const again = new TopicConfigManager(cfgIn(dir), silentLogger);
    again.load();
    expect(again.get('KeepMe')?.readQueueNums).toBe(2);
  });
});

describe('ConsumerOffsetManager', () => {
  it('persists Apache consumerOffset.json with unquoted queue ids and reloads it', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mqctl-com-'));
    const m = new ConsumerOffsetManager(dir, silentLogger);
    m.commit('G1', 'T1', 1, 7);
    m.commit('G1', 'T1', 0, 5);
    m.commit('G2', 'T1', 0, 1);
    expect(m.query('G1', 'T1', 0)).toBe(5);
    expect(m.query('G1', 'T1', 9)).toBe(-1);
    expect(m.groupsOfTopic('T1').sort()).toEqual(['G1', 'G2']);
    m.persist();
    const text = readFileSync(path.join(dir, 'config', 'consumerOffset.json'), 'utf8');
    expect(text).toContain('"T1@G1":{0:5,1:7');
    expect(m.encode(false)).toContain('"offsetTable":{"T1@G1":{0:5,1:7},"T1@G2":{0:1}}');
    const again = new ConsumerOffsetManager(dir, silentLogger);
    again.load();
    expect(again.query('G1', 'T1', 1)).toBe(7);
    again.removeGroup('G1');
    expect(again.query('G1', 'T1', 1)).toBe(-1);
    expect(again.query('G2', 'T1', 0)).toBe(1);
  });
});

describe('SubscriptionGroupManager', () => {
  it('auto-creates valid groups only when enabled', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mqctl-sgm-'));
    const on = new SubscriptionGroupManager(cfgIn(dir), silentLogger);
    on.load();
    expect(on.findOrCreate('CG1')).toMatchObject({ groupName: 'CG1', retryMaxTimes: 16, retryQueueNums: 1 });
    expect(on.findOrCreate('bad group')).toBeUndefined();
    expect(readFileSync(path.join(dir, 'config', 'subscriptionGroup.json'), 'utf8')).toContain('"groupName":"CG1"');
    const off = new SubscriptionGroupManager(cfgIn(mkdtempSync(path.join(tmpdir(), 'mqctl-sgm-')), { autoCreateSubscriptionGroup: false }), silentLogger);
    off.load();
    expect(off.findOrCreate('CG1')).toBeUndefined();
  });
});

describe('client tables', () => {
  const sub = (topic: string, v = 1) => ({ topic, subString: '*', tagsSet: [], codeSet: [], subVersion: v, expressionType: 'TAG', classFilterMode: false });

  it('reports membership and subscription changes, not plain heartbeats', () => {
    const cm = new ConsumerManager(silentLogger);
    const events: string[] = [];
    cm.onChange((e, g) => events.push(`${e}:${g}`));
    const a = fakeChannel('1');
    const b = fakeChannel('2');
    const reg = (ch: Channel, id: string, subs = [sub('T')]) => cm.register({ group: 'G', info: { channel: ch, clientId: id, language: 'JAVA', version: 1, lastUpdate: Date.now() }, consumeType: 'CONSUME_PASSIVELY', messageModel: 'CLUSTERING', consumeFromWhere: 'CONSUME_FROM_LAST_OFFSET', subscriptions: subs, notify: true });
    expect(reg(a, 'c1')).toBe(true);
    expect(reg(a, 'c1')).toBe(false);
    expect(reg(b, 'c2')).toBe(true);
    expect(cm.clientIds('G')).toEqual(['c1', 'c2']);
    expect(reg(b, 'c2', [sub('T'), sub('U')])).toBe(true);
    cm.channelClosed(a, () => true);
    expect(cm.clientIds('G')).toEqual(['c2']);
    expect(events.filter((e) => e === 'CHANGE:G')).toHaveLength(4);
    cm.scanNotActive(1000, () => true, Date.now() + 5000);
    expect((b as unknown as { closedByServer: boolean }).closedByServer).toBe(true);
    expect(cm.get('G')).toBeUndefined();
    expect(events.at(-1)).toBe('UNREGISTER:G');
  });

  it('keeps producer channels per group', () => {
    const pm = new ProducerManager(silentLogger);
    const a = fakeChannel('1');
    pm.register('PG', { channel: a, clientId: 'p1', language: 'JAVA', version: 1, lastUpdate: Date.now() });
    expect(pm.availableChannel('PG')).toBe(a);
    expect(pm.findChannel('p1')).toBe(a);
    pm.channelClosed(a);
    expect(pm.availableChannel('PG')).toBeUndefined();
  });
});

describe('PullHoldService', () => {
  it('wakes a held pull when a matching message arrives, not for a non-matching one', async () => {
    let max = 5;
    const svc = new PullHoldService(() => max, silentLogger, 60000);
    const p = svc.hold({ topic: 'T', queueId: 0, offset: 5, timeoutMs: 10000, matches: (code) => code === 42 });
    expect(svc.size()).toBe(1);
    svc.notifyMessageArriving('T', 0, 6, 7, {});
    expect(svc.size()).toBe(1);
    max = 7;
    svc.notifyMessageArriving('T', 0, 7, 42, {});
    expect(await p).toBe('arrived');
    expect(svc.size()).toBe(0);
    svc.shutdown();
  });

  it('holds a pull asking for more than a timer can count instead of answering at once', async () => {
    const svc = new PullHoldService(() => 0, silentLogger, 60000);
    let done = false;
    const p = svc.hold({ topic: 'T', queueId: 2, offset: 0, timeoutMs: 1e15, matches: () => true }).then((r) => {
      done = true;
      return r;
    });
    await new Promise((r) => setTimeout(r, 30));
    expect(done).toBe(false);
    svc.shutdown();
    expect(await p).toBe('shutdown');
  });

  it('times out, and releases everything at shutdown', async () => {
    const svc = new PullHoldService(() => 0, silentLogger, 60000);
    expect(await svc.hold({ topic: 'T', queueId: 0, offset: 0, timeoutMs: 20, matches: () => true })).toBe('timeout');
    const held = svc.hold({ topic: 'T', queueId: 1, offset: 0, timeoutMs: 10000, matches: () => true });
    svc.shutdown();
    expect(await held).toBe('shutdown');
  });
});
