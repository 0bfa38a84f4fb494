/**
 * Request processors of the name server (requests.md §5): one function per request code, registered on a
 * RemotingServer. Semantics follow Apache's DefaultRequestProcessor / ClientRequestProcessor.
 */
import { bodyCrc } from '../common/crc32.js';
import type { Logger } from '../common/logger.js';
import { RemotingCommand } from '../remoting/command.js';
import type { Channel, RemotingServer } from '../remoting/server.js';
import { RequestCode, ResponseCode } from '../protocol/codes.js';
import { decodeRequired } from '../protocol/header.js';
import { parseJavaProperties, stringifyJavaProperties } from '../protocol/java-properties.js';
import { encodeKVTable, encodeTopicList } from '../protocol/admin.js';
import {
  decodeDataVersion,
  decodeRegisterBrokerBody,
  decodeTopicRouteData,
  encodeBrokerMemberGroupBody,
  encodeClusterInfo,
  encodeDataVersion,
  encodeTopicRouteData,
} from '../protocol/route.js';
import {
  AddWritePermOfBrokerRequestHeader,
  AddWritePermOfBrokerResponseHeader,
  BrokerHeartbeatRequestHeader,
  DeleteKVConfigRequestHeader,
  DeleteTopicFromNamesrvRequestHeader,
  GetBrokerMemberGroupRequestHeader,
  GetKVConfigRequestHeader,
  GetKVConfigResponseHeader,
  GetKVListByNamespaceRequestHeader,
  GetRouteInfoRequestHeader,
  GetTopicsByClusterRequestHeader,
  ORDER_TOPIC_CONFIG_NAMESPACE,
  PutKVConfigRequestHeader,
  QueryDataVersionRequestHeader,
  QueryDataVersionResponseHeader,
  RegisterBrokerRequestHeader,
  RegisterBrokerResponseHeader,
  RegisterTopicRequestHeader,
  UnRegisterBrokerRequestHeader,
  WipeWritePermOfBrokerRequestHeader,
  WipeWritePermOfBrokerResponseHeader,
} from '../protocol/namesrv.js';
import { type NamesrvConfig, applyProperties, blackListOf, configToProperties } from './config.js';
import type { KVConfigManager } from './kv-config.js';
import type { RouteInfoManager } from './route-info-manager.js';

/** First release whose clients get standard JSON route bodies: V4_9_4. */
const VERSION_STANDARD_JSON_ROUTE = 401;
/** Older than V3_0_11 a broker sends a bare TopicConfigSerializeWrapper. */
const VERSION_REGISTER_BODY = 37;
const APPLY_TOPIC_URL = 'https://rocketmq.apache.org/docs/bestPractice/06FAQ';

/** the FAQUrl suffix Apache appends: the "See <url> for further details." suffix. */
function faqHint(url: string): string {
  return `\nSee ${url} for further details.`;
}

export interface NamesrvContext {
  routes: RouteInfoManager;
  kv: KVConfigManager;
  config: NamesrvConfig;
  logger: Logger;
  /** Start time in ms (needWaitForService window). */
  startedAt: number;
  /** Called after UPDATE_NAMESRV_CONFIG changed keys (re-arm timers, persist). */
  onConfigUpdated(keys: string[]): void;
}

function ok(fields?: Record<string, unknown>, body?: Buffer): RemotingCommand {
  const r = RemotingCommand.createResponse(ResponseCode.SUCCESS, undefined, fields);
  if (body && body.length > 0) r.body = body;
  return r;
}

function fail(code: number, remark: string): RemotingCommand {
  return RemotingCommand.createResponse(code, remark);
}

export function registerNamesrvProcessors(server: RemotingServer, ctx: NamesrvContext): void {
  const { routes, kv, config, logger } = ctx;
  const on = (code: number, p: (req: RemotingCommand, ch: Channel) => RemotingCommand): void => server.registerProcessor(code, p);

  on(RequestCode.REGISTER_BROKER, (req, ch) => {
    const h = decodeRequired(RegisterBrokerRequestHeader, req.extFields);
    if (h.bodyCrc32 !== undefined && h.bodyCrc32 !== 0) {
      const crc = req.body ? bodyCrc(req.body) : 0;
      if (crc !== h.bodyCrc32) {
        logger.warn(`receive registerBroker request, crc32 not match, from ${ch.remoteAddr}`);
        return fail(ResponseCode.SYSTEM_ERROR, 'crc32 not match');
      }
    }
    const body = decodeRegisterBrokerBody(req.body, { compressed: h.compressed, version: req.version });
    if (req.version < VERSION_REGISTER_BODY) body.filterServerList = [];
    const result = routes.registerBroker({
      clusterName: h.clusterName!,
      brokerAddr: h.brokerAddr!,
      brokerName: h.brokerName!,
      brokerId: h.brokerId!,
      haServerAddr: h.haServerAddr,
      zoneName: req.field('__ZONE_NAME'),
      heartbeatTimeoutMillis: h.heartbeatTimeoutMillis,
      enableActingMaster: h.enableActingMaster,
      topicConfigWrapper: body.topicConfigSerializeWrapper,
      filterServerList: body.filterServerList,
      channel: ch,
      deleteMissingTopics: config.deleteTopicWithBrokerRegistration,
    });
    let orderConf: Buffer | undefined;
    if (config.returnOrderTopicConfigToBroker) {
      const table = kv.list(ORDER_TOPIC_CONFIG_NAMESPACE);
      if (table) orderConf = encodeKVTable({ table });
    }
    return ok(RegisterBrokerResponseHeader.toFields(result), orderConf);
  });

  on(RequestCode.UNREGISTER_BROKER, (req) => {
    const h = decodeRequired(UnRegisterBrokerRequestHeader, req.extFields);
    routes.unregisterBroker(h.clusterName!, h.brokerAddr!, h.brokerName!, h.brokerId!);
    return ok();
  });

  on(RequestCode.QUERY_DATA_VERSION, (req) => {
    const h = decodeRequired(QueryDataVersionRequestHeader, req.extFields);
    const dv = decodeDataVersion(req.body ?? Buffer.from('{}'));
    const changed = routes.isBrokerTopicConfigChanged(h.clusterName!, h.brokerAddr!, dv);
    if (!changed) routes.updateBrokerInfoUpdateTimestamp(h.clusterName!, h.brokerAddr!);
    const known = routes.queryBrokerTopicConfig(h.clusterName!, h.brokerAddr!);
    return ok(QueryDataVersionResponseHeader.toFields({ changed }), known ? encodeDataVersion(known) : undefined);
  });

  on(RequestCode.BROKER_HEARTBEAT, (req) => {
    const h = decodeRequired(BrokerHeartbeatRequestHeader, req.extFields);
    routes.updateBrokerInfoUpdateTimestamp(h.clusterName!, h.brokerAddr!);
    return ok();
  });

  on(RequestCode.GET_ROUTEINFO_BY_TOPIC, (req) => {
    const h = decodeRequired(GetRouteInfoRequestHeader, req.extFields);
    // 5.x: brokers get time to re-register after a restart before clients are given routes
    if (config.needWaitForService && Date.now() - ctx.startedAt < config.waitSecondsForService * 1000) {
      return fail(ResponseCode.SYSTEM_ERROR, 'name server not ready');
    }
    const rd = routes.pickupTopicRouteData(h.topic!, { supportActingMaster: config.supportActingMaster });
    if (!rd) {
      return fail(ResponseCode.TOPIC_NOT_EXIST, `No topic route info in name server for the topic: ${h.topic}${faqHint(APPLY_TOPIC_URL)}`);
    }
    if (config.orderMessageEnable) {
      const conf = kv.get(ORDER_TOPIC_CONFIG_NAMESPACE, h.topic!);
      if (conf !== undefined) rd.orderTopicConf = conf;
    }
    const standard = req.version >= VERSION_STANDARD_JSON_ROUTE || h.acceptStandardJsonOnly === true;
    return ok(undefined, encodeTopicRouteData(rd, { standard }));
  });

  on(RequestCode.REGISTER_TOPIC_IN_NAMESRV, (req) => {
    const h = decodeRequired(RegisterTopicRequestHeader, req.extFields);
    if (req.body && req.body.length > 0) routes.registerTopic(h.topic!, decodeTopicRouteData(req.body).queueDatas);
    return ok();
  });

  on(RequestCode.GET_BROKER_MEMBER_GROUP, (req) => {
    const h = decodeRequired(GetBrokerMemberGroupRequestHeader, req.extFields);
    const bd = routes.brokerAddrTable.get(h.brokerName!);
    return ok(undefined, encodeBrokerMemberGroupBody({ cluster: h.clusterName!, brokerName: h.brokerName!, brokerAddrs: new Map(bd?.brokerAddrs ?? []) }));
  });

  on(RequestCode.GET_BROKER_CLUSTER_INFO, () => ok(undefined, encodeClusterInfo(routes.getAllClusterInfo())));

  on(RequestCode.WIPE_WRITE_PERM_OF_BROKER, (req, ch) => {
    const h = decodeRequired(WipeWritePermOfBrokerRequestHeader, req.extFields);
    const n = routes.operateWritePermOfBroker(h.brokerName!, true);
    logger.info(`wipe write perm of broker[${h.brokerName}], client: ${ch.remoteAddr}, ${n}`);
    return ok(WipeWritePermOfBrokerResponseHeader.toFields({ wipeTopicCount: n }));
  });

  on(RequestCode.ADD_WRITE_PERM_OF_BROKER, (req, ch) => {
    const h = decodeRequired(AddWritePermOfBrokerRequestHeader, req.extFields);
    const n = routes.operateWritePermOfBroker(h.brokerName!, false);
    logger.info(`add write perm of broker[${h.brokerName}], client: ${ch.remoteAddr}, ${n}`);
    return ok(AddWritePermOfBrokerResponseHeader.toFields({ addTopicCount: n }));
  });

  on(RequestCode.GET_ALL_TOPIC_LIST_FROM_NAMESERVER, () => {
    if (!config.enableAllTopicList) return fail(ResponseCode.SYSTEM_ERROR, 'disable');
    return ok(undefined, encodeTopicList({ topicList: routes.getAllTopicList() }));
  });

  on(RequestCode.GET_TOPICS_BY_CLUSTER, (req) => {
    if (!config.enableTopicList) return fail(ResponseCode.SYSTEM_ERROR, 'disable');
    const h = decodeRequired(GetTopicsByClusterRequestHeader, req.extFields);
    return ok(undefined, encodeTopicList({ topicList: routes.getTopicsByCluster(h.cluster!) }));
  });

  on(RequestCode.GET_SYSTEM_TOPIC_LIST_FROM_NS, () => ok(undefined, encodeTopicList(routes.getSystemTopicList())));

  const unitList = (list: () => string[]) => (): RemotingCommand => {
    if (!config.enableTopicList) return fail(ResponseCode.SYSTEM_ERROR, 'disable');
    return ok(undefined, encodeTopicList({ topicList: list() }));
  };
  on(RequestCode.GET_UNIT_TOPIC_LIST, unitList(() => routes.getUnitTopics()));
  on(RequestCode.GET_HAS_UNIT_SUB_TOPIC_LIST, unitList(() => routes.getHasUnitSubTopics()));
  on(RequestCode.GET_HAS_UNIT_SUB_UNUNIT_TOPIC_LIST, unitList(() => routes.getHasUnitSubUnUnitTopics()));

  on(RequestCode.DELETE_TOPIC_IN_NAMESRV, (req) => {
    const h = decodeRequired(DeleteTopicFromNamesrvRequestHeader, req.extFields);
    routes.deleteTopic(h.topic!, h.clusterName);
    return ok();
  });

  on(RequestCode.PUT_KV_CONFIG, (req) => {
    const h = decodeRequired(PutKVConfigRequestHeader, req.extFields);
    kv.put(h.namespace!, h.key!, h.value!);
    return ok();
  });

  on(RequestCode.GET_KV_CONFIG, (req) => {
    const h = decodeRequired(GetKVConfigRequestHeader, req.extFields);
    const value = kv.get(h.namespace!, h.key!);
    if (value === undefined) return fail(ResponseCode.QUERY_NOT_FOUND, `No config item, Namespace: ${h.namespace} Key: ${h.key}`);
    return ok(GetKVConfigResponseHeader.toFields({ value }));
  });

  on(RequestCode.DELETE_KV_CONFIG, (req) => {
    const h = decodeRequired(DeleteKVConfigRequestHeader, req.extFields);
    kv.delete(h.namespace!, h.key!);
    return ok();
  });

  on(RequestCode.GET_KVLIST_BY_NAMESPACE, (req) => {
    const h = decodeRequired(GetKVListByNamespaceRequestHeader, req.extFields);
    const table = kv.list(h.namespace!);
    if (!table) return fail(ResponseCode.QUERY_NOT_FOUND, `No config item, Namespace: ${h.namespace}`);
    return ok(undefined, encodeKVTable({ table }));
  });

  on(RequestCode.GET_NAMESRV_CONFIG, () => ok(undefined, Buffer.from(stringifyJavaProperties(configToProperties(config)), 'utf8')));

  on(RequestCode.UPDATE_NAMESRV_CONFIG, (req, ch) => {
    logger.info(`updateConfig called by ${ch.remoteAddr}`);
    if (!req.body || req.body.length === 0) return ok();
    const props = parseJavaProperties(req.body.toString('utf8'));
    const black = blackListOf(config);
    if (Object.keys(props).some((k) => black.has(k))) return fail(ResponseCode.NO_PERMISSION, 'Can not update config in black list.');
    const keys = applyProperties(config, props);
    ctx.onConfigUpdated(keys);
    return ok();
  });
}
