/**
 * Installs transactions into a broker: the send hook that turns TRAN_MSG sends into half messages, the
 * END_TRANSACTION processor, and the check-back service sending CHECK_TRANSACTION_STATE to a live producer.
 */
import { MessageConst } from '../../common/message-const.js';
import { encodeMessageExt } from '../../common/record-codec.js';
import { PERM_READ, PERM_WRITE } from '../../common/perm.js';
import { RMQ_SYS_TRANS_CHECK_MAX_TIME_TOPIC, RMQ_SYS_TRANS_HALF_TOPIC } from '../../common/topics.js';
import { RequestCode, ResponseCode } from '../../protocol/codes.js';
import { EndTransactionRequestHeader } from '../../protocol/transaction.js';
import { RemotingCommand } from '../../remoting/command.js';
import type { BrokerContext } from '../context.js';
import { delayLevelOf } from '../schedule/schedule-rewrite.js';
import { transformHalfMessage } from './half-message.js';
import { TransactionService } from './transaction-service.js';

export function installTransactions(ctx: BrokerContext): TransactionService {
  const cfg = ctx.config;
  const svc = new TransactionService(ctx.store, ctx.offsets, {
    transactionTimeOut: cfg.transactionTimeOut, transactionCheckMax: cfg.transactionCheckMax,
    transactionCheckInterval: cfg.transactionCheckInterval, fileReservedTime: cfg.fileReservedTime,
  }, (r) => {
    const ch = ctx.producers.availableChannel(r.producerGroup);
    if (!ch) return false;
    const req = RemotingCommand.createRequest(RequestCode.CHECK_TRANSACTION_STATE, {
      tranStateTableOffset: r.tranStateTableOffset, commitLogOffset: r.commitLogOffset, msgId: r.msgId,
      transactionId: r.transactionId, offsetMsgId: r.offsetMsgId, topic: RMQ_SYS_TRANS_HALF_TOPIC, bname: cfg.brokerName,
    }, encodeMessageExt(r.message)).markOneway();
    ch.invokeOneway(req);
    return true;
  }, {
    get storeHost() { return ctx.storeHost; },
    logger: ctx.logger,
    // Apache creates TRANS_CHECK_MAX_TIME_TOPIC (1 queue, RW) when it first discards a half message.
    beforeDiscard: () => {
      if (!ctx.topics.get(RMQ_SYS_TRANS_CHECK_MAX_TIME_TOPIC)) ctx.topics.createWithoutTemplate(RMQ_SYS_TRANS_CHECK_MAX_TIME_TOPIC, 1, PERM_READ | PERM_WRITE, 0);
    },
  });

  ctx.sendMessageHooks.push((msg, info) => {
    if (msg.properties[MessageConst.TRANSACTION_PREPARED] !== 'true') return undefined;
    if (msg.reconsumeTimes > 0 && delayLevelOf(msg) > 0) return undefined;
    if (info.batch) return { code: ResponseCode.MESSAGE_ILLEGAL, remark: 'a batch message can not be a transactional message' };
    if (cfg.rejectTransactionMessage) {
      return { code: ResponseCode.NO_PERMISSION, remark: `the broker[${cfg.brokerIP1}] sending transaction message is forbidden` };
    }
    if (!msg.properties[MessageConst.PRODUCER_GROUP]) msg.properties[MessageConst.PRODUCER_GROUP] = info.producerGroup;
    transformHalfMessage(msg);
    return undefined;
  });

  ctx.server.registerProcessor(RequestCode.END_TRANSACTION, async (req) => {
    if (cfg.brokerRole === 'SLAVE') {
      return RemotingCommand.createResponse(ResponseCode.SLAVE_NOT_AVAILABLE, 'Can not process transaction in slave broker');
    }
    let h: EndTransactionRequestHeader;
    try {
      h = EndTransactionRequestHeader.fromFields(req.extFields);
      EndTransactionRequestHeader.check(h);
    } catch (e) {
      return RemotingCommand.createResponse(ResponseCode.SYSTEM_ERROR, (e as Error).message);
    }
    const missing = EndTransactionRequestHeader.missingRequired(h);
    if (missing.length > 0) return RemotingCommand.createResponse(ResponseCode.SYSTEM_ERROR, `the custom field <${missing[0]}> is null`);
    if (h.commitOrRollback === 0) return null;
    const r = await svc.endTransaction({
      producerGroup: h.producerGroup as string, tranStateTableOffset: h.tranStateTableOffset as number,
      commitLogOffset: h.commitLogOffset as number, commitOrRollback: h.commitOrRollback as number,
      fromTransactionCheck: h.fromTransactionCheck === true,
    });
    if (r.code !== 0) {
      ctx.logger.warn(`END_TRANSACTION ${h.msgId ?? ''} from group ${h.producerGroup}: ${'remark' in r ? r.remark : ''}`);
      return RemotingCommand.createResponse(r.code, 'remark' in r ? r.remark : undefined);
    }
    return req.isOneway() ? null : RemotingCommand.createResponse(ResponseCode.SUCCESS);
  });

  if (cfg.brokerRole !== 'SLAVE') svc.start();
  ctx.shutdownHooks.push(() => svc.stop());
  return svc;
}
