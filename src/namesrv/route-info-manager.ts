/**
 * The name server's route registry (semantics.md §13): topic queue table, broker address table (one BrokerData
 * per broker name, master and slaves keyed by brokerId), cluster table, broker liveness and filter servers.
 * All state is in memory; only the KV config is persisted (kv-config.ts).
 */
import { putOwn } from '../protocol/body.js';
import type { Logger } from '../common/logger.js';
import { silentLogger } from '../common/logger.js';
import { PERM_READ, PERM_WRITE } from '../common/perm.js';
import {
  type BrokerData,
  type ClusterInfo,
  type DataVersion,
  type QueueData,
  type TopicConfigSerializeWrapper,
  type TopicRouteData,
  cloneBrokerData,
  dataVersionEquals,
} from '../protocol/route.js';

/** Default broker expiry when the broker does not send heartbeatTimeoutMillis (BROKER_CHANNEL_EXPIRED_TIME). */
export const DEFAULT_BROKER_EXPIRED_MILLIS = 120_000;

/** TopicSysFlag unit bits. */
const FLAG_UNIT = 0x1;
const FLAG_UNIT_SUB = 0x2;

/** Something that can be closed when its broker expires: a server channel. */
export interface LiveChannel {
  readonly id: string;
  close(): void;
}

export interface BrokerLiveInfo {
  lastUpdateTimestamp: number;
  heartbeatTimeoutMillis: number;
  dataVersion: DataVersion;
  channel?: LiveChannel;
  haServerAddr?: string;
}

export interface RegisterBrokerParams {
  clusterName: string;
  brokerAddr: string;
  brokerName: string;
  brokerId: number;
  haServerAddr?: string;
  zoneName?: string;
  heartbeatTimeoutMillis?: number;
  /** undefined = an old (pre-5.x) broker. */
  enableActingMaster?: boolean;
  topicConfigWrapper?: TopicConfigSerializeWrapper;
  filterServerList?: string[];
  channel?: LiveChannel;
  /** namesrv deleteTopicWithBrokerRegistration: topics the master no longer reports lose its queue data. */
  deleteMissingTopics?: boolean;
}

export interface RegisterBrokerResult {
  haServerAddr?: string;
  masterAddr?: string;
}

function liveKey(cluster: string, addr: string): string {
  // cluster names and addresses never contain NUL
  return `${cluster}\u0000${addr}`;
}

export class RouteInfoManager {
  /** topic -> brokerName -> QueueData */
  readonly topicQueueTable = new Map<string, Map<string, QueueData>>();
  /** brokerName -> BrokerData */
  readonly brokerAddrTable = new Map<string, BrokerData>();
  /** cluster -> broker names */
  readonly clusterAddrTable = new Map<string, Set<string>>();
  /** (cluster, brokerAddr) -> liveness */
  readonly brokerLiveTable = new Map<string, BrokerLiveInfo & { clusterName: string; brokerAddr: string }>();
  /** (cluster, brokerAddr) -> filter server addresses */
  readonly filterServerTable = new Map<string, string[]>();
  /** topic -> brokerName -> TopicQueueMappingInfo (5.x static topics), kept as raw JSON. */
  readonly topicQueueMappingInfoTable = new Map<string, Map<string, unknown>>();

  constructor(
    private readonly logger: Logger = silentLogger,
    /** Expiry of brokers that register without heartbeatTimeoutMillis; may be changed at run time. */
    public defaultExpiryMillis: number = DEFAULT_BROKER_EXPIRED_MILLIS,
    private readonly now: () => number = Date.now,
  ) {}

  registerBroker(p: RegisterBrokerParams): RegisterBrokerResult {
    const result: RegisterBrokerResult = {};
    let brokerNames = this.clusterAddrTable.get(p.clusterName);
    if (!brokerNames) this.clusterAddrTable.set(p.clusterName, (brokerNames = new Set()));
    brokerNames.add(p.brokerName);

    let registerFirst = false;
    let brokerData = this.brokerAddrTable.get(p.brokerName);
    if (!brokerData) {
      registerFirst = true;
      brokerData = { cluster: p.clusterName, brokerName: p.brokerName, brokerAddrs: new Map(), enableActingMaster: false };
      if (p.zoneName !== undefined) brokerData.zoneName = p.zoneName;
      this.brokerAddrTable.set(p.brokerName, brokerData);
    }
    const oldVersionBroker = p.enableActingMaster === undefined;
    brokerData.enableActingMaster = oldVersionBroker ? false : p.enableActingMaster;
    if (p.zoneName !== undefined) brokerData.zoneName = p.zoneName;

    const newStateVersion = p.topicConfigWrapper?.dataVersion.stateVersion ?? 0;
    const oldAddr = brokerData.brokerAddrs.get(p.brokerId);
    if (oldAddr !== undefined && oldAddr !== p.brokerAddr) {
      // 5.x: a stale registration for a broker id that moved to another address is ignored
      const oldInfo = this.brokerLiveTable.get(liveKey(p.clusterName, oldAddr));
      if (oldInfo && oldInfo.dataVersion.stateVersion > newStateVersion) {
        this.logger.warn(
          `registered broker conflicts with the existing broker: ${p.brokerName} id ${p.brokerId} ${p.brokerAddr} (existing ${oldAddr})`,
        );
        this.brokerLiveTable.delete(liveKey(p.clusterName, p.brokerAddr));
        return result;
      }
    }

    // the same address registered under another id: a slave became master (or the reverse)
    for (const [id, addr] of [...brokerData.brokerAddrs]) {
      if (addr === p.brokerAddr && id !== p.brokerId) brokerData.brokerAddrs.delete(id);
    }
    const prev = brokerData.brokerAddrs.get(p.brokerId);
    brokerData.brokerAddrs.set(p.brokerId, p.brokerAddr);
    brokerData.brokerAddrs = new Map([...brokerData.brokerAddrs.entries()].sort((a, b) => a[0] - b[0]));
    registerFirst = registerFirst || prev === undefined;

    const isMaster = p.brokerId === 0;
    const minId = Math.min(...brokerData.brokerAddrs.keys());
    const isPrimeSlave = !oldVersionBroker && !isMaster && p.enableActingMaster === true && p.brokerId === minId;

    const wrapper = p.topicConfigWrapper;
    if (wrapper && (isMaster || isPrimeSlave)) {
      const changed = this.isBrokerTopicConfigChanged(p.clusterName, p.brokerAddr, wrapper.dataVersion);
      if (p.deleteMissingTopics && isMaster && (changed || registerFirst)) {
        for (const [topic, m] of [...this.topicQueueTable]) {
          if (!m.has(p.brokerName) || Object.prototype.hasOwnProperty.call(wrapper.topicConfigTable, topic)) continue;
          m.delete(p.brokerName);
          this.logger.info(`broker ${p.brokerName} no longer has topic ${topic}, its queue data removed`);
          if (m.size === 0) this.topicQueueTable.delete(topic);
        }
      }
      for (const tc of Object.values(wrapper.topicConfigTable)) {
        if (registerFirst || changed || !this.topicQueueTable.get(tc.topicName)?.has(p.brokerName)) {
          // an acting master (prime slave) serves reads only
          const perm = isPrimeSlave ? tc.perm & ~PERM_WRITE : tc.perm;
          this.createAndUpdateQueueData(p.brokerName, {
            brokerName: p.brokerName,
            readQueueNums: tc.readQueueNums,
            writeQueueNums: tc.writeQueueNums,
            perm,
            topicSysFlag: tc.topicSysFlag,
          }, tc.topicName);
        }
      }
      for (const [topic, info] of Object.entries(wrapper.topicQueueMappingInfoMap ?? {})) {
        let m = this.topicQueueMappingInfoTable.get(topic);
        if (!m) this.topicQueueMappingInfoTable.set(topic, (m = new Map()));
        m.set(p.brokerName, info);
      }
    }

    const key = liveKey(p.clusterName, p.brokerAddr);
    const previous = this.brokerLiveTable.get(key);
    this.brokerLiveTable.set(key, {
      clusterName: p.clusterName,
      brokerAddr: p.brokerAddr,
      lastUpdateTimestamp: this.now(),
      heartbeatTimeoutMillis: p.heartbeatTimeoutMillis && p.heartbeatTimeoutMillis > 0 ? p.heartbeatTimeoutMillis : this.defaultExpiryMillis,
      dataVersion: wrapper?.dataVersion ?? { counter: 0, stateVersion: 0, timestamp: 0 },
      channel: p.channel ?? previous?.channel,
      haServerAddr: p.haServerAddr,
    });
    if (!previous) this.logger.info(`new broker registered, ${p.brokerAddr} HAService: ${p.haServerAddr ?? ''}`);

    if (p.filterServerList && p.filterServerList.length > 0) this.filterServerTable.set(key, [...p.filterServerList]);
    else this.filterServerTable.delete(key);

    if (!isMaster) {
      const masterAddr = brokerData.brokerAddrs.get(0);
      if (masterAddr !== undefined) {
        const masterLive = this.brokerLiveTable.get(liveKey(p.clusterName, masterAddr));
        if (masterLive) {
          result.haServerAddr = masterLive.haServerAddr;
          result.masterAddr = masterAddr;
        }
      }
    }
    return result;
  }

  private createAndUpdateQueueData(brokerName: string, qd: QueueData, topic: string): void {
    let m = this.topicQueueTable.get(topic);
    if (!m) {
      this.topicQueueTable.set(topic, (m = new Map()));
      this.logger.info(`new topic registered, ${topic} ${JSON.stringify(qd)}`);
    }
    const old = m.get(brokerName);
    if (old && (old.perm !== qd.perm || old.readQueueNums !== qd.readQueueNums || old.writeQueueNums !== qd.writeQueueNums || old.topicSysFlag !== qd.topicSysFlag)) {
      this.logger.info(`topic changed, ${topic} OLD: ${JSON.stringify(old)} NEW: ${JSON.stringify(qd)}`);
    }
    m.set(brokerName, qd);
  }

  /** True when the broker is unknown or registered another DataVersion. */
  isBrokerTopicConfigChanged(clusterName: string, brokerAddr: string, dv: DataVersion): boolean {
    const live = this.brokerLiveTable.get(liveKey(clusterName, brokerAddr));
    return !live || !dataVersionEquals(live.dataVersion, dv);
  }

  queryBrokerTopicConfig(clusterName: string, brokerAddr: string): DataVersion | undefined {
    return this.brokerLiveTable.get(liveKey(clusterName, brokerAddr))?.dataVersion;
  }

  updateBrokerInfoUpdateTimestamp(clusterName: string, brokerAddr: string): void {
    const live = this.brokerLiveTable.get(liveKey(clusterName, brokerAddr));
    if (live) live.lastUpdateTimestamp = this.now();
  }

  unregisterBroker(clusterName: string, brokerAddr: string, brokerName: string, brokerId: number): void {
    const key = liveKey(clusterName, brokerAddr);
    const live = this.brokerLiveTable.get(key);
    this.brokerLiveTable.delete(key);
    this.filterServerTable.delete(key);
    this.logger.info(`unregisterBroker, remove from brokerLiveTable ${live ? 'OK' : 'Failed'}, ${brokerAddr}`);

    let removeBrokerName = false;
    const bd = this.brokerAddrTable.get(brokerName);
    if (bd) {
      if (bd.brokerAddrs.get(brokerId) === brokerAddr) bd.brokerAddrs.delete(brokerId);
      else for (const [id, addr] of [...bd.brokerAddrs]) if (addr === brokerAddr) bd.brokerAddrs.delete(id);
      if (bd.brokerAddrs.size === 0) {
        this.brokerAddrTable.delete(brokerName);
        removeBrokerName = true;
      }
    }
    if (removeBrokerName) {
      const names = this.clusterAddrTable.get(clusterName);
      if (names) {
        names.delete(brokerName);
        if (names.size === 0) this.clusterAddrTable.delete(clusterName);
      }
      this.removeTopicByBrokerName(brokerName);
    }
  }

  private removeTopicByBrokerName(brokerName: string): void {
    for (const [topic, m] of [...this.topicQueueTable]) {
      if (m.delete(brokerName)) this.logger.info(`removeTopicByBrokerName, remove one broker's topic ${brokerName} ${topic}`);
      if (m.size === 0) {
        this.topicQueueTable.delete(topic);
        this.logger.info(`removeTopicByBrokerName, remove the topic all queue ${topic}`);
      }
    }
    for (const [topic, m] of [...this.topicQueueMappingInfoTable]) {
      m.delete(brokerName);
      if (m.size === 0) this.topicQueueMappingInfoTable.delete(topic);
    }
  }

  /** The broker whose connection this was is dropped at once. */
  onChannelDestroy(channel: LiveChannel): void {
    for (const info of [...this.brokerLiveTable.values()]) {
      if (info.channel && info.channel.id === channel.id) {
        this.logger.info(`the broker's channel destroyed, ${info.brokerAddr}, clean it's data structure at once`);
        this.unregisterByAddr(info.clusterName, info.brokerAddr);
      }
    }
  }

  private unregisterByAddr(clusterName: string, brokerAddr: string): void {
    for (const bd of this.brokerAddrTable.values()) {
      if (bd.cluster !== clusterName) continue;
      for (const [id, addr] of bd.brokerAddrs) {
        if (addr === brokerAddr) {
          this.unregisterBroker(clusterName, brokerAddr, bd.brokerName, id);
          return;
        }
      }
    }
    // live but no longer in any broker data: just forget it
    this.brokerLiveTable.delete(liveKey(clusterName, brokerAddr));
    this.filterServerTable.delete(liveKey(clusterName, brokerAddr));
  }

  /** Remove brokers silent for longer than their timeout; returns how many were removed. */
  scanNotActiveBroker(): number {
    const now = this.now();
    let removed = 0;
    for (const info of [...this.brokerLiveTable.values()]) {
      if (info.lastUpdateTimestamp + info.heartbeatTimeoutMillis < now) {
        this.logger.warn(`The broker channel expired, ${info.brokerAddr} ${info.heartbeatTimeoutMillis}ms`);
        try {
          info.channel?.close();
        } catch {
          // closing an already broken channel is fine
        }
        this.unregisterByAddr(info.clusterName, info.brokerAddr);
        removed++;
      }
    }
    return removed;
  }

  pickupTopicRouteData(topic: string, opts: { supportActingMaster?: boolean } = {}): TopicRouteData | undefined {
    const queues = this.topicQueueTable.get(topic);
    if (!queues || queues.size === 0) return undefined;
    const rd: TopicRouteData = { queueDatas: [], brokerDatas: [], filterServerTable: {} };
    for (const [brokerName, qd] of queues) {
      rd.queueDatas.push({ ...qd });
      const bd = this.brokerAddrTable.get(brokerName);
      if (!bd) continue;
      rd.brokerDatas.push(cloneBrokerData(bd));
      for (const addr of bd.brokerAddrs.values()) {
        const fs = this.filterServerTable.get(liveKey(bd.cluster, addr));
        if (fs) putOwn(rd.filterServerTable, addr, [...fs]);
      }
    }
    if (rd.brokerDatas.length === 0) return undefined;
    if (opts.supportActingMaster) {
      // 5.x acting master: with the master gone, the lowest slave is shown to clients as id 0
      for (const bd of rd.brokerDatas) {
        if (!bd.enableActingMaster || bd.brokerAddrs.size === 0 || bd.brokerAddrs.has(0)) continue;
        const minId = Math.min(...bd.brokerAddrs.keys());
        const addr = bd.brokerAddrs.get(minId)!;
        bd.brokerAddrs.delete(minId);
        bd.brokerAddrs = new Map([[0, addr], ...bd.brokerAddrs]);
      }
    }
    const mapping = this.topicQueueMappingInfoTable.get(topic);
    if (mapping && mapping.size > 0) rd.topicQueueMappingByBroker = Object.fromEntries(mapping);
    return rd;
  }

  getAllClusterInfo(): ClusterInfo {
    const bat: Record<string, BrokerData> = {};
    for (const [name, bd] of this.brokerAddrTable) putOwn(bat, name, cloneBrokerData(bd));
    const cat: Record<string, string[]> = {};
    for (const [c, names] of this.clusterAddrTable) putOwn(cat, c, [...names]);
    return { brokerAddrTable: bat, clusterAddrTable: cat };
  }

  getAllTopicList(): string[] {
    return [...this.topicQueueTable.keys()];
  }

  getTopicsByCluster(cluster: string): string[] {
    const names = this.clusterAddrTable.get(cluster);
    if (!names) return [];
    const out: string[] = [];
    for (const [topic, m] of this.topicQueueTable) {
      for (const bn of m.keys()) {
        if (names.has(bn)) {
          out.push(topic);
          break;
        }
      }
    }
    return out;
  }

  /** Cluster names and broker names, plus one broker address (GET_SYSTEM_TOPIC_LIST_FROM_NS). */
  getSystemTopicList(): { topicList: string[]; brokerAddr?: string } {
    const list = new Set<string>();
    for (const [c, names] of this.clusterAddrTable) {
      list.add(c);
      for (const n of names) list.add(n);
    }
    let brokerAddr: string | undefined;
    for (const bd of this.brokerAddrTable.values()) {
      const first = bd.brokerAddrs.values().next();
      if (!first.done) {
        brokerAddr = first.value;
        break;
      }
    }
    return { topicList: [...list], brokerAddr };
  }

  /** Topics whose queue data carry the given unit bits (GET_UNIT_TOPIC_LIST and friends). */
  getTopicsBySysFlag(pred: (flag: number) => boolean): string[] {
    const out: string[] = [];
    for (const [topic, m] of this.topicQueueTable) {
      const first = m.values().next();
      if (!first.done && pred(first.value.topicSysFlag)) out.push(topic);
    }
    return out;
  }

  getUnitTopics(): string[] {
    return this.getTopicsBySysFlag((f) => (f & FLAG_UNIT) === FLAG_UNIT);
  }
  getHasUnitSubTopics(): string[] {
    return this.getTopicsBySysFlag((f) => (f & FLAG_UNIT_SUB) === FLAG_UNIT_SUB);
  }
  getHasUnitSubUnUnitTopics(): string[] {
    return this.getTopicsBySysFlag((f) => (f & FLAG_UNIT) !== FLAG_UNIT && (f & FLAG_UNIT_SUB) === FLAG_UNIT_SUB);
  }

  /** Without a cluster the topic's route disappears; with one only that cluster's brokers' queues do. */
  deleteTopic(topic: string, clusterName?: string): void {
    if (clusterName === undefined || clusterName === '') {
      this.topicQueueTable.delete(topic);
      this.topicQueueMappingInfoTable.delete(topic);
      return;
    }
    const names = this.clusterAddrTable.get(clusterName);
    const m = this.topicQueueTable.get(topic);
    if (!names || !m) return;
    for (const bn of names) m.delete(bn);
    if (m.size === 0) this.topicQueueTable.delete(topic);
  }

  /** REGISTER_TOPIC_IN_NAMESRV: queue datas of known brokers replace/add per broker. */
  registerTopic(topic: string, queueDatas: QueueData[]): void {
    for (const qd of queueDatas) {
      if (!this.brokerAddrTable.has(qd.brokerName)) continue;
      this.createAndUpdateQueueData(qd.brokerName, { ...qd }, topic);
    }
  }

  /** Clears PERM_WRITE (wipe) or sets RW (add) on every queue data of the broker name; returns the count. */
  operateWritePermOfBroker(brokerName: string, wipe: boolean): number {
    let count = 0;
    for (const m of this.topicQueueTable.values()) {
      const qd = m.get(brokerName);
      if (!qd) continue;
      qd.perm = wipe ? qd.perm & ~PERM_WRITE : PERM_READ | PERM_WRITE;
      count++;
    }
    return count;
  }
}
