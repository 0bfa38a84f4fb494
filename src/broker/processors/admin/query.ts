/**
 * Message and queue lookups: VIEW_MESSAGE_BY_ID (33, by commitlog offset), QUERY_MESSAGE (12, by key or by
 * unique key through the index), QUERY_CONSUME_QUEUE (321, raw consume-queue units). requests.md §4, §6.
 */
import { ResponseCode } from '../../../protocol/codes.js';
import { decodeRequired } from '../../../protocol/header.js';
import { encodeQueryConsumeQueueResponseBody, type QueryConsumeQueueResponseBody } from '../../../protocol/admin.js';
import { UNIQUE_KEY_QUERY } from '../../../protocol/query.js';
import { RemotingCommand } from '../../../remoting/command.js';
import type { Processor } from '../../../remoting/server.js';
import type { AdminDeps } from './deps.js';
import { QueryConsumeQueueRequestHeader, QueryMessageRequestHeader, ViewMessageRequestHeader } from './headers.js';
import { fail, ok } from './util.js';

/** Most units one QUERY_CONSUME_QUEUE answers: keeps a huge `count` from building a body beyond the frame limit. */
export const MAX_QUERY_CQ_UNITS = 50_000;

/** Ext field a unique-key (msgId) query carries (MixAll.UNIQUE_MSG_QUERY_FLAG). */
export const UNIQUE_MSG_QUERY_FLAG = UNIQUE_KEY_QUERY;

function configNumber(deps: AdminDeps, key: string, def: number): number {
  const v = Number(deps.config.properties()[key]);
  return Number.isFinite(v) && v > 0 ? v : def;
}

export function viewMessageById(deps: AdminDeps): Processor {
  return async (req) => {
    const { offset } = decodeRequired(ViewMessageRequestHeader, req.extFields);
    const record = offset! >= 0 ? await deps.store.readRecord(offset!) : null;
    if (!record) return fail(ResponseCode.SYSTEM_ERROR, `can not find message by the offset, ${offset}`);
    return ok(record);
  };
}

export function queryMessage(deps: AdminDeps): Processor {
  return async (req) => {
    const h = decodeRequired(QueryMessageRequestHeader, req.extFields);
    let maxNum = h.maxNum!;
    if (req.field(UNIQUE_MSG_QUERY_FLAG) === 'true') maxNum = configNumber(deps, 'defaultQueryMaxNum', 32);
    maxNum = Math.min(maxNum, configNumber(deps, 'maxMsgsNumBatch', 64));
    const r = maxNum > 0
      ? await deps.store.queryByKey(h.topic!, h.key!, maxNum, h.beginTimestamp!, h.endTimestamp!)
      : { records: [], indexLastUpdateTimestamp: 0, indexLastUpdatePhyoffset: 0 };
    const fields = {
      indexLastUpdateTimestamp: r.indexLastUpdateTimestamp,
      indexLastUpdatePhyoffset: r.indexLastUpdatePhyoffset,
    };
    const body = Buffer.concat(r.records);
    if (body.length === 0) {
      return RemotingCommand.createResponse(ResponseCode.QUERY_NOT_FOUND, 'can not find message, maybe time range not correct', fields);
    }
    return ok(body, fields);
  };
}

export function queryConsumeQueue(deps: AdminDeps): Processor {
  return async (req) => {
    const h = QueryConsumeQueueRequestHeader.fromFields(req.extFields);
    const topic = h.topic ?? 'null';
    const queueId = h.queueId ?? 0;
    const index = h.index ?? 0;
    const count = Math.min(h.count ?? 0, MAX_QUERY_CQ_UNITS);
    const cq = h.topic === undefined ? null : await deps.store.consumeQueue(topic, queueId, index, Math.max(0, count));
    if (!cq) return fail(ResponseCode.SYSTEM_ERROR, `${queueId}@${topic} is not exist!`);
    const body: QueryConsumeQueueResponseBody = { maxQueueIndex: cq.maxOffset, minQueueIndex: cq.minOffset, queueData: [] };
    if (h.consumerGroup !== undefined) {
      const sub = deps.consumers.group(h.consumerGroup)?.subscriptions.find((s) => s.topic === topic);
      body.subscriptionData = sub;
      // tag subscriptions have no ConsumerFilterData: Java prints it as "null"
      body.filterData = sub ? 'null' : `${h.consumerGroup}@${topic} is not online!`;
    }
    if (index < cq.minOffset || index >= cq.maxOffset) {
      const r = ok();
      r.remark = `Index ${index} of ${queueId}@${topic} is not exist!`;
      return r;
    }
    body.queueData = cq.units
      .filter((u) => u.queueOffset - index < count)
      .map((u) => ({ physicOffset: u.phyOffset, physicSize: u.size, tagsCode: u.tagsCode, eval: false }));
    return ok(encodeQueryConsumeQueueResponseBody(body));
  };
}
