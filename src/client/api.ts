// Typed requests the client sends (Apache MQClientAPIImpl): one method per request code, header fields as
// requests.md lists them, responses turned into values or MQBrokerError.
import { RemotingClient } from '../remoting/client.js';
import { RemotingCommand } from '../remoting/command.js';
import { RequestCode, ResponseCode } from '../protocol/codes.js';
import { decodeTopicRouteData, type TopicRouteData } from '../protocol/route.js';
import { encodeCheckClientConfigBody, encodeHeartbeatData, type HeartbeatData, type SubscriptionData } from '../protocol/heartbeat.js';
import {
  decodeConsumerIdList,
  decodeLockBatchResponseBody,
  encodeLockBatchRequestBody,
  type LockBatchRequestBody,
  type MessageQueue,
} from '../protocol/admin.js';
import { MQBrokerError } from './errors.js';

/** Header of SEND_MESSAGE_V2 / SEND_BATCH_MESSAGE in its long-name form (requests.md §3); sent with the one-letter keys. */
export interface SendMessageHeader {
  producerGroup: string;
  topic: string;
  defaultTopic: string;
  defaultTopicQueueNums: number;
  queueId: number;
  sysFlag: number;
  bornTimestamp: number;
  flag: number;
  properties: string;
  reconsumeTimes?: number;
  unitMode: boolean;
  batch: boolean;
  maxReconsumeTimes?: number;
  brokerName?: string;
}

/**
 * The V2 extFields of a send, built directly (the send hot path); equal to protocol/send.ts
 * encodeSendHeader(SEND_MESSAGE_V2, h) — a unit test holds them together.
 */
export function sendV2ExtFields(h: SendMessageHeader): Record<string, string> {
  const f: Record<string, string> = {
    a: h.producerGroup, b: h.topic, c: h.defaultTopic, d: String(h.defaultTopicQueueNums), e: String(h.queueId),
    f: String(h.sysFlag), g: String(h.bornTimestamp), h: String(h.flag), i: h.properties,
    j: String(h.reconsumeTimes ?? 0), k: String(h.unitMode), m: String(h.batch),
  };
  if (h.maxReconsumeTimes !== undefined) f.l = String(h.maxReconsumeTimes);
  if (h.brokerName !== undefined) f.n = h.brokerName;
  return f;
}

export type SendStatus = 'SEND_OK' | 'FLUSH_DISK_TIMEOUT' | 'FLUSH_SLAVE_TIMEOUT' | 'SLAVE_NOT_AVAILABLE';

export interface SendResponse {
  sendStatus: SendStatus;
  offsetMsgId: string;
  queueId: number;
  queueOffset: number;
  transactionId?: string;
  regionId?: string;
  traceOn: boolean;
}

export type PullStatus = 'FOUND' | 'NO_NEW_MSG' | 'NO_MATCHED_MSG' | 'OFFSET_ILLEGAL';

export interface PullResponse {
  status: PullStatus;
  nextBeginOffset: number;
  minOffset: number;
  maxOffset: number;
  suggestWhichBrokerId: number;
  body?: Buffer;
}

export interface PullMessageHeader {
  consumerGroup: string;
  topic: string;
  queueId: number;
  queueOffset: number;
  maxMsgNums: number;
  sysFlag: number;
  commitOffset: number;
  suspendTimeoutMillis: number;
  subscription?: string;
  subVersion: number;
  expressionType?: string;
  maxMsgBytes?: number;
}

export { PullSysFlag } from '../protocol/pull.js';

export interface ConsumerSendMsgBackHeader {
  offset: number;
  group: string;
  delayLevel: number;
  originMsgId?: string;
  originTopic?: string;
  unitMode: boolean;
  maxReconsumeTimes?: number;
}

export interface EndTransactionHeader {
  producerGroup: string;
  tranStateTableOffset: number;
  commitLogOffset: number;
  /** 0 unknown, 8 commit, 12 rollback. */
  commitOrRollback: number;
  fromTransactionCheck: boolean;
  msgId: string;
  transactionId?: string;
  topic?: string;
}

function num(v: string | undefined, def = 0): number {
  if (v === undefined) return def;
  const n = Number(v);
  return Number.isFinite(n) ? n : def;
}

function fail(res: RemotingCommand, addr: string): never {
  throw new MQBrokerError(res.code, res.remark, addr);
}

export class MQClientAPI {
  private namesrvIndex = 0;

  constructor(readonly remoting: RemotingClient, private namesrvList: string[], private readonly defaultTimeoutMs: number) {}

  setNamesrvList(list: string[]): void {
    this.namesrvList = list;
  }

  getNamesrvList(): string[] {
    return [...this.namesrvList];
  }

  /** Tries the name servers one after another, starting with the last that answered. */
  async invokeNamesrv(req: () => RemotingCommand, timeoutMs = this.defaultTimeoutMs): Promise<RemotingCommand> {
    if (this.namesrvList.length === 0) throw new Error('no name server address configured');
    let lastErr: unknown;
    for (let i = 0; i < this.namesrvList.length; i++) {
      const idx = (this.namesrvIndex + i) % this.namesrvList.length;
      const addr = this.namesrvList[idx];
      try {
        const res = await this.remoting.invoke(addr, req(), timeoutMs);
        this.namesrvIndex = idx;
        return res;
      } catch (e) {
        lastErr = e;
      }
    }
    throw lastErr;
  }

  /** GET_ROUTEINFO_BY_TOPIC; null when the name server knows no such topic (17). */
  async getTopicRouteInfo(topic: string, timeoutMs = this.defaultTimeoutMs): Promise<TopicRouteData | null> {
    const res = await this.invokeNamesrv(() => RemotingCommand.createRequest(RequestCode.GET_ROUTEINFO_BY_TOPIC, { topic, acceptStandardJsonOnly: true }), timeoutMs);
    if (res.code === ResponseCode.TOPIC_NOT_EXIST) return null;
    if (res.code !== ResponseCode.SUCCESS) throw new MQBrokerError(res.code, res.remark);
    if (!res.body) return null;
    return decodeTopicRouteData(res.body);
  }

  sendRequest(header: SendMessageHeader, body: Buffer): RemotingCommand {
    const code = header.batch ? RequestCode.SEND_BATCH_MESSAGE : RequestCode.SEND_MESSAGE_V2;
    const cmd = RemotingCommand.createRequest(code, undefined, body);
    cmd.extFields = sendV2ExtFields(header);
    return cmd;
  }

  static parseSendResponse(res: RemotingCommand, addr: string): SendResponse {
    let sendStatus: SendStatus;
    switch (res.code) {
      case ResponseCode.SUCCESS: sendStatus = 'SEND_OK'; break;
      case ResponseCode.FLUSH_DISK_TIMEOUT: sendStatus = 'FLUSH_DISK_TIMEOUT'; break;
      case ResponseCode.FLUSH_SLAVE_TIMEOUT: sendStatus = 'FLUSH_SLAVE_TIMEOUT'; break;
      case ResponseCode.SLAVE_NOT_AVAILABLE: sendStatus = 'SLAVE_NOT_AVAILABLE'; break;
      default: fail(res, addr);
    }
    return {
      sendStatus,
      offsetMsgId: res.field('msgId') ?? '',
      queueId: num(res.field('queueId'), -1),
      queueOffset: num(res.field('queueOffset'), -1),
      transactionId: res.field('transactionId'),
      regionId: res.field('MSG_REGION') ?? 'DefaultRegion',
      traceOn: res.field('TRACE_ON') !== 'false',
    };
  }

  async sendMessage(addr: string, header: SendMessageHeader, body: Buffer, timeoutMs: number): Promise<SendResponse> {
    const res = await this.remoting.invoke(addr, this.sendRequest(header, body), timeoutMs);
    return MQClientAPI.parseSendResponse(res, addr);
  }

  async sendMessageOneway(addr: string, header: SendMessageHeader, body: Buffer): Promise<void> {
    await this.remoting.invokeOneway(addr, this.sendRequest(header, body).markOneway());
  }

  async pullMessage(addr: string, h: PullMessageHeader, timeoutMs: number): Promise<PullResponse> {
    const req = RemotingCommand.createRequest(RequestCode.PULL_MESSAGE, { ...h });
    const res = await this.remoting.invoke(addr, req, timeoutMs);
    let status: PullStatus;
    switch (res.code) {
      case ResponseCode.SUCCESS: status = 'FOUND'; break;
      case ResponseCode.PULL_NOT_FOUND: status = 'NO_NEW_MSG'; break;
      case ResponseCode.PULL_RETRY_IMMEDIATELY: status = 'NO_MATCHED_MSG'; break;
      case ResponseCode.PULL_OFFSET_MOVED: status = 'OFFSET_ILLEGAL'; break;
      default: fail(res, addr);
    }
    return {
      status,
      nextBeginOffset: num(res.field('nextBeginOffset'), h.queueOffset),
      minOffset: num(res.field('minOffset')),
      maxOffset: num(res.field('maxOffset')),
      suggestWhichBrokerId: num(res.field('suggestWhichBrokerId')),
      body: res.body,
    };
  }

  /**
   * QUERY_CONSUMER_OFFSET; -1 when the broker has no offset for the group (22). Without setZeroIfNotFound (the
   * Java client) a broker answers 0 for a young queue whose first message is still in memory.
   */
  async queryConsumerOffset(addr: string, group: string, mq: MessageQueue, timeoutMs = this.defaultTimeoutMs, setZeroIfNotFound?: boolean): Promise<number> {
    const req = RemotingCommand.createRequest(RequestCode.QUERY_CONSUMER_OFFSET, { consumerGroup: group, topic: mq.topic, queueId: mq.queueId, setZeroIfNotFound });
    const res = await this.remoting.invoke(addr, req, timeoutMs);
    if (res.code === ResponseCode.QUERY_NOT_FOUND) return -1;
    if (res.code !== ResponseCode.SUCCESS) fail(res, addr);
    return num(res.field('offset'), -1);
  }

  private updateOffsetRequest(group: string, mq: MessageQueue, offset: number): RemotingCommand {
    return RemotingCommand.createRequest(RequestCode.UPDATE_CONSUMER_OFFSET, {
      consumerGroup: group, topic: mq.topic, queueId: mq.queueId, commitOffset: offset,
    });
  }

  async updateConsumerOffsetOneway(addr: string, group: string, mq: MessageQueue, offset: number): Promise<void> {
    await this.remoting.invokeOneway(addr, this.updateOffsetRequest(group, mq, offset).markOneway());
  }

  async updateConsumerOffset(addr: string, group: string, mq: MessageQueue, offset: number, timeoutMs = this.defaultTimeoutMs): Promise<void> {
    const res = await this.remoting.invoke(addr, this.updateOffsetRequest(group, mq, offset), timeoutMs);
    if (res.code !== ResponseCode.SUCCESS) fail(res, addr);
  }

  private async offsetCall(code: number, addr: string, fields: Record<string, unknown>, key: string, timeoutMs: number): Promise<number> {
    const res = await this.remoting.invoke(addr, RemotingCommand.createRequest(code, fields), timeoutMs);
    if (res.code !== ResponseCode.SUCCESS) fail(res, addr);
    return num(res.field(key), -1);
  }

  getMaxOffset(addr: string, mq: MessageQueue, timeoutMs = this.defaultTimeoutMs): Promise<number> {
    return this.offsetCall(RequestCode.GET_MAX_OFFSET, addr, { topic: mq.topic, queueId: mq.queueId }, 'offset', timeoutMs);
  }

  getMinOffset(addr: string, mq: MessageQueue, timeoutMs = this.defaultTimeoutMs): Promise<number> {
    return this.offsetCall(RequestCode.GET_MIN_OFFSET, addr, { topic: mq.topic, queueId: mq.queueId }, 'offset', timeoutMs);
  }

  searchOffset(addr: string, mq: MessageQueue, timestamp: number, timeoutMs = this.defaultTimeoutMs): Promise<number> {
    return this.offsetCall(RequestCode.SEARCH_OFFSET_BY_TIMESTAMP, addr, { topic: mq.topic, queueId: mq.queueId, timestamp }, 'offset', timeoutMs);
  }

  /** HEART_BEAT; returns the broker's version. */
  async sendHeartbeat(addr: string, data: HeartbeatData, timeoutMs = this.defaultTimeoutMs): Promise<number> {
    const req = RemotingCommand.createRequest(RequestCode.HEART_BEAT, undefined, encodeHeartbeatData(data));
    const res = await this.remoting.invoke(addr, req, timeoutMs);
    if (res.code !== ResponseCode.SUCCESS) fail(res, addr);
    return res.version;
  }

  /** CHECK_CLIENT_CONFIG: the broker validates a non-TAG subscription (SQL92 parse errors answer 23). */
  async checkClientInBroker(addr: string, group: string, clientId: string, subscriptionData: SubscriptionData, timeoutMs = this.defaultTimeoutMs): Promise<void> {
    const body = encodeCheckClientConfigBody({ clientId, group, subscriptionData });
    const res = await this.remoting.invoke(addr, RemotingCommand.createRequest(RequestCode.CHECK_CLIENT_CONFIG, undefined, body), timeoutMs);
    if (res.code !== ResponseCode.SUCCESS) fail(res, addr);
  }

  async unregisterClient(addr: string, clientID: string, producerGroup?: string, consumerGroup?: string, timeoutMs = this.defaultTimeoutMs): Promise<void> {
    const req = RemotingCommand.createRequest(RequestCode.UNREGISTER_CLIENT, { clientID, producerGroup, consumerGroup });
    const res = await this.remoting.invoke(addr, req, timeoutMs);
    if (res.code !== ResponseCode.SUCCESS) fail(res, addr);
  }

  async getConsumerIdListByGroup(addr: string, consumerGroup: string, timeoutMs = this.defaultTimeoutMs): Promise<string[]> {
    const req = RemotingCommand.createRequest(RequestCode.GET_CONSUMER_LIST_BY_GROUP, { consumerGroup });
    const res = await this.remoting.invoke(addr, req, timeoutMs);
    if (res.code !== ResponseCode.SUCCESS) fail(res, addr);
    return res.body ? decodeConsumerIdList(res.body).consumerIdList : [];
  }

  async consumerSendMessageBack(addr: string, h: ConsumerSendMsgBackHeader, timeoutMs = this.defaultTimeoutMs): Promise<void> {
    const req = RemotingCommand.createRequest(RequestCode.CONSUMER_SEND_MSG_BACK, { ...h });
    const res = await this.remoting.invoke(addr, req, timeoutMs);
    if (res.code !== ResponseCode.SUCCESS) fail(res, addr);
  }

  async lockBatchMQ(addr: string, body: LockBatchRequestBody, timeoutMs = this.defaultTimeoutMs): Promise<MessageQueue[]> {
    const req = RemotingCommand.createRequest(RequestCode.LOCK_BATCH_MQ, undefined, encodeLockBatchRequestBody(body));
    const res = await this.remoting.invoke(addr, req, timeoutMs);
    if (res.code !== ResponseCode.SUCCESS) fail(res, addr);
    return res.body ? decodeLockBatchResponseBody(res.body).lockOKMQSet : [];
  }

  async unlockBatchMQ(addr: string, body: LockBatchRequestBody, oneway: boolean, timeoutMs = this.defaultTimeoutMs): Promise<void> {
    const req = RemotingCommand.createRequest(RequestCode.UNLOCK_BATCH_MQ, undefined, encodeLockBatchRequestBody(body));
    if (oneway) {
      await this.remoting.invokeOneway(addr, req.markOneway());
      return;
    }
    const res = await this.remoting.invoke(addr, req, timeoutMs);
    if (res.code !== ResponseCode.SUCCESS) fail(res, addr);
  }

  /** END_TRANSACTION, oneway as the Java producer sends it; `remark` may carry the local-transaction error. */
  async endTransactionOneway(addr: string, h: EndTransactionHeader, remark?: string): Promise<void> {
    const req = RemotingCommand.createRequest(RequestCode.END_TRANSACTION, { ...h });
    if (remark) req.remark = remark;
    await this.remoting.invokeOneway(addr, req.markOneway());
  }
}
