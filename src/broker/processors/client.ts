/**
 * Client registration (requests.md §4, semantics.md §14): HEART_BEAT, UNREGISTER_CLIENT,
 * GET_CONSUMER_LIST_BY_GROUP; channel close / expiry clean-up; NOTIFY_CONSUMER_IDS_CHANGED to a group's
 * clients when its membership or subscriptions change.
 */
import { PERM_READ, PERM_WRITE } from '../../common/perm.js';
import { getRetryTopic } from '../../common/topics.js';
import { RequestCode, ResponseCode } from '../../protocol/codes.js';
import { encodeConsumerIdList } from '../../protocol/admin.js';
import { GetConsumerListByGroupRequestHeader, UnregisterClientRequestHeader, decodeHeartbeatData, type HeartbeatData } from '../../protocol/heartbeat.js';
import { RemotingCommand } from '../../remoting/command.js';
import type { Channel, RemotingServer } from '../../remoting/server.js';
import type { BrokerContext } from '../context.js';
import { decodeOrFail } from './offsets.js';

function notifyEnabled(ctx: BrokerContext): (group: string) => boolean {
  return (group) => ctx.groups.get(group)?.notifyConsumerIdsChangedEnable ?? true;
}

/** Wire the consumer-change notifications, channel close handling and the 10 s expiry scan. */
export function startClientHousekeeping(server: RemotingServer, ctx: BrokerContext): () => void {
  ctx.consumers.onChange((event, group, info) => {
    if (event !== 'CHANGE' || !info) return;
    for (const ch of info.channels.keys()) {
      if (ch.closed) continue;
      ch.invokeOneway(RemotingCommand.createRequest(RequestCode.NOTIFY_CONSUMER_IDS_CHANGED, { consumerGroup: group }).markOneway());
    }
  });
  server.on('disconnect', (ch: Channel) => {
    ctx.producers.channelClosed(ch);
    ctx.consumers.channelClosed(ch, notifyEnabled(ctx));
  });
  const timer = setInterval(() => {
    const expiry = ctx.config.channelExpiredTimeout;
    ctx.producers.scanNotActive(expiry);
    ctx.consumers.scanNotActive(expiry, notifyEnabled(ctx));
  }, 10000);
  timer.unref();
  return () => clearInterval(timer);
}

export function registerClientProcessors(server: RemotingServer, ctx: BrokerContext): void {
  server.registerProcessor(RequestCode.HEART_BEAT, (req, ch) => {
    let hb: HeartbeatData;
    try {
      hb = decodeHeartbeatData(req.body ?? Buffer.alloc(0));
    } catch (e) {
      return RemotingCommand.createResponse(ResponseCode.SYSTEM_ERROR, (e as Error).message);
    }
    const now = Date.now();
    const info = { channel: ch, clientId: hb.clientID, language: req.language, version: req.version, lastUpdate: now };
    // 5.x heartbeat V2: "withoutSub" means "same subscriptions as my last full heartbeat"
    let subChange = false;
    for (const c of hb.consumerDataSet) {
      if (hb.withoutSub === true) {
        if (!ctx.consumers.refreshChannel(c.groupName, { ...info })) subChange = true;
        continue;
      }
      const gc = ctx.groups.findOrCreate(c.groupName);
      let notify = true;
      if (gc) {
        notify = gc.notifyConsumerIdsChangedEnable;
        const topicSysFlag = c.unitMode ? 0x2 : 0;
        if (gc.retryQueueNums > 0) ctx.topics.createWithoutTemplate(getRetryTopic(c.groupName), gc.retryQueueNums, PERM_WRITE | PERM_READ, topicSysFlag);
      }
      ctx.consumers.register({
        group: c.groupName,
        info: { ...info },
        consumeType: c.consumeType,
        messageModel: c.messageModel,
        consumeFromWhere: c.consumeFromWhere,
        subscriptions: c.subscriptionDataSet,
        notify,
      });
    }
    for (const p of hb.producerDataSet) ctx.producers.register(p.groupName, { ...info });
    const res = RemotingCommand.createResponse(ResponseCode.SUCCESS);
    res.setField('IS_SUPPORT_HEART_BEAT_V2', 'true');
    res.setField('IS_SUB_CHANGE', String(hb.withoutSub === true ? subChange : true));
    return res;
  });

  server.registerProcessor(RequestCode.UNREGISTER_CLIENT, (req, ch) => {
    const h = decodeOrFail(UnregisterClientRequestHeader, req);
    if (h instanceof RemotingCommand) return h;
    if (h.producerGroup) ctx.producers.unregister(h.producerGroup, ch);
    if (h.consumerGroup) {
      const notify = ctx.groups.get(h.consumerGroup)?.notifyConsumerIdsChangedEnable ?? true;
      ctx.consumers.unregister(h.consumerGroup, ch, notify);
    }
    return RemotingCommand.createResponse(ResponseCode.SUCCESS);
  });

  server.registerProcessor(RequestCode.GET_CONSUMER_LIST_BY_GROUP, (req) => {
    const h = decodeOrFail(GetConsumerListByGroupRequestHeader, req);
    if (h instanceof RemotingCommand) return h;
    const group = h.consumerGroup as string;
    const ids = ctx.consumers.clientIds(group);
    if (ids.length === 0) return RemotingCommand.createResponse(ResponseCode.SYSTEM_ERROR, `no consumer for this group, ${group}`);
    const res = RemotingCommand.createResponse(ResponseCode.SUCCESS);
    res.body = encodeConsumerIdList({ consumerIdList: ids });
    return res;
  });
}
