// Producer (Apache DefaultMQProducer): sync / async / oneway sends, batches, queue selectors for ordered
// messages, retries on another broker, one overall send timeout, zlib compression of large bodies, UNIQ_KEY ids.
import zlib from 'node:zlib';
import { promisify } from 'node:util';
import type { Message, MessageExt } from '../../common/message.js';
import { MessageConst } from '../../common/message-const.js';
import { createUniqId } from '../../common/msgid.js';
import { messageProperties2String } from '../../common/properties.js';
import { SysFlag } from '../../common/sysflag.js';
import { AUTO_CREATE_TOPIC_KEY_TOPIC, isNotAllowedSendTopic, isRetryTopic, validateGroup, validateTopic } from '../../common/topics.js';
import { ResponseCode } from '../../protocol/codes.js';
import type { MessageQueue } from '../../protocol/admin.js';
import { RemotingError } from '../../remoting/errors.js';
import type { SendMessageHeader, SendResponse, SendStatus } from '../api.js';
import type { ClientOptions } from '../config.js';
import { MQBrokerError, MQClientError } from '../errors.js';
import { MQClientInstance, type ProducerInner } from '../instance.js';
import { TopicPublishInfo } from '../route.js';
import { encodeBatch, validateBatch } from './batch.js';
import type { MessageQueueSelector } from './selector.js';

const deflate = promisify(zlib.deflate);

export interface ProducerOptions extends ClientOptions {
  /** Producer group (default DEFAULT_PRODUCER). */
  group?: string;
  /** Total time for one send including its retries (default 3000 ms). */
  sendMsgTimeoutMs?: number;
  /** Extra attempts of a sync send on another queue (default 2). */
  retryTimesWhenSendFailed?: number;
  /** Extra attempts of an async send (default 2). */
  retryTimesWhenSendAsyncFailed?: number;
  /** Bodies of at least this many bytes are zlib-compressed (default 4096). */
  compressMsgBodyOverHowmuch?: number;
  /** zlib level (default 5, as Java). */
  compressLevel?: number;
  /** Largest body accepted (default 4 MiB). */
  maxMessageSize?: number;
  /** Queues per broker for a topic created on first send (default 4). */
  defaultTopicQueueNums?: number;
  /** Template topic for auto-creation (default TBW102). */
  createTopicKey?: string;
  /** Retry on another broker when the status is not SEND_OK (default false). */
  retryAnotherBrokerWhenNotStoreOK?: boolean;
  /** Share an existing client instance (used by consumers for their internal producer). */
  instance?: MQClientInstance;
  /** A client-internal producer: does not keep its client instance open. */
  internal?: boolean;
}

export interface SendResult {
  sendStatus: SendStatus;
  /** Client unique id (UNIQ_KEY); comma-joined for a batch. */
  msgId: string;
  /** Offset message id(s) from the broker. */
  offsetMsgId: string;
  messageQueue: MessageQueue;
  queueOffset: number;
  transactionId?: string;
  regionId?: string;
  traceOn: boolean;
  /** Address of the broker that stored the message. */
  brokerAddr: string;
}

export interface TransactionCheckRequest {
  brokerAddr: string;
  /** The half message (topic/queue already the real ones). */
  msg: MessageExt;
  /** CHECK_TRANSACTION_STATE header fields (tranStateTableOffset, commitLogOffset, msgId, transactionId, offsetMsgId, ...). */
  header: Record<string, string>;
  producer: Producer;
}

export type TransactionCheckHandler = (req: TransactionCheckRequest) => void;

export type SendMode = 'sync' | 'async' | 'oneway';

/** Codes after which a sync send moves on to another queue (requests.md §2). */
const RETRY_CODES: Set<number> = new Set([
  ResponseCode.TOPIC_NOT_EXIST, ResponseCode.SERVICE_NOT_AVAILABLE, ResponseCode.SYSTEM_ERROR, ResponseCode.SYSTEM_BUSY,
  ResponseCode.NO_PERMISSION, ResponseCode.NO_BUYER_ID, ResponseCode.NOT_IN_CURRENT_UNIT, 1500,
]);

export class Producer implements ProducerInner {
  readonly group: string;
  readonly instance: MQClientInstance;
  private readonly publishInfo = new Map<string, TopicPublishInfo>();
  readonly internal: boolean;
  private readonly o: Required<Omit<ProducerOptions, keyof ClientOptions | 'instance' | 'group' | 'internal'>>;
  private state: 'created' | 'running' | 'closed' = 'created';
  private transactionCheckHandler?: TransactionCheckHandler;
  /** Settles when start's createTopicKey route lookup and heartbeat are done (at once for internal producers). */
  protected announced: Promise<void> = Promise.resolve();

  constructor(opts: ProducerOptions = {}) {
    this.group = opts.group ?? 'DEFAULT_PRODUCER';
    const bad = validateGroup(this.group);
    if (bad) throw new MQClientError(bad);
    this.instance = opts.instance ?? MQClientInstance.getOrCreate(opts);
    this.internal = opts.internal ?? false;
    this.o = {
      sendMsgTimeoutMs: opts.sendMsgTimeoutMs ?? 3000,
      retryTimesWhenSendFailed: opts.retryTimesWhenSendFailed ?? 2,
      retryTimesWhenSendAsyncFailed: opts.retryTimesWhenSendAsyncFailed ?? 2,
      compressMsgBodyOverHowmuch: opts.compressMsgBodyOverHowmuch ?? 4096,
      compressLevel: opts.compressLevel ?? 5,
      maxMessageSize: opts.maxMessageSize ?? 4 * 1024 * 1024,
      defaultTopicQueueNums: opts.defaultTopicQueueNums ?? 4,
      createTopicKey: opts.createTopicKey ?? AUTO_CREATE_TOPIC_KEY_TOPIC,
      retryAnotherBrokerWhenNotStoreOK: opts.retryAnotherBrokerWhenNotStoreOK ?? false,
    };
  }

  get clientId(): string {
    return this.instance.clientId;
  }

  async start(): Promise<void> {
    if (this.state === 'running') return;
    if (this.state === 'closed') throw new MQClientError('the producer was shut down; create a new one');
    this.instance.registerProducer(this);
    this.state = 'running';
    this.instance.start();
    if (!this.internal) this.announced = this.announce();
  }

  /**
   * Routes the createTopicKey (TBW102) and heartbeats, in the background, as Apache's producer (4.9–5.1) keeps
   * its createTopicKey in the publish table: the brokers then learn this group at once rather than at the next
   * 30 s heartbeat, which a producer that only answers transaction check-backs needs. Never throws.
   */
  private async announce(): Promise<void> {
    const key = this.o.createTopicKey;
    try {
      await this.findPublishInfo(key);
    } catch (e) {
      if (this.state === 'running') this.instance.logger.debug(`route of ${key}: ${(e as Error).message}`);
    }
    if (this.state === 'running') await this.instance.sendHeartbeatToAllBrokers().catch(() => undefined);
  }

  /** Unregisters from brokers; the client instance closes when nothing else uses it. */
  async shutdown(): Promise<void> {
    if (this.state !== 'running') {
      this.state = 'closed';
      if (!this.internal) await this.instance.closeIfIdle();
      return;
    }
    this.state = 'closed';
    await this.instance.unregisterProducer(this.group);
  }

  /** Hook for CHECK_TRANSACTION_STATE requests addressed to this producer group. */
  setTransactionCheckHandler(h: TransactionCheckHandler | undefined): void {
    this.transactionCheckHandler = h;
  }

  // ---- ProducerInner
  publishTopics(): string[] {
    return [...this.publishInfo.keys()];
  }
  needsRouteInfo(topic: string): boolean {
    return !this.publishInfo.get(topic)?.ok();
  }
  updatePublishInfo(topic: string, info: TopicPublishInfo): void {
    this.publishInfo.set(topic, info);
  }
  checkTransactionState(brokerAddr: string, msg: MessageExt, header: Record<string, string>): void {
    if (!this.transactionCheckHandler) {
      this.instance.logger.warn(`CHECK_TRANSACTION_STATE for ${this.group} but no transaction check handler is set`);
      return;
    }
    this.transactionCheckHandler({ brokerAddr, msg, header, producer: this });
  }

  private ensureRunning(): void {
    if (this.state !== 'running') throw new MQClientError(`The producer service state not OK, ${this.state === 'created' ? 'CREATE_JUST' : 'SHUTDOWN_ALREADY'}`);
  }

  private checkMessage(msg: Message): void {
    const bad = validateTopic(msg.topic);
    if (bad) throw new MQClientError(bad);
    if (isNotAllowedSendTopic(msg.topic)) throw new MQClientError(`Sending message to topic[${msg.topic}] is forbidden.`);
    if (!msg.body) throw new MQClientError('the message body is null');
    if (msg.body.length === 0) throw new MQClientError('the message body length is zero');
    if (msg.body.length > this.o.maxMessageSize) throw new MQClientError(`the message body size over max value, MAX: ${this.o.maxMessageSize}`);
  }

  /** The publish info of a topic: cached, else from the name server, else TBW102's route (auto-creation). */
  async findPublishInfo(topic: string): Promise<TopicPublishInfo> {
    let info = this.publishInfo.get(topic);
    if (!info || !info.ok()) {
      if (!info) this.publishInfo.set(topic, new TopicPublishInfo(topic, null));
      await this.instance.updateTopicRouteFromNameServer(topic);
      info = this.publishInfo.get(topic);
    }
    if (!info || !info.ok()) {
      await this.instance.updateTopicRouteFromNameServer(topic, true, this.o.defaultTopicQueueNums);
      info = this.publishInfo.get(topic);
    }
    if (!info || !info.ok()) throw new MQClientError(`No route info of this topic: ${topic}`);
    return info;
  }

  /** Writable queues of a topic. */
  async fetchPublishMessageQueues(topic: string): Promise<MessageQueue[]> {
    this.ensureRunning();
    return [...(await this.findPublishInfo(topic)).messageQueueList];
  }

  /** Sync send: retried on another queue up to retryTimesWhenSendFailed times. */
  send(msg: Message, timeoutMs = this.o.sendMsgTimeoutMs): Promise<SendResult> {
    return this.sendDefault(msg, 'sync', timeoutMs);
  }

  /** Async send (the promise settles when the broker answers); retried retryTimesWhenSendAsyncFailed times. */
  sendAsync(msg: Message, timeoutMs = this.o.sendMsgTimeoutMs): Promise<SendResult> {
    return this.sendDefault(msg, 'async', timeoutMs);
  }

  /** Oneway: written to the socket, no answer, no retry. */
  async sendOneway(msg: Message): Promise<void> {
    await this.sendDefault(msg, 'oneway', this.o.sendMsgTimeoutMs);
  }

  /** Send to the queue the selector picks (ordered messages: same arg, same queue). No retry on another queue. */
  async sendWithSelector(msg: Message, selector: MessageQueueSelector, arg: unknown, timeoutMs = this.o.sendMsgTimeoutMs, mode: SendMode = 'sync'): Promise<SendResult> {
    this.ensureRunning();
    this.checkMessage(msg);
    const begin = Date.now();
    const info = await this.findPublishInfo(msg.topic);
    const mq = selector([...info.messageQueueList], msg, arg);
    if (!mq) throw new MQClientError('select message queue returned null.');
    const left = timeoutMs - (Date.now() - begin);
    if (left <= 0) throw new MQClientError('sendSelectImpl call timeout');
    return this.sendKernel(msg, mq, mode, left);
  }

  /** Send to one given queue. */
  async sendToQueue(msg: Message, mq: MessageQueue, timeoutMs = this.o.sendMsgTimeoutMs, mode: SendMode = 'sync'): Promise<SendResult> {
    this.ensureRunning();
    this.checkMessage(msg);
    if (mq.topic !== msg.topic) throw new MQClientError(`message's topic not equal mq's topic`);
    return this.sendKernel(msg, mq, mode, timeoutMs);
  }

  /** One request carrying several messages of one topic; each gets its own UNIQ_KEY. */
  async sendBatch(msgs: Message[], timeoutMs = this.o.sendMsgTimeoutMs, mq?: MessageQueue): Promise<SendResult> {
    this.ensureRunning();
    try {
      validateBatch(msgs);
    } catch (e) {
      throw new MQClientError((e as Error).message);
    }
    for (const m of msgs) {
      this.checkMessage(m);
      m.properties[MessageConst.UNIQ_CLIENT_MESSAGE_ID_KEYIDX] ??= createUniqId();
    }
    const batch: Message & { batch: Message[] } = {
      topic: msgs[0].topic,
      flag: 0,
      body: encodeBatch(msgs),
      // no UNIQ_KEY here: a 5.x broker appends the batch's properties to every inner message's, so a batch-level
      // id would replace each message's own
      properties: {
        [MessageConst.WAIT_STORE_MSG_OK]: msgs[0].properties[MessageConst.WAIT_STORE_MSG_OK] ?? 'true',
      },
      batch: msgs,
    };
    if (batch.body.length > this.o.maxMessageSize) throw new MQClientError(`the message body size over max value, MAX: ${this.o.maxMessageSize}`);
    if (mq) return this.sendKernel(batch, mq, 'sync', timeoutMs);
    return this.sendDefault(batch, 'sync', timeoutMs);
  }

  private async sendDefault(msg: Message, mode: SendMode, timeoutMs: number): Promise<SendResult> {
    this.ensureRunning();
    this.checkMessage(msg);
    const begin = Date.now();
    const info = await this.findPublishInfo(msg.topic);
    const times = mode === 'sync' ? 1 + this.o.retryTimesWhenSendFailed : mode === 'async' ? 1 + this.o.retryTimesWhenSendAsyncFailed : 1;
    const brokersSent: string[] = [];
    let lastBroker: string | undefined;
    let lastErr: unknown;
    for (let i = 0; i < times; i++) {
      const mq = info.selectOneMessageQueue(lastBroker);
      lastBroker = mq.brokerName;
      brokersSent.push(mq.brokerName);
      const left = timeoutMs - (Date.now() - begin);
      if (left <= 0) {
        lastErr = new MQClientError(`sendDefaultImpl call timeout after ${timeoutMs} ms`);
        break;
      }
      try {
        const r = await this.sendKernel(msg, mq, mode, left);
        if (mode === 'sync' && r.sendStatus !== 'SEND_OK' && this.o.retryAnotherBrokerWhenNotStoreOK && i + 1 < times) continue;
        return r;
      } catch (e) {
        lastErr = e;
        const retryable = e instanceof RemotingError || (e instanceof MQBrokerError && RETRY_CODES.has(e.code));
        // A failed send refreshes the route: the broker may be gone or the topic moved.
        void this.instance.updateTopicRouteFromNameServer(msg.topic).catch(() => undefined);
        if (!retryable) throw e;
      }
    }
    const why = lastErr instanceof Error ? lastErr.message : String(lastErr);
    const err = new MQClientError(`Send [${brokersSent.length}] times, still failed, cost [${Date.now() - begin}]ms, Topic: ${msg.topic}, BrokersSent: [${brokersSent.join(', ')}]: ${why}`);
    (err as { cause?: unknown }).cause = lastErr;
    throw err;
  }

  private async brokerAddrFor(mq: MessageQueue): Promise<string> {
    let addr = this.instance.findBrokerAddressInPublish(mq.brokerName);
    if (!addr) {
      await this.findPublishInfo(mq.topic);
      addr = this.instance.findBrokerAddressInPublish(mq.brokerName);
    }
    if (!addr) throw new MQClientError(`The broker[${mq.brokerName}] not exist`);
    return addr;
  }

  private async sendKernel(msg: Message, mq: MessageQueue, mode: SendMode, timeoutMs: number): Promise<SendResult> {
    const addr = await this.brokerAddrFor(mq);
    const inner = (msg as { batch?: Message[] }).batch;
    const props = msg.properties;
    if (!inner) props[MessageConst.UNIQ_CLIENT_MESSAGE_ID_KEYIDX] ??= createUniqId();
    props[MessageConst.WAIT_STORE_MSG_OK] ??= 'true';
    let body = msg.body;
    let sysFlag = 0;
    if (!inner && body.length >= this.o.compressMsgBodyOverHowmuch) {
      body = await deflate(body, { level: this.o.compressLevel });
      sysFlag |= SysFlag.COMPRESSED | SysFlag.COMPRESSION_ZLIB;
    }
    if (props[MessageConst.TRANSACTION_PREPARED] === 'true') sysFlag |= SysFlag.TRANSACTION_PREPARED_TYPE;
    const sendProps = { ...props };
    let reconsumeTimes: number | undefined;
    let maxReconsumeTimes: number | undefined;
    if (isRetryTopic(mq.topic)) {
      const rt = sendProps[MessageConst.RECONSUME_TIME];
      if (rt !== undefined) {
        reconsumeTimes = Number(rt);
        delete sendProps[MessageConst.RECONSUME_TIME];
      }
      const mrt = sendProps[MessageConst.MAX_RECONSUME_TIMES];
      if (mrt !== undefined) {
        maxReconsumeTimes = Number(mrt);
        delete sendProps[MessageConst.MAX_RECONSUME_TIMES];
      }
    }
    const header: SendMessageHeader = {
      producerGroup: this.group,
      topic: msg.topic,
      defaultTopic: this.o.createTopicKey,
      defaultTopicQueueNums: this.o.defaultTopicQueueNums,
      queueId: mq.queueId,
      sysFlag,
      bornTimestamp: Date.now(),
      flag: msg.flag | 0,
      properties: messageProperties2String(sendProps),
      reconsumeTimes: reconsumeTimes ?? 0,
      unitMode: false,
      batch: !!inner,
      maxReconsumeTimes,
      brokerName: mq.brokerName,
    };
    if (mode === 'oneway') {
      await this.instance.api.sendMessageOneway(addr, header, body);
      return {
        sendStatus: 'SEND_OK', msgId: props[MessageConst.UNIQ_CLIENT_MESSAGE_ID_KEYIDX] ?? '', offsetMsgId: '',
        messageQueue: mq, queueOffset: -1, traceOn: true, brokerAddr: addr,
      };
    }
    const r: SendResponse = await this.instance.api.sendMessage(addr, header, body, timeoutMs);
    const msgId = inner
      ? inner.map((m) => m.properties[MessageConst.UNIQ_CLIENT_MESSAGE_ID_KEYIDX]).join(',')
      : props[MessageConst.UNIQ_CLIENT_MESSAGE_ID_KEYIDX] ?? '';
    return {
      sendStatus: r.sendStatus,
      msgId,
      offsetMsgId: r.offsetMsgId,
      messageQueue: { topic: mq.topic, brokerName: mq.brokerName, queueId: r.queueId },
      queueOffset: r.queueOffset,
      transactionId: r.transactionId,
      regionId: r.regionId,
      traceOn: r.traceOn,
      brokerAddr: addr,
    };
  }
}

