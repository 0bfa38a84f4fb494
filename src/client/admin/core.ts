// MQAdminCore: one method per request code the admin tools send (name server and broker); the composite
// operations (stats across brokers, message lookups, offset resets) are built on it in the modules next to it.
import { RequestCode, ResponseCode } from '../../protocol/codes.js';
import { CreateTopicRequestHeader, DeleteSubscriptionGroupRequestHeader } from '../../protocol/admin-headers.js';
import {
  GetMaxOffsetRequestHeader,
  GetMinOffsetRequestHeader,
  QueryConsumerOffsetRequestHeader,
  SearchOffsetRequestHeader,
  UpdateConsumerOffsetRequestHeader,
} from '../../protocol/offset.js';
import { PullMessageRequestHeader, PullMessageResponseHeader, buildPullSysFlag } from '../../protocol/pull.js';
import { QueryMessageRequestHeader, ViewMessageRequestHeader } from '../../protocol/query.js';
import { ResetOffsetRequestHeader } from '../../protocol/client.js';
import { SendMessageRequestHeaderV2 } from '../../protocol/send.js';
import {
  type ClusterInfo,
  type TopicConfig,
  type TopicRouteData,
  decodeClusterInfo,
  decodeTopicConfigWrapper,
  decodeTopicRouteData,
  selectBrokerAddr,
} from '../../protocol/route.js';
import {
  type ConsumeStats,
  type ConsumerConnection,
  type ProducerConnection,
  type ResetOffsetBody,
  type SubscriptionGroupConfig,
  type TopicStatsTable,
  decodeConsumeStats,
  decodeConsumerConnection,
  decodeGroupList,
  decodeKVTable,
  decodeProducerConnection,
  decodeResetOffsetBody,
  decodeSubscriptionGroupWrapper,
  decodeTopicList,
  decodeTopicStatsTable,
  encodeSubscriptionGroupConfig,
} from '../../protocol/admin.js';
import { parseJavaProperties, stringifyJavaProperties } from '../../protocol/java-properties.js';
import { mapEntries, parseBody, parseObjectBody, asNumber } from '../../protocol/body.js';
import { stringifyFastjson } from '../../common/fastjson.js';
import { messageProperties2String } from '../../common/properties.js';
import { createUniqId } from '../../common/msgid.js';
import { decodeBrokerStatsData, type BrokerStatsData } from '../../protocol/admin.js';
import { decodeMessages, decodeRecord } from '../../common/record-codec.js';
import type { MessageExt } from '../../common/message.js';
import { AdminError, NotFoundError } from './errors.js';
import { AdminTransport, type TransportOptions } from './transport.js';

export type MQAdminOptions = TransportOptions;

export interface PullResult {
  /** FOUND, NO_NEW_MSG, NO_MATCHED_MSG, OFFSET_ILLEGAL (the Java client's PullStatus names). */
  status: 'FOUND' | 'NO_NEW_MSG' | 'NO_MATCHED_MSG' | 'OFFSET_ILLEGAL';
  nextBeginOffset: number;
  minOffset: number;
  maxOffset: number;
  messages: MessageExt[];
}

/** The group mqadmin's message tools pull with (MixAll.TOOLS_CONSUMER_GROUP). */
export const TOOLS_CONSUMER_GROUP = 'TOOLS_CONSUMER';

const num = (v: string | undefined, def = 0): number => {
  const n = v === undefined ? NaN : Number(v);
  return Number.isFinite(n) ? n : def;
};

export class MQAdminCore extends AdminTransport {
  constructor(opts: MQAdminOptions) {
    super(opts);
  }

  // ------------------------------------------------------------------ name server

  async getClusterInfo(): Promise<ClusterInfo> {
    const resp = this.expect(await this.callNamesrv(RequestCode.GET_BROKER_CLUSTER_INFO), 'get cluster info');
    return decodeClusterInfo(this.bodyOf(resp, 'get cluster info'));
  }

  async getTopicList(): Promise<string[]> {
    const resp = this.expect(await this.callNamesrv(RequestCode.GET_ALL_TOPIC_LIST_FROM_NAMESERVER), 'get topic list');
    return decodeTopicList(this.bodyOf(resp, 'get topic list')).topicList;
  }

  async getTopicsByCluster(cluster: string): Promise<string[]> {
    const resp = this.expect(await this.callNamesrv(RequestCode.GET_TOPICS_BY_CLUSTER, { cluster }), `get topics of cluster ${cluster}`);
    return decodeTopicList(this.bodyOf(resp, 'get topics by cluster')).topicList;
  }

  async getTopicRoute(topic: string): Promise<TopicRouteData> {
    const resp = this.expect(await this.callNamesrv(RequestCode.GET_ROUTEINFO_BY_TOPIC, { topic, acceptStandardJsonOnly: true }), `route of topic ${topic}`, {
      notFound: [ResponseCode.TOPIC_NOT_EXIST],
    });
    return decodeTopicRouteData(this.bodyOf(resp, 'topic route'));
  }

  async getKvConfig(namespace: string, key: string): Promise<string> {
    const resp = this.expect(await this.callNamesrv(RequestCode.GET_KV_CONFIG, { namespace, key }), `kv ${namespace}/${key}`, {
      notFound: [ResponseCode.QUERY_NOT_FOUND],
    });
    return resp.field('value') ?? '';
  }

  async getKvList(namespace: string): Promise<Record<string, string>> {
    const resp = this.expect(await this.callNamesrv(RequestCode.GET_KVLIST_BY_NAMESPACE, { namespace }), `kv namespace ${namespace}`, {
      notFound: [ResponseCode.QUERY_NOT_FOUND],
    });
    return decodeKVTable(this.bodyOf(resp, 'kv list')).table;
  }

  /** Written to every name server, as mqadmin does. */
  async putKvConfig(namespace: string, key: string, value: string): Promise<void> {
    for (const { addr, resp } of await this.callAllNamesrv(RequestCode.PUT_KV_CONFIG, { namespace, key, value })) {
      this.expect(resp, `put kv ${namespace}/${key} on ${addr}`);
    }
  }

  async deleteKvConfig(namespace: string, key: string): Promise<void> {
    for (const { addr, resp } of await this.callAllNamesrv(RequestCode.DELETE_KV_CONFIG, { namespace, key })) {
      this.expect(resp, `delete kv ${namespace}/${key} on ${addr}`);
    }
  }

  /** Config of each name server, keyed by its address. */
  async getNamesrvConfig(): Promise<Record<string, Record<string, string>>> {
    const out: Record<string, Record<string, string>> = {};
    for (const { addr, resp } of await this.callAllNamesrv(RequestCode.GET_NAMESRV_CONFIG)) {
      this.expect(resp, `get config of name server ${addr}`);
      out[addr] = parseJavaProperties(resp.body ? resp.body.toString('utf8') : '');
    }
    return out;
  }

  async updateNamesrvConfig(props: Record<string, string>): Promise<void> {
    const body = Buffer.from(stringifyJavaProperties(props), 'utf8');
    for (const { addr, resp } of await this.callAllNamesrv(RequestCode.UPDATE_NAMESRV_CONFIG, undefined, body)) {
      this.expect(resp, `update config of name server ${addr}`);
    }
  }

  /** Per name server: how many topics lost write permission. */
  async wipeWritePerm(brokerName: string): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const { addr, resp } of await this.callAllNamesrv(RequestCode.WIPE_WRITE_PERM_OF_BROKER, { brokerName })) {
      this.expect(resp, `wipe write perm of ${brokerName} on ${addr}`);
      out[addr] = num(resp.field('wipeTopicCount'));
    }
    return out;
  }

  async addWritePerm(brokerName: string): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const { addr, resp } of await this.callAllNamesrv(RequestCode.ADD_WRITE_PERM_OF_BROKER, { brokerName })) {
      this.expect(resp, `add write perm of ${brokerName} on ${addr}`);
      out[addr] = num(resp.field('addTopicCount'));
    }
    return out;
  }

  async deleteTopicInNamesrv(topic: string, clusterName?: string): Promise<void> {
    for (const { addr, resp } of await this.callAllNamesrv(RequestCode.DELETE_TOPIC_IN_NAMESRV, { topic, clusterName })) {
      this.expect(resp, `delete topic ${topic} on name server ${addr}`);
    }
  }

  // ------------------------------------------------------------------ broker: topics and groups

  async createOrUpdateTopic(brokerAddr: string, tc: TopicConfig): Promise<void> {
    const attrs = Object.entries(tc.attributes ?? {});
    const fields = CreateTopicRequestHeader.toFields({
      topic: tc.topicName,
      defaultTopic: 'TBW102',
      readQueueNums: tc.readQueueNums,
      writeQueueNums: tc.writeQueueNums,
      perm: tc.perm,
      topicFilterType: tc.topicFilterType,
      topicSysFlag: tc.topicSysFlag,
      order: tc.order,
      attributes: attrs.length ? attrs.map(([k, v]) => `+${k}=${v}`).join(',') : undefined,
    });
    this.expect(await this.callBroker(brokerAddr, RequestCode.UPDATE_AND_CREATE_TOPIC, fields), `create topic ${tc.topicName} on ${brokerAddr}`);
  }

  async deleteTopicInBroker(brokerAddr: string, topic: string): Promise<void> {
    this.expect(await this.callBroker(brokerAddr, RequestCode.DELETE_TOPIC_IN_BROKER, { topic }), `delete topic ${topic} on ${brokerAddr}`);
  }

  async getAllTopicConfig(brokerAddr: string): Promise<Record<string, TopicConfig>> {
    const resp = this.expect(await this.callBroker(brokerAddr, RequestCode.GET_ALL_TOPIC_CONFIG), `topic configs of ${brokerAddr}`);
    return decodeTopicConfigWrapper(this.bodyOf(resp, 'topic configs')).topicConfigTable;
  }

  async getTopicStatsOnBroker(brokerAddr: string, topic: string): Promise<TopicStatsTable> {
    const resp = this.expect(await this.callBroker(brokerAddr, RequestCode.GET_TOPIC_STATS_INFO, { topic }), `stats of topic ${topic} on ${brokerAddr}`, {
      notFound: [ResponseCode.TOPIC_NOT_EXIST],
    });
    return decodeTopicStatsTable(this.bodyOf(resp, 'topic stats'));
  }

  async createOrUpdateGroup(brokerAddr: string, cfg: SubscriptionGroupConfig): Promise<void> {
    const body = encodeSubscriptionGroupConfig(cfg);
    this.expect(await this.callBroker(brokerAddr, RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP, undefined, body), `create group ${cfg.groupName} on ${brokerAddr}`);
  }

  async deleteGroup(brokerAddr: string, groupName: string, cleanOffset = false): Promise<void> {
    // 5.x reads cleanOffset, 4.9.8 removeOffset: send both
    const fields = DeleteSubscriptionGroupRequestHeader.toFields({ groupName, cleanOffset, removeOffset: cleanOffset });
    this.expect(await this.callBroker(brokerAddr, RequestCode.DELETE_SUBSCRIPTIONGROUP, fields), `delete group ${groupName} on ${brokerAddr}`, {
      notFound: [ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST],
    });
  }

  async getAllGroupConfig(brokerAddr: string): Promise<Record<string, SubscriptionGroupConfig>> {
    const resp = this.expect(await this.callBroker(brokerAddr, RequestCode.GET_ALL_SUBSCRIPTIONGROUP_CONFIG), `group configs of ${brokerAddr}`);
    return decodeSubscriptionGroupWrapper(this.bodyOf(resp, 'group configs')).subscriptionGroupTable;
  }

  async queryTopicConsumeByWho(brokerAddr: string, topic: string): Promise<string[]> {
    const resp = this.expect(await this.callBroker(brokerAddr, RequestCode.QUERY_TOPIC_CONSUME_BY_WHO, { topic }), `groups of topic ${topic} on ${brokerAddr}`, {
      notFound: [ResponseCode.TOPIC_NOT_EXIST],
    });
    return resp.body ? decodeGroupList(resp.body).groupList : [];
  }

  // ------------------------------------------------------------------ broker: consumers and producers

  async getConsumeStatsOnBroker(brokerAddr: string, consumerGroup: string, topic?: string): Promise<ConsumeStats> {
    const resp = this.expect(await this.callBroker(brokerAddr, RequestCode.GET_CONSUME_STATS, { consumerGroup, topic }), `consume stats of ${consumerGroup} on ${brokerAddr}`, {
      notFound: [ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST, ResponseCode.TOPIC_NOT_EXIST],
    });
    return decodeConsumeStats(this.bodyOf(resp, 'consume stats'));
  }

  /** null when no consumer of the group is online on that broker. */
  async getConsumerConnectionOnBroker(brokerAddr: string, consumerGroup: string): Promise<ConsumerConnection | null> {
    const resp = this.expect(await this.callBroker(brokerAddr, RequestCode.GET_CONSUMER_CONNECTION_LIST, { consumerGroup }), `connections of ${consumerGroup}`, {
      accept: [ResponseCode.CONSUMER_NOT_ONLINE],
    });
    if (resp.code === ResponseCode.CONSUMER_NOT_ONLINE) return null;
    return decodeConsumerConnection(this.bodyOf(resp, 'consumer connection'));
  }

  /** null when the producer group is unknown on that broker. */
  async getProducerConnectionOnBroker(brokerAddr: string, producerGroup: string): Promise<ProducerConnection | null> {
    const resp = await this.callBroker(brokerAddr, RequestCode.GET_PRODUCER_CONNECTION_LIST, { producerGroup });
    if (resp.code !== ResponseCode.SUCCESS) return null;
    return decodeProducerConnection(this.bodyOf(resp, 'producer connection'));
  }

  /** ConsumerRunningInfo as the client sent it (a fastjson object with MessageQueue keys turned into Maps). */
  async getConsumerRunningInfo(brokerAddr: string, consumerGroup: string, clientId: string, jstackEnable = false): Promise<unknown> {
    const resp = this.expect(
      await this.callBroker(brokerAddr, RequestCode.GET_CONSUMER_RUNNING_INFO, { consumerGroup, clientId, jstackEnable }, undefined, this.timeoutMs + 10000),
      `running info of ${clientId}`,
    );
    return parseBody(this.bodyOf(resp, 'consumer running info'), 'ConsumerRunningInfo');
  }

  /** CONSUME_MESSAGE_DIRECTLY: the broker hands the message to one client and returns its ConsumeMessageDirectlyResult. */
  async consumeMessageDirectly(
    brokerAddr: string,
    consumerGroup: string,
    clientId: string,
    msgId: string,
    extra: { topic?: string; brokerName?: string } = {},
  ): Promise<Record<string, unknown>> {
    const resp = this.expect(
      await this.callBroker(brokerAddr, RequestCode.CONSUME_MESSAGE_DIRECTLY, { consumerGroup, clientId, msgId, ...extra }, undefined, this.timeoutMs + 10000),
      `consume ${msgId} directly by ${clientId}`,
    );
    return (parseBody(this.bodyOf(resp, 'consume result'), 'ConsumeMessageDirectlyResult') ?? {}) as Record<string, unknown>;
  }

  // ------------------------------------------------------------------ broker: runtime and config

  async getBrokerRuntimeInfo(brokerAddr: string): Promise<Record<string, string>> {
    const resp = this.expect(await this.callBroker(brokerAddr, RequestCode.GET_BROKER_RUNTIME_INFO), `runtime info of ${brokerAddr}`);
    return decodeKVTable(this.bodyOf(resp, 'runtime info')).table;
  }

  async getBrokerConfig(brokerAddr: string): Promise<Record<string, string>> {
    const resp = this.expect(await this.callBroker(brokerAddr, RequestCode.GET_BROKER_CONFIG), `config of ${brokerAddr}`);
    return parseJavaProperties(resp.body ? resp.body.toString('utf8') : '');
  }

  async updateBrokerConfig(brokerAddr: string, props: Record<string, string>): Promise<void> {
    const body = Buffer.from(stringifyJavaProperties(props), 'utf8');
    this.expect(await this.callBroker(brokerAddr, RequestCode.UPDATE_BROKER_CONFIG, undefined, body), `update config of ${brokerAddr}`);
  }

  async cleanExpiredConsumeQueue(brokerAddr: string): Promise<boolean> {
    const resp = this.expect(await this.callBroker(brokerAddr, RequestCode.CLEAN_EXPIRED_CONSUMEQUEUE, undefined, undefined, Math.max(this.timeoutMs, 30000)), `clean expired consume queues on ${brokerAddr}`);
    return resp.code === ResponseCode.SUCCESS;
  }

  // ------------------------------------------------------------------ broker: offsets

  async getMaxOffset(brokerAddr: string, topic: string, queueId: number, brokerName?: string): Promise<number> {
    const resp = this.expect(await this.callBroker(brokerAddr, RequestCode.GET_MAX_OFFSET, GetMaxOffsetRequestHeader.toFields({ topic, queueId, brokerName })), `max offset of ${topic}:${queueId}`);
    return num(resp.field('offset'));
  }

  async getMinOffset(brokerAddr: string, topic: string, queueId: number, brokerName?: string): Promise<number> {
    const resp = this.expect(await this.callBroker(brokerAddr, RequestCode.GET_MIN_OFFSET, GetMinOffsetRequestHeader.toFields({ topic, queueId, brokerName })), `min offset of ${topic}:${queueId}`);
    return num(resp.field('offset'));
  }

  async searchOffset(brokerAddr: string, topic: string, queueId: number, timestamp: number, brokerName?: string): Promise<number> {
    const resp = this.expect(
      await this.callBroker(brokerAddr, RequestCode.SEARCH_OFFSET_BY_TIMESTAMP, SearchOffsetRequestHeader.toFields({ topic, queueId, timestamp, brokerName })),
      `search offset of ${topic}:${queueId} at ${timestamp}`,
    );
    return num(resp.field('offset'));
  }

  /** -1 when the group has no stored offset for that queue. */
  async queryConsumerOffset(brokerAddr: string, consumerGroup: string, topic: string, queueId: number): Promise<number> {
    const resp = this.expect(
      await this.callBroker(brokerAddr, RequestCode.QUERY_CONSUMER_OFFSET, QueryConsumerOffsetRequestHeader.toFields({ consumerGroup, topic, queueId, setZeroIfNotFound: false })),
      `offset of ${consumerGroup} on ${topic}:${queueId}`,
      { accept: [ResponseCode.QUERY_NOT_FOUND] },
    );
    return resp.code === ResponseCode.SUCCESS ? num(resp.field('offset'), -1) : -1;
  }

  async updateConsumerOffset(brokerAddr: string, consumerGroup: string, topic: string, queueId: number, commitOffset: number, brokerName?: string): Promise<void> {
    this.expect(
      await this.callBroker(brokerAddr, RequestCode.UPDATE_CONSUMER_OFFSET, UpdateConsumerOffsetRequestHeader.toFields({ consumerGroup, topic, queueId, commitOffset, brokerName })),
      `update offset of ${consumerGroup} on ${topic}:${queueId}`,
      { notFound: [ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST, ResponseCode.TOPIC_NOT_EXIST] },
    );
  }

  /**
   * INVOKE_BROKER_TO_RESET_OFFSET. Resolves to the per-queue offsets the broker chose, or null when the broker
   * says no consumer of the group is online (the caller then writes the offsets itself).
   */
  async invokeBrokerToResetOffset(
    brokerAddr: string,
    topic: string,
    group: string,
    timestamp: number,
    isForce = true,
    queue?: { queueId: number; offset: number },
  ): Promise<ResetOffsetBody | null> {
    const fields = ResetOffsetRequestHeader.toFields({ topic, group, timestamp, isForce, queueId: queue?.queueId ?? -1, offset: queue?.offset });
    const resp = this.expect(await this.callBroker(brokerAddr, RequestCode.INVOKE_BROKER_TO_RESET_OFFSET, fields), `reset offset of ${group} on ${topic}`, {
      accept: [ResponseCode.CONSUMER_NOT_ONLINE],
    });
    if (resp.code === ResponseCode.CONSUMER_NOT_ONLINE) return null;
    return resp.body && resp.body.length ? decodeResetOffsetBody(resp.body) : { offsetTable: [] };
  }

  // ------------------------------------------------------------------ broker: messages

  async pullMessage(brokerAddr: string, topic: string, queueId: number, queueOffset: number, maxMsgNums = 32, group = TOOLS_CONSUMER_GROUP): Promise<PullResult> {
    const fields = PullMessageRequestHeader.toFields({
      consumerGroup: group,
      topic,
      queueId,
      queueOffset,
      maxMsgNums,
      // the tool has sent no heartbeat, so it states its subscription with the request
      sysFlag: buildPullSysFlag({ subscription: true }),
      commitOffset: 0,
      suspendTimeoutMillis: 0,
      subscription: '*',
      subVersion: 0,
      expressionType: 'TAG',
    });
    const resp = await this.callBroker(brokerAddr, RequestCode.PULL_MESSAGE, fields);
    const rh = PullMessageResponseHeader.fromFields(resp.extFields, { strict: false });
    const header = { nextBeginOffset: rh.nextBeginOffset ?? queueOffset, minOffset: rh.minOffset ?? 0, maxOffset: rh.maxOffset ?? 0 };
    switch (resp.code) {
      case ResponseCode.SUCCESS:
        return {
          status: 'FOUND',
          ...header,
          // as the Java client does, each message learns its queue's bounds
          messages: (resp.body ? decodeMessages(resp.body) : []).map((m) => {
            m.properties.MIN_OFFSET = String(header.minOffset);
            m.properties.MAX_OFFSET = String(header.maxOffset);
            return m;
          }),
        };
      case ResponseCode.PULL_NOT_FOUND:
        return { status: 'NO_NEW_MSG', ...header, messages: [] };
      case ResponseCode.PULL_RETRY_IMMEDIATELY:
        return { status: 'NO_MATCHED_MSG', ...header, messages: [] };
      case ResponseCode.PULL_OFFSET_MOVED:
        return { status: 'OFFSET_ILLEGAL', ...header, messages: [] };
      default:
        this.expect(resp, `pull ${topic}:${queueId}@${queueOffset} from ${brokerAddr}`, { notFound: [ResponseCode.TOPIC_NOT_EXIST] });
        throw new AdminError('unreachable');
    }
  }

  /** VIEW_MESSAGE_BY_ID: the record at a commitlog offset. */
  async viewMessage(brokerAddr: string, commitLogOffset: number, topic?: string): Promise<MessageExt> {
    const resp = await this.callBroker(brokerAddr, RequestCode.VIEW_MESSAGE_BY_ID, ViewMessageRequestHeader.toFields({ offset: commitLogOffset, topic }));
    if (resp.code !== ResponseCode.SUCCESS) {
      throw new NotFoundError(`message at commitlog offset ${commitLogOffset} on ${brokerAddr} not found: ${resp.remark ?? `code ${resp.code}`}`, resp.code, resp.remark);
    }
    const msg = resp.body ? decodeRecord(resp.body) : null;
    if (!msg) throw new AdminError(`message at commitlog offset ${commitLogOffset} on ${brokerAddr}: undecodable record`);
    return msg;
  }

  /** QUERY_MESSAGE through the index; hash collisions are filtered by the caller. Empty when nothing matched. */
  async queryMessageOnBroker(
    brokerAddr: string,
    q: { topic: string; key: string; maxNum: number; beginTimestamp: number; endTimestamp: number; uniqueKey?: boolean },
  ): Promise<MessageExt[]> {
    const fields = {
      ...QueryMessageRequestHeader.toFields({ topic: q.topic, key: q.key, maxNum: q.maxNum, beginTimestamp: q.beginTimestamp, endTimestamp: q.endTimestamp }),
      _UNIQUE_KEY_QUERY: q.uniqueKey ? 'true' : 'false',
    };
    const resp = await this.callBroker(brokerAddr, RequestCode.QUERY_MESSAGE, fields, undefined, Math.max(this.timeoutMs, 15000));
    if (resp.code === ResponseCode.QUERY_NOT_FOUND) return [];
    this.expect(resp, `query ${q.topic} key ${q.key} on ${brokerAddr}`);
    return resp.body ? decodeMessages(resp.body) : [];
  }

  // ------------------------------------------------------------------ broker: stats and sending

  /** GET_BROKER_CONSUME_STATS: consume stats of every group on one broker. */
  async getBrokerConsumeStats(brokerAddr: string, isOrder = false, timeoutMs = 50000): Promise<{ stats: Array<{ group: string; stats: ConsumeStats[] }>; totalDiff: number }> {
    const resp = this.expect(await this.callBroker(brokerAddr, RequestCode.GET_BROKER_CONSUME_STATS, { isOrder }, undefined, timeoutMs), `consume stats of ${brokerAddr}`);
    const o = parseObjectBody(this.bodyOf(resp, 'consume stats list'), 'ConsumeStatsList');
    const stats: Array<{ group: string; stats: ConsumeStats[] }> = [];
    for (const item of Array.isArray(o.consumeStatsList) ? o.consumeStatsList : []) {
      for (const [g, list] of mapEntries(item)) {
        stats.push({ group: String(g), stats: (Array.isArray(list) ? list : []).map((cs) => decodeConsumeStats(stringifyFastjson(cs))) });
      }
    }
    return { stats, totalDiff: asNumber(o.totalDiff, 0) };
  }

  /** VIEW_BROKER_STATS_DATA (e.g. TOPIC_PUT_NUMS / topic, GROUP_GET_NUMS / topic@group); null when the broker has none. */
  async viewBrokerStatsData(brokerAddr: string, statsName: string, statsKey: string): Promise<BrokerStatsData | null> {
    const resp = await this.callBroker(brokerAddr, RequestCode.VIEW_BROKER_STATS_DATA, { statsName, statsKey });
    if (resp.code !== ResponseCode.SUCCESS || !resp.body) return null;
    return decodeBrokerStatsData(resp.body);
  }

  /** SEND_MESSAGE_V2 of one message to one queue (what mqadmin sendMessage does through a producer). */
  async sendMessage(
    brokerAddr: string,
    m: { topic: string; queueId: number; body: Buffer; keys?: string; tags?: string; producerGroup?: string; brokerName?: string },
  ): Promise<{ msgId: string; offsetMsgId: string; queueId: number; queueOffset: number; status: string }> {
    const uniq = createUniqId();
    const props: Record<string, string> = { UNIQ_KEY: uniq, WAIT: 'true' };
    if (m.keys) props.KEYS = m.keys;
    if (m.tags) props.TAGS = m.tags;
    const fields = SendMessageRequestHeaderV2.toFields({
      producerGroup: m.producerGroup ?? 'PID_MQCTL_ADMIN',
      topic: m.topic,
      defaultTopic: 'TBW102',
      defaultTopicQueueNums: 4,
      queueId: m.queueId,
      sysFlag: 0,
      bornTimestamp: Date.now(),
      flag: 0,
      properties: messageProperties2String(props),
      reconsumeTimes: 0,
      unitMode: false,
      batch: false,
      brokerName: m.brokerName,
    });
    const resp = this.expect(await this.callBroker(brokerAddr, RequestCode.SEND_MESSAGE_V2, fields, m.body), `send to ${m.topic}:${m.queueId}`, {
      accept: [ResponseCode.FLUSH_DISK_TIMEOUT, ResponseCode.FLUSH_SLAVE_TIMEOUT, ResponseCode.SLAVE_NOT_AVAILABLE],
      notFound: [ResponseCode.TOPIC_NOT_EXIST],
    });
    const status = { 0: 'SEND_OK', 10: 'FLUSH_DISK_TIMEOUT', 11: 'SLAVE_NOT_AVAILABLE', 12: 'FLUSH_SLAVE_TIMEOUT' }[resp.code] ?? 'SEND_OK';
    return { msgId: uniq, offsetMsgId: resp.field('msgId') ?? '', queueId: num(resp.field('queueId'), m.queueId), queueOffset: num(resp.field('queueOffset')), status };
  }

  // ------------------------------------------------------------------ addressing helpers

  /** Master address of every broker of a cluster (or of all clusters). */
  async masterAddrs(cluster?: string): Promise<Array<{ cluster: string; brokerName: string; addr: string }>> {
    const ci = await this.getClusterInfo();
    const out: Array<{ cluster: string; brokerName: string; addr: string }> = [];
    const clusters = cluster ? [cluster] : Object.keys(ci.clusterAddrTable).sort();
    if (cluster && !ci.clusterAddrTable[cluster]) throw new NotFoundError(`cluster ${cluster} not found`);
    for (const c of clusters) {
      for (const name of [...(ci.clusterAddrTable[c] ?? [])].sort()) {
        const bd = ci.brokerAddrTable[name];
        const addr = bd?.brokerAddrs.get(0);
        if (addr) out.push({ cluster: c, brokerName: name, addr });
      }
    }
    return out;
  }

  /** "host:port" as given, or the master address of a broker name. */
  async resolveBrokerAddr(nameOrAddr: string): Promise<string> {
    if (/:\d+$/.test(nameOrAddr)) return nameOrAddr;
    const ci = await this.getClusterInfo();
    const bd = ci.brokerAddrTable[nameOrAddr];
    const addr = bd ? selectBrokerAddr(bd) : undefined;
    if (!addr) throw new NotFoundError(`broker ${nameOrAddr} not found in the name server`);
    return addr;
  }

  /** Broker name -> address used for reads of a topic (master, else lowest id). */
  routeBrokerAddrs(route: TopicRouteData): Map<string, string> {
    const m = new Map<string, string>();
    for (const bd of route.brokerDatas) {
      const a = selectBrokerAddr(bd);
      if (a) m.set(bd.brokerName, a);
    }
    return m;
  }
}
