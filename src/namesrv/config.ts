/**
 * Name server configuration: Apache's NamesrvConfig + the NettyServerConfig keys that matter, plus our expiry
 * knobs. Read from a Java properties file, served by GET_NAMESRV_CONFIG and changed by UPDATE_NAMESRV_CONFIG.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseJavaBoolean, parseJavaLong } from '../protocol/header.js';

export interface NamesrvConfig {
  rocketmqHome: string;
  kvConfigPath: string;
  configStorePath: string;
  productEnvName: string;
  clusterTest: boolean;
  orderMessageEnable: boolean;
  returnOrderTopicConfigToBroker: boolean;
  // Thread-pool and queue sizes: Java tuning knobs with no counterpart in a single-threaded Node server. They are
  // kept so GET_NAMESRV_CONFIG lists what mqadmin getNamesrvConfig users expect and config files carrying them load.
  clientRequestThreadPoolNums: number;
  defaultThreadPoolNums: number;
  clientRequestThreadPoolQueueCapacity: number;
  defaultThreadPoolQueueCapacity: number;
  scanNotActiveBrokerInterval: number;
  unRegisterBrokerQueueCapacity: number;
  supportActingMaster: boolean;
  enableAllTopicList: boolean;
  enableTopicList: boolean;
  /** Reported only: the 5.x acting-master notification and the embedded controller are not part of this name server. */
  notifyMinBrokerIdChanged: boolean;
  enableControllerInNamesrv: boolean;
  needWaitForService: boolean;
  waitSecondsForService: number;
  deleteTopicWithBrokerRegistration: boolean;
  configBlackList: string;
  /** NettyServerConfig */
  listenPort: number;
  bindAddress: string;
  serverChannelMaxIdleTimeSeconds: number;
  /** Ours: expiry of a broker that registered without heartbeatTimeoutMillis (Java: fixed 120 s). */
  brokerExpiredMillis: number;
}

export function defaultNamesrvConfig(): NamesrvConfig {
  const home = homedir();
  return {
    rocketmqHome: process.env.ROCKETMQ_HOME ?? '',
    kvConfigPath: join(home, 'namesrv', 'kvConfig.json'),
    configStorePath: join(home, 'namesrv', 'namesrv.properties'),
    productEnvName: 'center',
    clusterTest: false,
    orderMessageEnable: false,
    returnOrderTopicConfigToBroker: true,
    clientRequestThreadPoolNums: 8,
    defaultThreadPoolNums: 16,
    clientRequestThreadPoolQueueCapacity: 50000,
    defaultThreadPoolQueueCapacity: 10000,
    scanNotActiveBrokerInterval: 5000,
    unRegisterBrokerQueueCapacity: 3000,
    supportActingMaster: false,
    enableAllTopicList: true,
    enableTopicList: true,
    notifyMinBrokerIdChanged: false,
    enableControllerInNamesrv: false,
    needWaitForService: false,
    waitSecondsForService: 45,
    deleteTopicWithBrokerRegistration: false,
    configBlackList: 'configBlackList;configStorePath;kvConfigPath;rocketmqHome',
    listenPort: 9876,
    bindAddress: '0.0.0.0',
    serverChannelMaxIdleTimeSeconds: 120,
    brokerExpiredMillis: 120_000,
  };
}

/** Keys that can never be changed at run time, whatever configBlackList says (requests.md §5). */
const ALWAYS_BLACK = ['configBlackList', 'configStorePath', 'kvConfigPath', 'rocketmqHome'];

export function blackListOf(cfg: NamesrvConfig): Set<string> {
  const s = new Set(ALWAYS_BLACK);
  for (const k of cfg.configBlackList.split(';')) if (k.trim()) s.add(k.trim());
  return s;
}

/**
 * Apply properties to a config: known keys only, converted to the field's type (numbers must parse, as Java's
 * Configuration would reject them; booleans follow Boolean.parseBoolean). Returns the keys applied.
 */
export function applyProperties(cfg: NamesrvConfig, props: Record<string, string>): string[] {
  const rec = cfg as unknown as Record<string, unknown>;
  const updates: [string, unknown][] = [];
  // validate everything first so a bad value leaves the config untouched
  for (const [k, raw] of Object.entries(props)) {
    if (!Object.prototype.hasOwnProperty.call(cfg, k)) continue;
    const v = raw.trim();
    const cur = rec[k];
    if (typeof cur === 'number') {
      const n = parseJavaLong(v);
      if (n === undefined) throw new Error(`invalid value for ${k}: ${JSON.stringify(raw)}`);
      updates.push([k, n]);
    } else if (typeof cur === 'boolean') {
      updates.push([k, parseJavaBoolean(v)]);
    } else {
      updates.push([k, v]);
    }
  }
  for (const [k, v] of updates) rec[k] = v;
  return updates.map(([k]) => k);
}

export function configToProperties(cfg: NamesrvConfig): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(cfg)) out[k] = String(v);
  return out;
}
