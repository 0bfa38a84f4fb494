/**
 * The name server: route registry + KV config behind a remoting server, with the broker expiry scan.
 * `startNamesrv` is what `mqctl start namesrv`, the standalone `mqctl start` and the tests use.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Logger } from '../common/logger.js';
import { silentLogger } from '../common/logger.js';
import { RemotingServer } from '../remoting/server.js';
import { stringifyJavaProperties } from '../protocol/java-properties.js';
import { type NamesrvConfig, applyProperties, configToProperties, defaultNamesrvConfig } from './config.js';
import { KVConfigManager } from './kv-config.js';
import { registerNamesrvProcessors } from './processors.js';
import { RouteInfoManager } from './route-info-manager.js';

export { RouteInfoManager } from './route-info-manager.js';
export { KVConfigManager } from './kv-config.js';
export type { NamesrvConfig } from './config.js';
export { defaultNamesrvConfig } from './config.js';

export interface StartNamesrvOptions {
  /** Listen address (default: config bindAddress, 0.0.0.0). */
  host?: string;
  /** Listen port (default: config listenPort, 9876; 0 = any free port). */
  port?: number;
  kvConfigPath?: string;
  /** Expiry of brokers registered without heartbeatTimeoutMillis (default 120000). */
  brokerExpiredMillis?: number;
  /** Period of the expiry scan (default 5000, Apache's scanNotActiveBrokerInterval). */
  scanIntervalMillis?: number;
  logger?: Logger;
  /** Java-properties style settings (a namesrv.conf already parsed); explicit options above win. */
  config?: Record<string, string>;
  maxFrameSize?: number;
}

export interface NamesrvHandle {
  /** "host:port" clients can dial (the loopback address when listening on a wildcard address). */
  addr: string;
  host: string;
  port: number;
  routes: RouteInfoManager;
  kv: KVConfigManager;
  config: NamesrvConfig;
  server: RemotingServer;
  close(): Promise<void>;
}

function dialHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::' || host === '[::]') return '127.0.0.1';
  return host;
}

export async function startNamesrv(opts: StartNamesrvOptions = {}): Promise<NamesrvHandle> {
  const logger = opts.logger ?? silentLogger;
  const config = defaultNamesrvConfig();
  if (opts.config) applyProperties(config, opts.config);
  if (opts.host !== undefined) config.bindAddress = opts.host;
  if (opts.port !== undefined) config.listenPort = opts.port;
  if (opts.kvConfigPath !== undefined) config.kvConfigPath = opts.kvConfigPath;
  if (opts.brokerExpiredMillis !== undefined) config.brokerExpiredMillis = opts.brokerExpiredMillis;
  if (opts.scanIntervalMillis !== undefined) config.scanNotActiveBrokerInterval = opts.scanIntervalMillis;

  const routes = new RouteInfoManager(logger, config.brokerExpiredMillis);
  const kv = new KVConfigManager(config.kvConfigPath, logger);
  kv.load();

  const server = new RemotingServer({ host: config.bindAddress, port: config.listenPort, logger, name: 'namesrv', maxFrameSize: opts.maxFrameSize });

  let scanTimer: NodeJS.Timeout | undefined;
  const armScan = (): void => {
    if (scanTimer) clearInterval(scanTimer);
    const every = Math.max(10, config.scanNotActiveBrokerInterval);
    scanTimer = setInterval(() => {
      try {
        routes.scanNotActiveBroker();
      } catch (e) {
        logger.error(`scanNotActiveBroker failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    }, every);
    scanTimer.unref();
  };

  const persistConfig = (): void => {
    try {
      mkdirSync(dirname(config.configStorePath), { recursive: true });
      const tmp = `${config.configStorePath}.tmp`;
      writeFileSync(tmp, stringifyJavaProperties(configToProperties(config)));
      renameSync(tmp, config.configStorePath);
    } catch (e) {
      logger.error(`persist namesrv config failed, ${config.configStorePath}: ${e instanceof Error ? e.message : String(e)}`);
    }
  };

  registerNamesrvProcessors(server, {
    routes,
    kv,
    config,
    logger,
    startedAt: Date.now(),
    onConfigUpdated(keys) {
      if (keys.length === 0) return;
      logger.info(`namesrv config updated: ${keys.join(', ')}`);
      routes.defaultExpiryMillis = config.brokerExpiredMillis;
      if (keys.includes('scanNotActiveBrokerInterval')) armScan();
      persistConfig();
    },
  });

  server.on('disconnect', (ch) => {
    try {
      routes.onChannelDestroy(ch);
    } catch (e) {
      logger.error(`channel close handling failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  });

  const bound = await server.listen();
  armScan();
  const host = config.bindAddress;
  logger.info(`namesrv listening on ${host}:${bound.port}`);

  let closed = false;
  return {
    addr: `${dialHost(host)}:${bound.port}`,
    host,
    port: bound.port,
    routes,
    kv,
    config,
    server,
    async close() {
      if (closed) return;
      closed = true;
      if (scanTimer) clearInterval(scanTimer);
      await server.close();
      logger.info('namesrv stopped');
    },
  };
}
