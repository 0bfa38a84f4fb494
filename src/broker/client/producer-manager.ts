/**
 * Producer groups -> their channels (semantics.md §14). Used for transaction check-backs, reply pushes and
 * GET_PRODUCER_CONNECTION_LIST. Channels expire after channelExpiredTimeout without a heartbeat.
 */
import type { Logger } from '../../common/logger.js';
import type { Channel } from '../../remoting/server.js';
import type { ClientChannelInfo } from './channel-info.js';

export class ProducerManager {
  readonly groups = new Map<string, Map<Channel, ClientChannelInfo>>();

  constructor(private readonly logger: Logger) {}

  register(group: string, info: ClientChannelInfo): void {
    let m = this.groups.get(group);
    if (!m) {
      m = new Map();
      this.groups.set(group, m);
    }
    const old = m.get(info.channel);
    if (old) {
      old.lastUpdate = info.lastUpdate;
      old.clientId = info.clientId;
    } else {
      m.set(info.channel, info);
      this.logger.info(`new producer connected, group: ${group} channel: ${info.channel.remoteAddr} clientId: ${info.clientId}`);
    }
  }

  unregister(group: string, channel: Channel): void {
    const m = this.groups.get(group);
    if (!m) return;
    if (m.delete(channel)) this.logger.info(`unregister producer, group: ${group} channel: ${channel.remoteAddr}`);
    if (m.size === 0) this.groups.delete(group);
  }

  /** A connection closed: drop it from every group. */
  channelClosed(channel: Channel): void {
    for (const [group, m] of this.groups) {
      if (m.delete(channel)) this.logger.info(`producer channel closed, group: ${group} channel: ${channel.remoteAddr}`);
      if (m.size === 0) this.groups.delete(group);
    }
  }

  /** Remove (and close) channels silent for longer than expiryMs. */
  scanNotActive(expiryMs: number, now = Date.now()): void {
    for (const [group, m] of this.groups) {
      for (const [ch, info] of m) {
        if (now - info.lastUpdate > expiryMs) {
          m.delete(ch);
          this.logger.warn(`producer channel expired, group: ${group} channel: ${ch.remoteAddr} clientId: ${info.clientId}`);
          ch.close();
        }
      }
      if (m.size === 0) this.groups.delete(group);
    }
  }

  channelsOf(group: string): ClientChannelInfo[] {
    return [...(this.groups.get(group)?.values() ?? [])];
  }

  /** One live channel of the group (round robin over calls), for check-backs. */
  private rr = 0;
  availableChannel(group: string): Channel | undefined {
    const live = this.channelsOf(group).filter((i) => !i.channel.closed);
    if (live.length === 0) return undefined;
    return live[this.rr++ % live.length].channel;
  }

  findChannel(clientId: string): Channel | undefined {
    for (const m of this.groups.values()) for (const info of m.values()) if (info.clientId === clientId && !info.channel.closed) return info.channel;
    return undefined;
  }
}
