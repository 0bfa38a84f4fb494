// Requests brokers send to clients (Apache ClientRemotingProcessor): transaction check-back (39), consumer-ids
// changed (40), offset reset (220), consumer status (221), running info (307), direct consumption (309).
// A malformed request is answered (or, for oneway ones, logged) and never throws out of the connection.
import { RemotingCommand } from '../remoting/command.js';
import { RemotingSysResponseCode } from '../remoting/codes.js';
import { decodeRecord } from '../common/record-codec.js';
import { MessageConst } from '../common/message-const.js';
import { RequestCode } from '../protocol/codes.js';
import { decodeResetOffsetBody, encodeGetConsumerStatusBody } from '../protocol/admin.js';
import { encodeConsumeMessageDirectlyResult, encodeConsumerRunningInfo } from '../protocol/client.js';
import type { MQClientInstance } from './instance.js';

function notFound(group: string | undefined): RemotingCommand {
  return RemotingCommand.createResponse(RemotingSysResponseCode.SYSTEM_ERROR, `The Consumer Group <${group}> not exist in this consumer`);
}

export function registerClientProcessors(inst: MQClientInstance): void {
  const r = inst.remoting;

  r.registerProcessor(RequestCode.CHECK_TRANSACTION_STATE, (req, addr) => {
    const msg = req.body ? decodeRecord(req.body) : null;
    if (!msg) {
      inst.logger.warn(`CHECK_TRANSACTION_STATE from ${addr} without a decodable message`);
      return null;
    }
    const group = msg.properties[MessageConst.PRODUCER_GROUP];
    const producer = group ? inst.findProducer(group) : undefined;
    if (!producer) {
      inst.logger.debug(`CHECK_TRANSACTION_STATE for unknown producer group ${group}`);
      return null;
    }
    try {
      producer.checkTransactionState(addr, msg, { ...(req.extFields ?? {}) });
    } catch (e) {
      inst.logger.warn(`transaction check of ${group} failed: ${(e as Error).message}`);
    }
    return null;
  });

  r.registerProcessor(RequestCode.NOTIFY_CONSUMER_IDS_CHANGED, (req, addr) => {
    inst.logger.info(`consumer ids of ${req.field('consumerGroup')} changed (from ${addr}), rebalancing`);
    inst.rebalanceImmediately();
    return null;
  });

  r.registerProcessor(RequestCode.RESET_CONSUMER_CLIENT_OFFSET, async (req) => {
    const group = req.field('group');
    const topic = req.field('topic');
    const consumer = group ? inst.findConsumer(group) : undefined;
    if (!consumer || !topic || !req.body) return null;
    try {
      await consumer.resetOffset(topic, decodeResetOffsetBody(req.body).offsetTable);
    } catch (e) {
      inst.logger.warn(`reset offset of ${group}/${topic} failed: ${(e as Error).message}`);
    }
    return null;
  });

  r.registerProcessor(RequestCode.GET_CONSUMER_STATUS_FROM_CLIENT, (req) => {
    const group = req.field('group');
    const topic = req.field('topic') ?? '';
    const consumer = group ? inst.findConsumer(group) : undefined;
    const res = RemotingCommand.createResponse(RemotingSysResponseCode.SUCCESS);
    res.body = encodeGetConsumerStatusBody({ messageQueueTable: consumer ? consumer.offsetsOf(topic) : [], consumerTable: {} });
    return res;
  });

  r.registerProcessor(RequestCode.GET_CONSUMER_RUNNING_INFO, (req) => {
    const group = req.field('consumerGroup');
    const consumer = group ? inst.findConsumer(group) : undefined;
    if (!consumer) return notFound(group);
    const res = RemotingCommand.createResponse(RemotingSysResponseCode.SUCCESS);
    res.body = encodeConsumerRunningInfo(consumer.runningInfo());
    return res;
  });

  r.registerProcessor(RequestCode.CONSUME_MESSAGE_DIRECTLY, async (req) => {
    const group = req.field('consumerGroup');
    const consumer = group ? inst.findConsumer(group) : undefined;
    if (!consumer) return notFound(group);
    const msg = req.body ? decodeRecord(req.body) : null;
    if (!msg) return RemotingCommand.createResponse(RemotingSysResponseCode.SYSTEM_ERROR, 'no decodable message in the request body');
    const result = await consumer.consumeMessageDirectly(msg, req.field('brokerName'));
    const res = RemotingCommand.createResponse(RemotingSysResponseCode.SUCCESS);
    res.body = encodeConsumeMessageDirectlyResult(result);
    return res;
  });
}
