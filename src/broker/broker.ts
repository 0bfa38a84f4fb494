/**
 * The broker program: opens the store, loads topics/groups/offsets, serves the remoting protocol on listenPort,
 * registers to the name servers, and shuts down cleanly (held pulls answered, offsets and configs persisted,
 * store flushed with its abort file removed, UNREGISTER_BROKER sent).
 */
import { mkdirSync } from 'node:fs';
import { type Logger, silentLogger } from '../common/logger.js';
import { formatHost, parseHost } from '../common/host.js';
import { RemotingServer } from '../remoting/server.js';
import { MessageStore, type MessageStoreConfig } from '../store/message-store.js';
import { ConsumerManager } from './client/consumer-manager.js';
import { ProducerManager } from './client/producer-manager.js';
import { type BrokerConfig, loadBrokerConfig } from './config.js';
import type { BrokerContext } from './context.js';
import { ConsumerOffsetManager } from './consumer-offset-manager.js';
import { PullHoldService } from './longpoll/pull-hold.js';
import { registerAdminProcessors } from './processors/admin/index.js';
import { registerClientProcessors, startClientHousekeeping } from './processors/client.js';
import { registerOffsetProcessors } from './processors/offsets.js';
import { registerPullProcessor } from './processors/pull.js';
import { registerSendProcessors } from './processors/send.js';
import { NamesrvRegistration, parseNamesrvAddrs } from './registration.js';
import { BrokerStats } from './stats.js';
import { SubscriptionGroupManager } from './subscription-group-manager.js';
import { TopicConfigManager } from './topic-config-manager.js';
import { installFilter } from './filter/install.js';
import { installRetry } from './processors/retry/install.js';
import { installSchedule } from './schedule/install.js';
import { installTransactions } from './transaction/install.js';

export interface StartBrokerOptions {
  /** A complete config (wins over everything below). */
  config?: BrokerConfig;
  /** broker.conf path. */
  configFile?: string;
  /** Key/value overrides with broker.conf names (flags). */
  overrides?: Record<string, string | number | boolean | undefined>;
  /** Address to bind (default 0.0.0.0). */
  listenHost?: string;
  logger?: Logger;
  /** Wait for the first registration round before resolving (default true). */
  awaitRegistration?: boolean;
  /** Extensions (delay levels, transactions, filters) installed before the server starts listening. */
  extensions?: Array<(ctx: BrokerContext) => void | Promise<void>>;
}

export interface BrokerHandle {
  /** Advertised "ip:port". */
  addr: string;
  port: number;
  ctx: BrokerContext;
  close(): Promise<void>;
}

function storeConfigOf(c: BrokerConfig): MessageStoreConfig {
  return {
    storePathRootDir: c.storePathRootDir,
    storePathCommitLog: c.storePathCommitLog,
    mappedFileSizeCommitLog: c.mappedFileSizeCommitLog,
    mappedFileSizeConsumeQueue: c.mappedFileSizeConsumeQueue,
    flushDiskType: c.flushDiskType as 'ASYNC_FLUSH' | 'SYNC_FLUSH',
    flushIntervalCommitLog: c.flushIntervalCommitLog,
    flushCommitLogLeastPages: c.flushCommitLogLeastPages,
    flushCommitLogThoroughInterval: c.flushCommitLogThoroughInterval,
    flushIntervalConsumeQueue: c.flushIntervalConsumeQueue,
    syncFlushTimeout: c.syncFlushTimeout,
    maxMessageSize: c.maxMessageSize,
    fileReservedTime: c.fileReservedTime,
    deleteWhen: c.deleteWhen,
    diskMaxUsedSpaceRatio: c.diskMaxUsedSpaceRatio,
    messageIndexEnable: c.messageIndexEnable,
    maxHashSlotNum: c.maxHashSlotNum,
    maxIndexNum: c.maxIndexNum,
    checkCRCOnRecover: c.checkCRCOnRecover,
    brokerRole: c.brokerRole,
    maxTransferBytesOnMessageInMemory: c.maxTransferBytesOnMessageInMemory,
    maxTransferCountOnMessageInMemory: c.maxTransferCountOnMessageInMemory,
  };
}

export async function startBroker(opts: StartBrokerOptions = {}): Promise<BrokerHandle> {
  const logger = opts.logger ?? silentLogger;
  const config = opts.config ?? loadBrokerConfig({ file: opts.configFile, overrides: opts.overrides, logger });
  // brokerIP1 goes into every msgId and route: it must be an IP address, not a host name
  for (const [key, ip] of [['brokerIP1', config.brokerIP1], ['brokerIP2', config.brokerIP2]]) {
    try {
      parseHost(`${ip}:1`);
    } catch {
      throw new Error(`${key} must be an IPv4 or IPv6 address, got '${ip}'`);
    }
  }
  mkdirSync(config.storePathRootDir, { recursive: true });

  const started = Date.now();
  const store = await MessageStore.open(storeConfigOf(config), { messageDelayLevel: config.messageDelayLevel });
  if (store.recovery) logger.info(`store opened at ${config.storePathRootDir}`);

  const topics = new TopicConfigManager(config, logger);
  const groups = new SubscriptionGroupManager(config, logger);
  const offsets = new ConsumerOffsetManager(config.storePathRootDir, logger);
  try {
    topics.load();
    groups.load();
    offsets.load();
    topics.persist();
  } catch (e) {
    await store.shutdown();
    throw e;
  }

  const server = new RemotingServer({ host: opts.listenHost ?? '0.0.0.0', port: config.listenPort, logger, name: 'broker', maxFrameSize: config.serverSocketMaxFrameSize });
  const holds = new PullHoldService((t, q) => store.getMaxOffsetInQueue(t, q), logger);
  let shuttingDown = false;
  let registration: NamesrvRegistration | undefined;

  const ctx: BrokerContext = {
    config,
    store,
    topics,
    groups,
    offsets,
    producers: new ProducerManager(logger),
    consumers: new ConsumerManager(logger),
    stats: new BrokerStats(),
    brokerAddr: '',
    storeHost: '',
    listenPort: 0,
    startTime: started,
    logger,
    server,
    registerToNamesrvNow: () => registration?.registerNow() ?? Promise.resolve(),
    namesrvAddrs: () => parseNamesrvAddrs(config.namesrvAddr),
    isShuttingDown: () => shuttingDown,
    sendMessageHooks: [],
    notifyMessageArriving: (topic, queueId) => holds.notifyMessageArriving(topic, queueId, store.getMaxOffsetInQueue(topic, queueId)),
    shutdownHooks: [],
  };

  registerSendProcessors(server, ctx);
  registerPullProcessor(server, ctx, holds);
  registerOffsetProcessors(server, ctx);
  registerClientProcessors(server, ctx);
  registerAdminProcessors(server, ctx);
  // delayed/timer, transactions, SQL92 filter, retry/DLQ (issue 6); transactions first: half messages skip delays
  installTransactions(ctx);
  installSchedule(ctx);
  installFilter(ctx);
  installRetry(ctx);
  const stopHousekeeping = startClientHousekeeping(server, ctx);

  store.onMessageArrived((topic, queueId, queueOffset, tagsCode, _ts, properties) => {
    holds.notifyMessageArriving(topic, queueId, queueOffset + 1, tagsCode, properties);
  });

  let bound: { port: number };
  try {
    for (const ext of opts.extensions ?? []) await ext(ctx);
    bound = await server.listen();
  } catch (e) {
    await store.shutdown();
    throw new Error(`broker cannot listen on port ${config.listenPort}: ${(e as Error).message}`);
  }
  const host = parseHost(`${config.brokerIP1}:${bound.port}`);
  ctx.listenPort = bound.port;
  ctx.brokerAddr = formatHost(host.ip, bound.port, host.v6);
  ctx.storeHost = ctx.brokerAddr;
  const ha = parseHost(`${config.brokerIP2}:1`);
  const haServerAddr = formatHost(ha.ip, config.listenPort !== 0 ? config.haListenPort : bound.port + 1, ha.v6);

  registration = new NamesrvRegistration({ config, topics, brokerAddr: ctx.brokerAddr, haServerAddr, logger });
  topics.onChange(() => void registration?.registerNow());
  holds.start();
  ctx.stats.start();
  const offsetTimer = setInterval(() => void offsets.persistIfDirty(), Math.max(100, config.flushConsumerOffsetInterval));
  offsetTimer.unref();

  logger.info(`broker ${config.brokerName} (cluster ${config.brokerClusterName}, id ${config.brokerId}) listening on ${opts.listenHost ?? '0.0.0.0'}:${bound.port}, advertised ${ctx.brokerAddr}, store ${config.storePathRootDir}`);
  const first = registration.registerNow();
  if (opts.awaitRegistration ?? true) await first;
  registration.startPeriodic();
  if (registration.addrs().length === 0) logger.warn('no name server address (namesrvAddr / -n / NAMESRV_ADDR): not registering');

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      shuttingDown = true;
      logger.info('broker shutting down');
      clearInterval(offsetTimer);
      stopHousekeeping();
      holds.shutdown();
      ctx.stats.stop();
      await registration?.unregisterAll().catch(() => undefined);
      for (const hook of ctx.shutdownHooks) {
        try {
          await hook();
        } catch (e) {
          logger.warn(`shutdown hook failed: ${(e as Error).message}`);
        }
      }
      await offsets.settle();
      offsets.persist();
      topics.persist();
      groups.persist();
      await server.close();
      await store.shutdown();
      logger.info('broker stopped');
    })();
    return closing;
  };

  return { addr: ctx.brokerAddr, port: bound.port, ctx, close };
}
