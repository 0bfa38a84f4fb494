// Client settings shared by producers and consumers (Apache ClientConfig), and the clientId they register with.
import os from 'node:os';
import type { Logger } from '../common/logger.js';

export interface ClientOptions {
  /** Name server list "host:port;host:port". Default: NAMESRV_ADDR, else 127.0.0.1:9876. */
  namesrvAddr?: string;
  /** Address put in the clientId; default the first non-internal IPv4 of this host. */
  clientIP?: string;
  /**
   * Instance name; clients with the same clientIP@instanceName share one client instance (one connection set).
   * Default: a fresh `pid#nanotime` per client, as the 5.x Java client does for "DEFAULT".
   */
  instanceName?: string;
  unitName?: string;
  /** Route refresh period (Java pollNameServerInterval). */
  pollNameServerIntervalMs?: number;
  /** Heartbeat period (Java heartbeatBrokerInterval). */
  heartbeatBrokerIntervalMs?: number;
  /** Offset commit period (Java persistConsumerOffsetInterval). */
  persistConsumerOffsetIntervalMs?: number;
  /** Timeout of ordinary requests (route, offsets, heartbeat). */
  requestTimeoutMs?: number;
  logger?: Logger;
}

export interface ResolvedClientOptions {
  namesrvAddr: string;
  clientIP: string;
  instanceName: string;
  unitName?: string;
  pollNameServerIntervalMs: number;
  heartbeatBrokerIntervalMs: number;
  persistConsumerOffsetIntervalMs: number;
  requestTimeoutMs: number;
  logger?: Logger;
}

/** First non-internal IPv4 address of this host (RemotingUtil.getLocalAddress prefers those), else loopback. */
export function localAddress(): string {
  let fallback: string | undefined;
  for (const list of Object.values(os.networkInterfaces())) {
    for (const a of list ?? []) {
      if (a.family !== 'IPv4' || a.internal) continue;
      if (!a.address.startsWith('192.168.')) return a.address;
      fallback ??= a.address;
    }
  }
  return fallback ?? '127.0.0.1';
}

let instanceSeq = 0;
/** `pid#nanotime`, unique per call inside one process. */
export function defaultInstanceName(): string {
  const nanos = process.hrtime.bigint() + BigInt(instanceSeq++);
  return `${process.pid}#${nanos}`;
}

export function resolveClientOptions(o: ClientOptions = {}): ResolvedClientOptions {
  return {
    namesrvAddr: o.namesrvAddr ?? process.env.NAMESRV_ADDR ?? '127.0.0.1:9876',
    clientIP: o.clientIP ?? localAddress(),
    instanceName: o.instanceName && o.instanceName !== 'DEFAULT' ? o.instanceName : defaultInstanceName(),
    unitName: o.unitName,
    pollNameServerIntervalMs: o.pollNameServerIntervalMs ?? 30_000,
    heartbeatBrokerIntervalMs: o.heartbeatBrokerIntervalMs ?? 30_000,
    persistConsumerOffsetIntervalMs: o.persistConsumerOffsetIntervalMs ?? 5_000,
    requestTimeoutMs: o.requestTimeoutMs ?? 3_000,
    logger: o.logger,
  };
}

/** ClientConfig.buildMQClientId: `ip@instanceName[@unitName]`. */
export function buildClientId(o: ResolvedClientOptions): string {
  let id = `${o.clientIP}@${o.instanceName}`;
  if (o.unitName) id += `@${o.unitName}`;
  return id;
}

export function splitNamesrvAddr(addr: string): string[] {
  return addr.split(';').map((s) => s.trim()).filter((s) => s.length > 0);
}
