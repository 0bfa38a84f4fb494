/**
 * Broker configuration: Apache's broker.conf keys (Java properties text), typed, with Apache's defaults.
 * Sources in precedence order: defaults < broker.conf (-c) < NAMESRV_ADDR env (namesrvAddr only, when the file
 * has none) < command-line flags. Unknown keys are kept in `raw` and reported once as a warning.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseJavaProperties } from '../protocol/java-properties.js';
import type { Logger } from '../common/logger.js';

type Kind = 'string' | 'int' | 'long' | 'boolean' | 'double';

/** Every key we understand, with its type and default (Apache BrokerConfig / MessageStoreConfig / NettyServerConfig). */
const SCHEMA = {
  brokerClusterName: ['string', 'DefaultCluster'],
  brokerName: ['string', ''],
  brokerId: ['long', 0],
  brokerRole: ['string', 'ASYNC_MASTER'],
  namesrvAddr: ['string', ''],
  listenPort: ['int', 10911],
  brokerIP1: ['string', ''],
  brokerIP2: ['string', ''],
  haListenPort: ['int', 10912],
  regionId: ['string', 'DefaultRegion'],
  traceOn: ['boolean', true],
  brokerPermission: ['int', 6],
  storePathRootDir: ['string', ''],
  storePathCommitLog: ['string', ''],
  flushDiskType: ['string', 'ASYNC_FLUSH'],
  mappedFileSizeCommitLog: ['int', 1024 * 1024 * 1024],
  mappedFileSizeConsumeQueue: ['int', 300000 * 20],
  flushIntervalCommitLog: ['int', 500],
  flushCommitLogLeastPages: ['int', 4],
  flushCommitLogThoroughInterval: ['int', 10000],
  flushIntervalConsumeQueue: ['int', 1000],
  syncFlushTimeout: ['long', 5000],
  maxMessageSize: ['int', 4 * 1024 * 1024],
  fileReservedTime: ['int', 72],
  deleteWhen: ['string', '04'],
  diskMaxUsedSpaceRatio: ['int', 75],
  messageIndexEnable: ['boolean', true],
  maxHashSlotNum: ['int', 5000000],
  maxIndexNum: ['int', 5000000 * 4],
  checkCRCOnRecover: ['boolean', true],
  maxTransferBytesOnMessageInMemory: ['int', 256 * 1024],
  maxTransferCountOnMessageInMemory: ['int', 32],
  messageDelayLevel: ['string', '1s 5s 10s 30s 1m 2m 3m 4m 5m 6m 7m 8m 9m 10m 20m 30m 1h 2h'],
  autoCreateTopicEnable: ['boolean', true],
  autoCreateSubscriptionGroup: ['boolean', true],
  defaultTopicQueueNums: ['int', 8],
  clusterTopicEnable: ['boolean', true],
  brokerTopicEnable: ['boolean', true],
  traceTopicEnable: ['boolean', false],
  msgTraceTopicName: ['string', 'RMQ_SYS_TRACE_TOPIC'],
  registerNameServerPeriod: ['int', 30000],
  registerBrokerTimeoutMills: ['int', 24000],
  forceRegister: ['boolean', true],
  flushConsumerOffsetInterval: ['int', 5000],
  flushDelayOffsetInterval: ['long', 10000],
  longPollingEnable: ['boolean', true],
  shortPollingTimeMills: ['long', 1000],
  channelExpiredTimeout: ['long', 120000],
  startAcceptSendRequestTimeStamp: ['long', 0],
  rejectTransactionMessage: ['boolean', false],
  enablePropertyFilter: ['boolean', false],
  filterSupportRetry: ['boolean', false],
  slaveReadEnable: ['boolean', false],
  accessMessageInMemoryMaxRatio: ['int', 40],
  validateSystemTopicWhenUpdateTopic: ['boolean', true],
  useServerSideResetOffset: ['boolean', true],
  transactionTimeOut: ['long', 6000],
  transactionCheckMax: ['int', 15],
  transactionCheckInterval: ['long', 30000],
  defaultQueryMaxNum: ['int', 32],
  maxMsgsNumBatch: ['int', 64],
  enableCalcFilterBitMap: ['boolean', false],
  aclEnable: ['boolean', false],
  serverChannelMaxIdleTimeSeconds: ['int', 120],
  serverSocketMaxFrameSize: ['int', 16 * 1024 * 1024],
  enableDLegerCommitLog: ['boolean', false],
  storeReplyMessageEnable: ['boolean', true],
  timerWheelEnable: ['boolean', true],
  timerMaxDelaySec: ['int', 259200],
  timerPrecisionMs: ['long', 1000],
  rocketmqHome: ['string', ''],
} as const satisfies Record<string, readonly [Kind, string | number | boolean]>;

type Schema = typeof SCHEMA;
type ValueOf<K extends Kind> = K extends 'string' ? string : K extends 'boolean' ? boolean : number;
export type BrokerConfigValues = { -readonly [K in keyof Schema]: ValueOf<Schema[K][0]> };

export interface BrokerConfig extends BrokerConfigValues {
  /** Every key as given (file + flags), including unknown ones; GET_BROKER_CONFIG reports typed values instead. */
  raw: Record<string, string>;
  /** Where the file came from (-c), if any. */
  configFile?: string;
}

export const BROKER_CONFIG_KEYS = Object.keys(SCHEMA) as Array<keyof BrokerConfigValues>;

/** Keys UPDATE_BROKER_CONFIG must refuse (requests.md §6). */
export const CONFIG_BLACK_LIST = new Set(['brokerConfigPath', 'rocketmqHome', 'configBlackList']);

export function isKnownConfigKey(key: string): key is keyof BrokerConfigValues {
  return Object.prototype.hasOwnProperty.call(SCHEMA, key);
}

export function configKind(key: keyof BrokerConfigValues): Kind {
  return SCHEMA[key][0];
}

/** Parse one value the way Java's MixAll.properties2Object does for the field's type; throws on bad input. */
export function parseConfigValue(key: keyof BrokerConfigValues, text: string): string | number | boolean {
  const kind = SCHEMA[key][0];
  const t = text.trim();
  switch (kind) {
    case 'string':
      return t;
    case 'boolean':
      return t.toLowerCase() === 'true';
    default: {
      if (!/^[+-]?\d+$/.test(t)) throw new Error(`config ${key}: '${text}' is not an integer`);
      return Number(t);
    }
  }
}

function defaultStoreRoot(): string {
  return path.join(os.homedir(), 'store');
}

export function defaultBrokerConfig(): BrokerConfig {
  const cfg: Record<string, unknown> = { raw: {} };
  for (const [k, [, def]] of Object.entries(SCHEMA)) cfg[k] = def;
  const c = cfg as unknown as BrokerConfig;
  c.brokerName = os.hostname() || 'broker-a';
  return c;
}

export interface LoadConfigOptions {
  /** broker.conf path (-c). */
  file?: string;
  /** Already-parsed properties to apply after the file (flags). */
  overrides?: Record<string, string | number | boolean | undefined>;
  /** Environment (defaults to process.env). */
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
}

const warned = new Set<string>();

/** Apply a properties map onto a config; unknown keys are kept in raw and warned about once per key. */
export function applyProperties(cfg: BrokerConfig, props: Record<string, string>, logger?: Logger, source = 'config'): void {
  for (const [key, value] of Object.entries(props)) {
    cfg.raw[key] = value;
    if (!isKnownConfigKey(key)) {
      if (!warned.has(key)) {
        warned.add(key);
        logger?.warn(`${source}: unknown key '${key}' ignored`);
      }
      continue;
    }
    (cfg as unknown as Record<string, unknown>)[key] = parseConfigValue(key, value);
  }
}

/** Build the effective config: defaults, file, NAMESRV_ADDR, flags; then derived values. */
export function loadBrokerConfig(opts: LoadConfigOptions = {}): BrokerConfig {
  const cfg = defaultBrokerConfig();
  const env = opts.env ?? process.env;
  if (opts.file) {
    let text: string;
    try {
      text = readFileSync(opts.file, 'utf8');
    } catch (e) {
      throw new Error(`cannot read broker config ${opts.file}: ${(e as Error).message}`);
    }
    applyProperties(cfg, parseJavaProperties(text), opts.logger, opts.file);
    cfg.configFile = path.resolve(opts.file);
  }
  if (!cfg.namesrvAddr && env.NAMESRV_ADDR) cfg.namesrvAddr = env.NAMESRV_ADDR;
  if (opts.overrides) {
    const flat: Record<string, string> = {};
    for (const [k, v] of Object.entries(opts.overrides)) if (v !== undefined) flat[k] = String(v);
    applyProperties(cfg, flat, opts.logger, 'flags');
  }
  finishConfig(cfg);
  return cfg;
}

/** Derived defaults Apache's BrokerStartup fills in after reading the file. */
export function finishConfig(cfg: BrokerConfig): void {
  if (!cfg.storePathRootDir) cfg.storePathRootDir = defaultStoreRoot();
  if (cfg.storePathRootDir.startsWith('~/')) cfg.storePathRootDir = path.join(os.homedir(), cfg.storePathRootDir.slice(2));
  if (!cfg.storePathCommitLog) cfg.storePathCommitLog = path.join(cfg.storePathRootDir, 'commitlog');
  if (cfg.haListenPort <= 0 || !('haListenPort' in cfg.raw)) cfg.haListenPort = cfg.listenPort + 1;
  if (!cfg.brokerIP1) cfg.brokerIP1 = localAdvertiseIp();
  if (!cfg.brokerIP2) cfg.brokerIP2 = cfg.brokerIP1;
  // BrokerStartup: masters are always id 0; a slave needs an id > 0
  if (cfg.brokerRole === 'SLAVE' && cfg.brokerId <= 0) throw new Error("Slave's brokerId must be > 0");
  if (cfg.brokerRole !== 'SLAVE') cfg.brokerId = 0;
  validateConfig(cfg);
}

function validateConfig(cfg: BrokerConfig): void {
  const roles = ['ASYNC_MASTER', 'SYNC_MASTER', 'SLAVE'];
  if (!roles.includes(cfg.brokerRole)) throw new Error(`brokerRole must be one of ${roles.join(', ')}, got '${cfg.brokerRole}'`);
  if (cfg.flushDiskType !== 'ASYNC_FLUSH' && cfg.flushDiskType !== 'SYNC_FLUSH') {
    throw new Error(`flushDiskType must be ASYNC_FLUSH or SYNC_FLUSH, got '${cfg.flushDiskType}'`);
  }
  if (cfg.listenPort < 0 || cfg.listenPort > 65535) throw new Error(`listenPort out of range: ${cfg.listenPort}`);
  if (cfg.defaultTopicQueueNums <= 0) throw new Error(`defaultTopicQueueNums must be positive, got ${cfg.defaultTopicQueueNums}`);
  if (cfg.maxMessageSize <= 0) throw new Error(`maxMessageSize must be positive, got ${cfg.maxMessageSize}`);
  if (!cfg.brokerName) throw new Error('brokerName must not be empty');
}

/** Apache RemotingUtil.getLocalAddress: a non-loopback IPv4 when there is one, else 127.0.0.1. */
export function localAdvertiseIp(): string {
  let fallback: string | undefined;
  for (const list of Object.values(os.networkInterfaces())) {
    for (const a of list ?? []) {
      if (a.family !== 'IPv4' || a.internal) continue;
      if (!a.address.startsWith('169.254.')) return a.address;
      fallback ??= a.address;
    }
  }
  return fallback ?? '127.0.0.1';
}

/** Typed values as strings, every known key, for GET_BROKER_CONFIG (MixAll.properties2String). */
export function configToProperties(cfg: BrokerConfig): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of BROKER_CONFIG_KEYS) out[k] = String(cfg[k]);
  return out;
}

/**
 * Delay levels in ms ("1s 5s 10s ..."; units s, m, h, d). Level n (1-based) is entry n-1.
 * A malformed entry makes the whole setting invalid, as Apache refuses to start then.
 */
export function parseDelayLevels(text: string): number[] {
  const unit: Record<string, number> = { s: 1000, m: 60000, h: 3600000, d: 86400000 };
  return text
    .trim()
    .split(/\s+/)
    .filter((x) => x.length > 0)
    .map((item) => {
      const m = /^(\d+)([smhd])$/.exec(item);
      if (!m) throw new Error(`messageDelayLevel: bad entry '${item}'`);
      return Number(m[1]) * unit[m[2]];
    });
}
