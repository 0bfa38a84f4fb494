/**
 * Name server + broker in one process: what `mqctl start` runs, and what users embed in their own
 * integration tests (`import { startStandalone } from 'mqctl'`).
 */
import os from 'node:os';
import path from 'node:path';
import { startBroker, type BrokerHandle } from './broker/index.js';
import type { BrokerContext } from './broker/context.js';
import { type Logger, silentLogger } from './common/logger.js';
import { startNamesrv } from './namesrv/index.js';

export interface StandaloneOptions {
  /** Name server port (default 9876; 0 = any free port). */
  namesrvPort?: number;
  /** Broker port (default 10911; 0 = any free port). */
  port?: number;
  /** Store root (default ~/.mqctl/store, or $MQCTL_HOME/store). */
  storeDir?: string;
  /** Address both servers bind to and advertise (default 127.0.0.1). */
  host?: string;
  /** Address put into routes and message ids when it differs from host (e.g. a container's public name). */
  advertiseHost?: string;
  brokerName?: string;
  clusterName?: string;
  /** Further broker.conf keys. */
  brokerConfig?: Record<string, string | number | boolean | undefined>;
  logger?: Logger;
  /** Broker extensions (delay levels, transactions, SQL92 filter) installed before it serves. */
  extensions?: Array<(ctx: BrokerContext) => void | Promise<void>>;
}

export interface StandaloneHandle {
  namesrvAddr: string;
  brokerAddr: string;
  storeDir: string;
  broker: BrokerHandle;
  close(): Promise<void>;
}

export function defaultStoreDir(): string {
  const home = process.env.MQCTL_HOME ?? path.join(os.homedir(), '.mqctl');
  return path.join(home, 'store');
}

export async function startStandalone(opts: StandaloneOptions = {}): Promise<StandaloneHandle> {
  const logger = opts.logger ?? silentLogger;
  const host = opts.host ?? '127.0.0.1';
  const storeDir = path.resolve(opts.storeDir ?? defaultStoreDir());
  const namesrv = await startNamesrv({
    host,
    port: opts.namesrvPort ?? 9876,
    kvConfigPath: path.join(storeDir, 'config', 'kvConfig.json'),
    logger,
  });
  const advertise = opts.advertiseHost ?? (host === '0.0.0.0' ? '127.0.0.1' : host);
  let broker: BrokerHandle;
  try {
    broker = await startBroker({
      listenHost: host,
      logger,
      extensions: opts.extensions,
      overrides: {
        brokerName: opts.brokerName ?? 'broker-a',
        brokerClusterName: opts.clusterName ?? 'DefaultCluster',
        autoCreateTopicEnable: true,
        autoCreateSubscriptionGroup: true,
        ...opts.brokerConfig,
        namesrvAddr: namesrv.addr,
        listenPort: opts.port ?? 10911,
        storePathRootDir: storeDir,
        brokerIP1: advertise,
      },
    });
  } catch (e) {
    await namesrv.close();
    throw e;
  }
  let closing: Promise<void> | undefined;
  return {
    namesrvAddr: namesrv.addr,
    brokerAddr: broker.addr,
    storeDir,
    broker,
    close() {
      closing ??= (async () => {
        await broker.close();
        await namesrv.close();
      })();
      return closing;
    },
  };
}
