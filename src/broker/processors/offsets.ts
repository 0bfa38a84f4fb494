/**
 * Consumer offsets and queue offsets (requests.md §4): QUERY_CONSUMER_OFFSET, UPDATE_CONSUMER_OFFSET,
 * GET_ALL_CONSUMER_OFFSET, GET_MAX_OFFSET, GET_MIN_OFFSET, GET_EARLIEST_MSG_STORETIME, SEARCH_OFFSET_BY_TIMESTAMP.
 */
import { RequestCode, ResponseCode } from '../../protocol/codes.js';
import type { HeaderCodec } from '../../protocol/header.js';
import {
  GetEarliestMsgStoretimeRequestHeader,
  GetMaxOffsetRequestHeader,
  GetMinOffsetRequestHeader,
  QueryConsumerOffsetRequestHeader,
  SearchOffsetRequestHeader,
  UpdateConsumerOffsetRequestHeader,
  parseBoundaryType,
} from '../../protocol/offset.js';
import { RemotingCommand } from '../../remoting/command.js';
import type { RemotingServer } from '../../remoting/server.js';
import type { BrokerContext } from '../context.js';

/** Decode with required fields enforced; a RemotingCommand error response when something is missing. */
export function decodeOrFail<T extends object>(codec: HeaderCodec<T>, req: RemotingCommand): T | RemotingCommand {
  let h: T;
  try {
    h = codec.fromFields(req.extFields);
  } catch (e) {
    return RemotingCommand.createResponse(ResponseCode.SYSTEM_ERROR, (e as Error).message);
  }
  const missing = codec.missingRequired(h);
  if (missing.length > 0) return RemotingCommand.createResponse(ResponseCode.SYSTEM_ERROR, `the custom field <${missing[0]}> is null`);
  return h;
}

export function registerOffsetProcessors(server: RemotingServer, ctx: BrokerContext): void {
  server.registerProcessor(RequestCode.QUERY_CONSUMER_OFFSET, (req) => {
    const h = decodeOrFail(QueryConsumerOffsetRequestHeader, req);
    if (h instanceof RemotingCommand) return h;
    const group = h.consumerGroup as string;
    const topic = h.topic as string;
    const queueId = h.queueId as number;
    const off = ctx.offsets.query(group, topic, queueId);
    if (off >= 0) return RemotingCommand.createResponse(ResponseCode.SUCCESS, undefined, { offset: off });
    const notFound = (): RemotingCommand =>
      RemotingCommand.createResponse(ResponseCode.QUERY_NOT_FOUND, 'Not found, V3_0_6_SNAPSHOT maybe this group consumer boot first');
    if (h.setZeroIfNotFound === false) return notFound();
    // a queue that still holds its first message: the new group may start from 0 (Apache's in-memory check)
    const min = ctx.store.getMinOffsetInQueue(topic, queueId);
    if (min <= 0) return RemotingCommand.createResponse(ResponseCode.SUCCESS, undefined, { offset: 0 });
    return notFound();
  });

  server.registerProcessor(RequestCode.UPDATE_CONSUMER_OFFSET, (req) => {
    const h = decodeOrFail(UpdateConsumerOffsetRequestHeader, req);
    if (h instanceof RemotingCommand) return h;
    const group = h.consumerGroup as string;
    const topic = h.topic as string;
    // Apache 5.3.x: an existing group only (no auto-creation here: a consumer's heartbeat or pull creates it)
    if (!ctx.groups.get(group)) return RemotingCommand.createResponse(ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST, `Group ${group} not exist!`);
    if (!ctx.topics.has(topic)) return RemotingCommand.createResponse(ResponseCode.TOPIC_NOT_EXIST, `Topic ${topic} not exist!`);
    ctx.offsets.commit(group, topic, h.queueId as number, h.commitOffset as number);
    return RemotingCommand.createResponse(ResponseCode.SUCCESS);
  });

  server.registerProcessor(RequestCode.GET_ALL_CONSUMER_OFFSET, () => {
    const res = RemotingCommand.createResponse(ResponseCode.SUCCESS);
    res.body = Buffer.from(ctx.offsets.encode(false), 'utf8');
    return res;
  });

  server.registerProcessor(RequestCode.GET_MAX_OFFSET, (req) => {
    const h = decodeOrFail(GetMaxOffsetRequestHeader, req);
    if (h instanceof RemotingCommand) return h;
    return RemotingCommand.createResponse(ResponseCode.SUCCESS, undefined, { offset: ctx.store.getMaxOffsetInQueue(h.topic as string, h.queueId as number) });
  });

  server.registerProcessor(RequestCode.GET_MIN_OFFSET, (req) => {
    const h = decodeOrFail(GetMinOffsetRequestHeader, req);
    if (h instanceof RemotingCommand) return h;
    return RemotingCommand.createResponse(ResponseCode.SUCCESS, undefined, { offset: ctx.store.getMinOffsetInQueue(h.topic as string, h.queueId as number) });
  });

  server.registerProcessor(RequestCode.GET_EARLIEST_MSG_STORETIME, async (req) => {
    const h = decodeOrFail(GetEarliestMsgStoretimeRequestHeader, req);
    if (h instanceof RemotingCommand) return h;
    const ts = await ctx.store.getEarliestMessageTime(h.topic as string, h.queueId as number);
    return RemotingCommand.createResponse(ResponseCode.SUCCESS, undefined, { timestamp: ts });
  });

  server.registerProcessor(RequestCode.SEARCH_OFFSET_BY_TIMESTAMP, async (req) => {
    const h = decodeOrFail(SearchOffsetRequestHeader, req);
    if (h instanceof RemotingCommand) return h;
    const off = await ctx.store.getOffsetInQueueByTime(h.topic as string, h.queueId as number, h.timestamp as number, parseBoundaryType(h.boundaryType));
    return RemotingCommand.createResponse(ResponseCode.SUCCESS, undefined, { offset: off });
  });
}
