// Key order of mqadmin getNamesrvConfig / getBrokerConfig, captured from Apache mqadmin 5.3.3 on Java 17
// (fixtures/*.txt, one key per line as printed): the servers send the keys sorted, mqadmin loads them into a
// Properties and prints its iteration order.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { javaPropertiesOrder, javaStringHash } from '../../../src/cli/commands/admin/java-order.js';

const keys = (f: string): string[] =>
  readFileSync(new URL(`./fixtures/${f}`, import.meta.url), 'utf8')
    .split('\n')
    .filter((l) => l.length > 0);

describe('java.util.Properties iteration order', () => {
  it('String.hashCode', () => {
    expect(javaStringHash('')).toBe(0);
    expect(javaStringHash('a')).toBe(97);
    expect(javaStringHash('hello')).toBe(99162322);
    expect(javaStringHash('polygenelubricants')).toBe(-2147483648);
  });
  for (const f of ['mqadmin-getNamesrvConfig-keys.txt', 'mqadmin-getBrokerConfig-keys.txt']) {
    it(`reproduces ${f}`, () => {
      const javaOrder = keys(f);
      expect(javaOrder.length).toBeGreaterThan(20);
      const sorted = [...javaOrder].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      expect(sorted).not.toEqual(javaOrder);
      expect(javaPropertiesOrder(sorted)).toEqual(javaOrder);
    });
  }
});

describe('java.util.HashSet / HashMap order', () => {
  it('MessageQueue HashSet order as mqadmin walks it (captured: queues 3, 1, 2, 0 of AdminT1 on broker-a)', async () => {
    const { javaHashOrder, javaMessageQueueHash } = await import('../../../src/cli/commands/admin/java-order.js');
    const mqs = [0, 1, 2, 3].map((queueId) => ({ topic: 'AdminT1', brokerName: 'broker-a', queueId }));
    expect(javaHashOrder(mqs, javaMessageQueueHash).map((m) => m.queueId)).toEqual([3, 1, 2, 0]);
  });
  it('message properties HashMap(128) order (captured from mqadmin queryMsgByOffset)', async () => {
    const { javaHashMapOrder } = await import('../../../src/cli/commands/admin/java-order.js');
    const inserted = ['UNIQ_KEY', 'WAIT', 'KEYS', 'TAGS', 'MSG_REGION', 'TRACE_ON', 'CLUSTER', 'MIN_OFFSET', 'MAX_OFFSET'];
    expect(javaHashMapOrder(inserted)).toEqual(['MSG_REGION', 'UNIQ_KEY', 'CLUSTER', 'MIN_OFFSET', 'TAGS', 'KEYS', 'WAIT', 'TRACE_ON', 'MAX_OFFSET']);
  });
});
