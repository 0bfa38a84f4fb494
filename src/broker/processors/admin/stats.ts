/**
 * Per-topic statistics: GET_TOPIC_STATS_INFO (202) and QUERY_CONSUME_TIME_SPAN (303). requests.md §6.
 */
import { ResponseCode } from '../../../protocol/codes.js';
import { decodeRequired } from '../../../protocol/header.js';
import { encodeJson } from '../../../protocol/body.js';
import {
  encodeTopicStatsTable,
  messageQueueToJson,
  type MessageQueue,
  type QueueTimeSpan,
  type TopicOffset,
} from '../../../protocol/admin.js';
import type { Processor } from '../../../remoting/server.js';
import type { AdminDeps } from './deps.js';
import { QueryConsumeTimeSpanRequestHeader, TopicOnlyHeader } from './headers.js';
import { fail, mq, nonNegative, ok } from './util.js';

function topicNotExist(topic: string) {
  return fail(ResponseCode.TOPIC_NOT_EXIST, `topic[${topic}] not exist`);
}

export function getTopicStatsInfo(deps: AdminDeps): Processor {
  return async (req) => {
    const { topic } = decodeRequired(TopicOnlyHeader, req.extFields);
    const tc = deps.topics.get(topic!);
    if (!tc) return topicNotExist(topic!);
    const offsetTable: [MessageQueue, TopicOffset][] = [];
    const queues = Math.max(tc.readQueueNums, tc.writeQueueNums);
    for (let i = 0; i < queues; i++) {
      const minOffset = nonNegative(await deps.store.minOffset(topic!, i));
      const maxOffset = nonNegative(await deps.store.maxOffset(topic!, i));
      // last update = store time of the newest message (0 for an empty queue)
      const lastUpdateTimestamp = maxOffset > 0 ? nonNegative(await deps.store.storeTime(topic!, i, maxOffset - 1)) : 0;
      offsetTable.push([mq(deps, topic!, i), { minOffset, maxOffset, lastUpdateTimestamp }]);
    }
    return ok(encodeTopicStatsTable({ offsetTable, topicPutTps: deps.stats.topicPutTps?.(topic!) ?? 0 }));
  };
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** UtilAll.formatDate(d, "yyyy-MM-dd#HH:mm:ss:SSS") in local time. */
export function formatTimeSpanDate(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}#${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}:${pad(d.getMilliseconds(), 3)}`;
}

/** QueueTimeSpan as fastjson writes it: fields plus the getter-only `*Str` properties. */
function timeSpanToJson(s: QueueTimeSpan): Record<string, unknown> {
  return {
    consumeTimeStamp: s.consumeTimeStamp,
    consumeTimeStampStr: formatTimeSpanDate(s.consumeTimeStamp),
    delayTime: s.delayTime,
    maxTimeStamp: s.maxTimeStamp,
    maxTimeStampStr: formatTimeSpanDate(s.maxTimeStamp),
    messageQueue: messageQueueToJson(s.messageQueue),
    minTimeStamp: s.minTimeStamp,
    minTimeStampStr: formatTimeSpanDate(s.minTimeStamp),
  };
}

export function queryConsumeTimeSpan(deps: AdminDeps): Processor {
  return async (req) => {
    const h = decodeRequired(QueryConsumeTimeSpanRequestHeader, req.extFields);
    const topic = h.topic!;
    const tc = deps.topics.get(topic);
    if (!tc) return topicNotExist(topic);
    const spans: QueueTimeSpan[] = [];
    for (let i = 0; i < tc.writeQueueNums; i++) {
      const minTimeStamp = await deps.store.earliestTime(topic, i);
      const max = await deps.store.maxOffset(topic, i);
      const maxTimeStamp = await deps.store.storeTime(topic, i, max - 1);
      const consumerOffset = deps.offsets.query(h.group!, topic, i);
      const consumeTimeStamp = consumerOffset > 0 ? await deps.store.storeTime(topic, i, consumerOffset - 1) : minTimeStamp;
      let delayTime = 0;
      if (consumerOffset < max) {
        // how long the next message to consume has been waiting
        const next = await deps.store.storeTime(topic, i, consumerOffset);
        delayTime = Date.now() - next;
      }
      spans.push({ messageQueue: mq(deps, topic, i), minTimeStamp, maxTimeStamp, consumeTimeStamp, delayTime });
    }
    return ok(encodeJson({ consumeTimeSpanSet: spans.map(timeSpanToJson) }));
  };
}
