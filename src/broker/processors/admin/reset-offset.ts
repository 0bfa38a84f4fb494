/**
 * INVOKE_BROKER_TO_RESET_OFFSET (222) and INVOKE_BROKER_TO_GET_CONSUMER_STATUS (223): the broker computes
 * per-queue offsets (by timestamp, or max for −1), commits them, and pushes RESET_CONSUMER_CLIENT_OFFSET
 * (220, oneway) to every online client of the group; no client online → CONSUMER_NOT_ONLINE, as Apache's
 * Broker2Client.resetOffset. 223 asks each client with GET_CONSUMER_STATUS_FROM_CLIENT (221).
 * requests.md §4 (220–223).
 */
import { RequestCode, ResponseCode } from '../../../protocol/codes.js';
import { decodeRequired } from '../../../protocol/header.js';
import {
  decodeGetConsumerStatusBody,
  encodeGetConsumerStatusBody,
  encodeResetOffsetBody,
  encodeResetOffsetBodyForC,
  type MessageQueue,
} from '../../../protocol/admin.js';
import { RemotingCommand } from '../../../remoting/command.js';
import type { Processor } from '../../../remoting/server.js';
import type { AdminDeps } from './deps.js';
import { GetConsumerStatusRequestHeader, ResetOffsetRequestHeader } from './headers.js';
import { fail, isBlank, mq, ok } from './util.js';

/** MQVersion ordinal of V3_0_7_SNAPSHOT: older clients cannot reset offsets or report status. */
const MIN_VERSION_RESET = 28;
const STATUS_TIMEOUT_MS = 5000;

export function invokeBrokerToResetOffset(deps: AdminDeps): Processor {
  return async (req) => {
    const h = decodeRequired(ResetOffsetRequestHeader, req.extFields);
    const topic = h.topic!;
    const group = h.group!;
    const timestamp = h.timestamp ?? 0;
    const tc = deps.topics.get(topic);
    if (!tc) {
      return fail(ResponseCode.TOPIC_NOT_EXIST, `[reset-offset] reset offset failed, no topic in this broker. topic=${topic}`);
    }
    if (deps.isSlave()) return fail(ResponseCode.SYSTEM_ERROR, 'Can not reset offset in slave broker');

    const single = (h.queueId ?? -1) >= 0;
    const queueIds = single ? [h.queueId!] : Array.from({ length: tc.writeQueueNums }, (_, i) => i);
    const table: [MessageQueue, number][] = [];
    for (const q of queueIds) {
      const consumerOffset = deps.offsets.query(group, topic, q);
      if (consumerOffset === -1 && !single) {
        return fail(ResponseCode.SYSTEM_ERROR, `THe consumer group <${group}> not exist`);
      }
      let target: number;
      if (single && h.offset !== undefined && h.offset !== -1) {
        // an explicit offset for one queue (5.x resetOffsetByTime -q -o): must lie within the queue
        const min = await deps.store.minOffset(topic, q);
        const max = await deps.store.maxOffset(topic, q);
        if ((min >= 0 && h.offset < min) || h.offset > max + 1) {
          return fail(ResponseCode.SYSTEM_ERROR, `Target offset ${h.offset} not in consume queue range [${min}-${max}]`);
        }
        target = h.offset;
      } else {
        target = timestamp === -1 ? await deps.store.maxOffset(topic, q) : await deps.store.offsetByTime(topic, q, timestamp);
        if (target < 0) target = 0;
        // without force, only move backwards in time
        if (!(h.isForce || single || target < consumerOffset)) target = consumerOffset;
      }
      table.push([mq(deps, topic, q), target]);
    }

    const info = deps.consumers.group(group);
    if (!info || info.clients.length === 0) {
      return fail(ResponseCode.CONSUMER_NOT_ONLINE,
        `Consumer not online, so can not reset offset, Group: ${group} Topic: ${topic} Timestamp: ${timestamp}`);
    }
    const old = info.clients.find((c) => c.version < MIN_VERSION_RESET);
    if (old) return fail(ResponseCode.SYSTEM_ERROR, `the client does not support this feature. version=${old.version}`);

    for (const [queue, offset] of table) deps.offsets.commit(group, topic, queue.queueId, offset);

    const body = req.language === 'CPP' ? encodeResetOffsetBodyForC({ offsetTable: table }) : encodeResetOffsetBody({ offsetTable: table });
    for (const c of info.clients) {
      // one request object per client: the opaque must be unique on each connection
      const push = RemotingCommand.createRequest(
        RequestCode.RESET_CONSUMER_CLIENT_OFFSET,
        { topic, group, timestamp, isForce: false, queueId: -1 },
        body,
      );
      c.channel.invokeOneway(push.markOneway());
      deps.logger.info(`[reset-offset] pushed reset of ${topic}@${group} to ${c.clientId}`);
    }
    return ok(encodeResetOffsetBody({ offsetTable: table }));
  };
}

export function invokeBrokerToGetConsumerStatus(deps: AdminDeps): Processor {
  return async (req) => {
    const h = decodeRequired(GetConsumerStatusRequestHeader, req.extFields);
    const group = h.group!;
    const clients = deps.consumers.group(group)?.clients ?? [];
    if (clients.length === 0) return fail(ResponseCode.SYSTEM_ERROR, `No Any Consumer online in the consumer group: [${group}]`);
    const consumerTable: Record<string, [MessageQueue, number][]> = {};
    for (const c of clients) {
      if (c.version < MIN_VERSION_RESET) {
        return fail(ResponseCode.SYSTEM_ERROR, `the client does not support this feature. version=${c.version}`);
      }
      if (!isBlank(h.clientAddr) && h.clientAddr !== c.clientId) continue;
      try {
        const ask = RemotingCommand.createRequest(RequestCode.GET_CONSUMER_STATUS_FROM_CLIENT, { topic: h.topic, group });
        const resp = await c.channel.invoke(ask, STATUS_TIMEOUT_MS);
        if (resp.code === ResponseCode.SUCCESS && resp.body) {
          consumerTable[c.clientId] = decodeGetConsumerStatusBody(resp.body).messageQueueTable;
        }
      } catch (e) {
        deps.logger.warn(`[get-consumer-status] ${c.clientId} of ${group}: ${e instanceof Error ? e.message : String(e)}`);
      }
      if (!isBlank(h.clientAddr)) break;
    }
    return ok(encodeGetConsumerStatusBody({ consumerTable, messageQueueTable: [] }));
  };
}
