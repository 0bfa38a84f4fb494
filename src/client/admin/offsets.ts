// Resetting a group's consume offsets on a topic: plan per queue (old offset from GET_CONSUME_STATS, new one
// from the queue's min/max or a timestamp search), then apply it. Applying asks the broker first
// (INVOKE_BROKER_TO_RESET_OFFSET, which also moves online consumers); when no consumer is online the
// offsets are written with UPDATE_CONSUMER_OFFSET, as mqadmin's resetOffsetByTime falls back to doing.
import { AdminError } from './errors.js';
import type { MQAdminCore } from './core.js';
import { ResponseCode } from '../../protocol/codes.js';

export type ResetTarget = { timestamp: number } | { to: 'earliest' | 'latest' };

export interface QueueReset {
  brokerName: string;
  queueId: number;
  oldOffset: number;
  newOffset: number;
}

export interface ResetPlan {
  group: string;
  topic: string;
  target: string;
  /** What INVOKE_BROKER_TO_RESET_OFFSET is given: -1 latest, 0 earliest, else the timestamp. */
  timestamp: number;
  queues: QueueReset[];
}

function describeTarget(t: ResetTarget): string {
  return 'to' in t ? t.to : `timestamp ${t.timestamp} (${new Date(t.timestamp).toISOString()})`;
}

export async function planOffsetReset(admin: MQAdminCore, group: string, topic: string, target: ResetTarget): Promise<ResetPlan> {
  const route = await admin.getTopicRoute(topic);
  const addrs = admin.routeBrokerAddrs(route);
  const queues: QueueReset[] = [];
  for (const qd of route.queueDatas) {
    const addr = addrs.get(qd.brokerName);
    if (!addr) continue;
    for (let q = 0; q < qd.readQueueNums; q++) {
      let next: number;
      if ('to' in target) {
        next = target.to === 'earliest' ? await admin.getMinOffset(addr, topic, q, qd.brokerName) : await admin.getMaxOffset(addr, topic, q, qd.brokerName);
      } else {
        next = await admin.searchOffset(addr, topic, q, target.timestamp, qd.brokerName);
      }
      // the committed offset itself (-1 when none): consume stats would report a missing one as 0
      const oldOffset = await admin.queryConsumerOffset(addr, group, topic, q);
      queues.push({ brokerName: qd.brokerName, queueId: q, oldOffset, newOffset: next });
    }
  }
  queues.sort((a, b) => (a.brokerName === b.brokerName ? a.queueId - b.queueId : a.brokerName < b.brokerName ? -1 : 1));
  const timestamp = 'to' in target ? (target.to === 'latest' ? -1 : 0) : target.timestamp;
  return { group, topic, target: describeTarget(target), timestamp, queues };
}

export interface ResetResult extends ResetPlan {
  /** 'broker': the broker reset it (and told online consumers); 'offsets': written queue by queue. */
  method: 'broker' | 'offsets';
}

export async function applyOffsetReset(admin: MQAdminCore, plan: ResetPlan): Promise<ResetResult> {
  const route = await admin.getTopicRoute(plan.topic);
  const addrs = admin.routeBrokerAddrs(route);
  const byBroker = new Map<string, QueueReset[]>();
  for (const q of plan.queues) byBroker.set(q.brokerName, [...(byBroker.get(q.brokerName) ?? []), q]);
  let method: ResetResult['method'] = 'offsets';
  for (const [brokerName, queues] of byBroker) {
    const addr = addrs.get(brokerName);
    if (!addr) throw new AdminError(`broker ${brokerName} no longer serves ${plan.topic}`);
    let online = false;
    try {
      online = (await admin.getConsumerConnectionOnBroker(addr, plan.group)) !== null;
    } catch (e) {
      if (!(e instanceof AdminError)) throw e;
    }
    if (online) {
      // one call per queue with the exact planned offset (5.x brokers honour queueId+offset)
      let ok = true;
      for (const q of queues) {
        try {
          if ((await admin.invokeBrokerToResetOffset(addr, plan.topic, plan.group, plan.timestamp, true, { queueId: q.queueId, offset: q.newOffset })) === null) ok = false;
        } catch (e) {
          if (!(e instanceof AdminError) || e.responseCode !== ResponseCode.REQUEST_CODE_NOT_SUPPORTED) throw e;
          ok = false;
        }
        if (!ok) break;
      }
      if (ok) {
        method = 'broker';
        continue;
      }
    }
    for (const q of queues) await admin.updateConsumerOffset(addr, plan.group, plan.topic, q.queueId, q.newOffset, brokerName);
  }
  return { ...plan, method };
}
