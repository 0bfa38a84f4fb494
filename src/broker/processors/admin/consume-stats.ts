/**
 * Consumer progress: GET_CONSUME_STATS (208) for one group, GET_BROKER_CONSUME_STATS (317) for every group.
 * requests.md §6 (brokerOffset = max offset, consumerOffset −1 → 0, lastTimestamp = store time of
 * consumerOffset−1; topics not subscribed by an online group are dropped).
 */
import { javaDouble } from '../../../common/fastjson.js';
import { decodeRequired } from '../../../protocol/header.js';
import { encodeJson } from '../../../protocol/body.js';
import {
  encodeConsumeStats,
  messageQueueToJson,
  type ConsumeStats,
  type MessageQueue,
  type OffsetWrapper,
} from '../../../protocol/admin.js';
import type { Processor } from '../../../remoting/server.js';
import type { AdminDeps } from './deps.js';
import { GetConsumeStatsInBrokerHeader, GetConsumeStatsRequestHeader } from './headers.js';
import { isBlank, mq, nonNegative, ok } from './util.js';

/** Whether an online group with subscriptions lacks this topic (Apache skips such topics). */
function notSubscribed(deps: AdminDeps, group: string, topic: string): boolean {
  const info = deps.consumers.group(group);
  const subs = info?.subscriptions ?? [];
  return subs.length > 0 && !subs.some((s) => s.topic === topic);
}

/** Offsets of one group on one topic's queues [0, queueCount). */
async function topicOffsets(deps: AdminDeps, group: string, topic: string, queueCount: number,
  withPullOffset: boolean): Promise<[MessageQueue, OffsetWrapper][]> {
  const out: [MessageQueue, OffsetWrapper][] = [];
  for (let i = 0; i < queueCount; i++) {
    const brokerOffset = nonNegative(await deps.store.maxOffset(topic, i));
    const consumerOffset = nonNegative(deps.offsets.query(group, topic, i));
    const pullOffset = withPullOffset ? Math.max(consumerOffset, deps.offsets.pullOffset(group, topic, i)) : 0;
    let lastTimestamp = 0;
    if (consumerOffset - 1 >= 0) {
      const t = await deps.store.storeTime(topic, i, consumerOffset - 1);
      if (t > 0) lastTimestamp = t;
    }
    out.push([mq(deps, topic, i), { brokerOffset, consumerOffset, pullOffset, lastTimestamp }]);
  }
  return out;
}

export function getConsumeStats(deps: AdminDeps): Processor {
  return async (req) => {
    const h = decodeRequired(GetConsumeStatsRequestHeader, req.extFields);
    const group = h.consumerGroup!;
    const listed = (h.topicList ?? '').split(';').map((s) => s.trim()).filter((s) => s.length > 0);
    let topics: string[];
    if (listed.length > 0) {
      // an explicit list skips the subscription check
      topics = [...new Set(listed)];
    } else {
      topics = isBlank(h.topic) ? deps.offsets.topicsOf(group) : [h.topic!];
      topics = topics.filter((t) => !notSubscribed(deps, group, t));
    }
    const stats: ConsumeStats = { offsetTable: [], consumeTps: 0 };
    for (const topic of topics) {
      const tc = deps.topics.get(topic);
      if (!tc) continue;
      stats.offsetTable.push(...(await topicOffsets(deps, group, topic, tc.readQueueNums, true)));
      stats.consumeTps += deps.stats.groupGetTps?.(group, topic) ?? 0;
    }
    return ok(encodeConsumeStats(stats));
  };
}

function consumeStatsToJson(s: ConsumeStats): Record<string, unknown> {
  const table = new Map<Record<string, unknown>, unknown>();
  for (const [q, o] of s.offsetTable) {
    table.set(messageQueueToJson(q), {
      brokerOffset: o.brokerOffset,
      consumerOffset: o.consumerOffset,
      lastTimestamp: o.lastTimestamp,
      pullOffset: o.pullOffset,
    });
  }
  return { consumeTps: javaDouble(s.consumeTps), offsetTable: table };
}

export function getBrokerConsumeStats(deps: AdminDeps): Processor {
  return async (req) => {
    const { isOrder } = decodeRequired(GetConsumeStatsInBrokerHeader, req.extFields);
    const list: Record<string, unknown>[] = [];
    let totalDiff = 0;
    for (const group of Object.keys(deps.groups.table())) {
      const perGroup: Record<string, unknown>[] = [];
      for (const topic of deps.offsets.topicsOf(group)) {
        const tc = deps.topics.get(topic);
        if (!tc) continue;
        if (isOrder && !tc.order) continue;
        if (notSubscribed(deps, group, topic)) continue;
        const stats: ConsumeStats = {
          offsetTable: await topicOffsets(deps, group, topic, tc.writeQueueNums, false),
          consumeTps: deps.stats.groupGetTps?.(group, topic) ?? 0,
        };
        for (const [, o] of stats.offsetTable) totalDiff += o.brokerOffset - o.consumerOffset;
        perGroup.push(consumeStatsToJson(stats));
      }
      list.push({ [group]: perGroup });
    }
    return ok(encodeJson({ brokerAddr: deps.brokerAddr, consumeStatsList: list, totalDiff, totalInflightDiff: 0 }));
  };
}
