/**
 * Consumer groups -> channels + subscriptions (semantics.md §14). A new channel, a changed subscription set
 * or a lost channel is reported to the change listener, which sends NOTIFY_CONSUMER_IDS_CHANGED to the group.
 */
import type { Logger } from '../../common/logger.js';
import type { SubscriptionData } from '../../protocol/heartbeat.js';
import type { Channel } from '../../remoting/server.js';
import type { ClientChannelInfo } from './channel-info.js';

export interface ConsumerGroupInfo {
  groupName: string;
  channels: Map<Channel, ClientChannelInfo>;
  /** topic -> subscription. */
  subscriptions: Map<string, SubscriptionData>;
  consumeType: string;
  messageModel: string;
  consumeFromWhere: string;
  lastUpdate: number;
}

export type ConsumerChangeEvent = 'CHANGE' | 'UNREGISTER' | 'REGISTER';
export type ConsumerChangeListener = (event: ConsumerChangeEvent, group: string, info: ConsumerGroupInfo | undefined) => void;

export interface RegisterConsumerArgs {
  group: string;
  info: ClientChannelInfo;
  consumeType: string;
  messageModel: string;
  consumeFromWhere: string;
  subscriptions: SubscriptionData[];
  /** Group config's notifyConsumerIdsChangedEnable. */
  notify: boolean;
}

export class ConsumerManager {
  readonly groups = new Map<string, ConsumerGroupInfo>();
  private readonly listeners: ConsumerChangeListener[] = [];

  constructor(private readonly logger: Logger) {}

  onChange(l: ConsumerChangeListener): void {
    this.listeners.push(l);
  }

  private emit(event: ConsumerChangeEvent, group: string, info: ConsumerGroupInfo | undefined): void {
    for (const l of this.listeners) {
      try {
        l(event, group, info);
      } catch (e) {
        this.logger.warn(`consumer change listener failed: ${(e as Error).message}`);
      }
    }
  }

  get(group: string): ConsumerGroupInfo | undefined {
    return this.groups.get(group);
  }

  findSubscription(group: string, topic: string): SubscriptionData | undefined {
    return this.groups.get(group)?.subscriptions.get(topic);
  }

  findChannel(group: string, clientId: string): ClientChannelInfo | undefined {
    const g = this.groups.get(group);
    if (!g) return undefined;
    for (const info of g.channels.values()) if (info.clientId === clientId) return info;
    return undefined;
  }

  /** Client ids of a group, in channel order. */
  clientIds(group: string): string[] {
    const g = this.groups.get(group);
    return g ? [...g.channels.values()].map((i) => i.clientId) : [];
  }

  /** Register or refresh a consumer channel; returns true when membership or subscriptions changed. */
  register(a: RegisterConsumerArgs): boolean {
    let g = this.groups.get(a.group);
    const now = a.info.lastUpdate;
    if (!g) {
      g = {
        groupName: a.group,
        channels: new Map(),
        subscriptions: new Map(),
        consumeType: a.consumeType,
        messageModel: a.messageModel,
        consumeFromWhere: a.consumeFromWhere,
        lastUpdate: now,
      };
      this.groups.set(a.group, g);
    }
    g.consumeType = a.consumeType;
    g.messageModel = a.messageModel;
    g.consumeFromWhere = a.consumeFromWhere;
    g.lastUpdate = now;

    let channelChanged = false;
    const old = g.channels.get(a.info.channel);
    if (!old) {
      g.channels.set(a.info.channel, { ...a.info });
      channelChanged = true;
      this.logger.info(`new consumer connected, group: ${a.group} ${a.consumeType} ${a.messageModel} channel: ${a.info.channel.remoteAddr} clientId: ${a.info.clientId}`);
    } else {
      if (old.clientId !== a.info.clientId) {
        this.logger.warn(`consumer channel ${a.info.channel.remoteAddr} changed clientId ${old.clientId} -> ${a.info.clientId}`);
        old.clientId = a.info.clientId;
      }
      old.lastUpdate = now;
      old.version = a.info.version;
      old.language = a.info.language;
    }

    const subsChanged = this.updateSubscriptions(g, a.subscriptions);
    if ((channelChanged || subsChanged) && a.notify && g.messageModel !== 'BROADCASTING') this.emit('CHANGE', a.group, g);
    if (subsChanged) this.emit('REGISTER', a.group, g);
    return channelChanged || subsChanged;
  }

  /** ConsumerGroupInfo.updateSubscription: add new topics, take newer versions, drop topics no longer sent. */
  private updateSubscriptions(g: ConsumerGroupInfo, subs: SubscriptionData[]): boolean {
    let changed = false;
    const seen = new Set<string>();
    for (const s of subs) {
      seen.add(s.topic);
      const old = g.subscriptions.get(s.topic);
      if (!old) {
        g.subscriptions.set(s.topic, s);
        changed = true;
      } else if (s.subVersion > old.subVersion) {
        g.subscriptions.set(s.topic, s);
        if (old.subString !== s.subString || old.expressionType !== s.expressionType) changed = true;
      }
    }
    for (const topic of [...g.subscriptions.keys()]) {
      if (!seen.has(topic)) {
        g.subscriptions.delete(topic);
        changed = true;
      }
    }
    return changed;
  }

  /**
   * Heartbeat V2 without subscriptions: refresh a known channel of a known group, leaving subscriptions alone.
   * False when the group or the channel is unknown (the client must then send its full heartbeat).
   */
  refreshChannel(group: string, info: ClientChannelInfo): boolean {
    const g = this.groups.get(group);
    const known = g?.channels.get(info.channel);
    if (!g || !known) return false;
    known.lastUpdate = info.lastUpdate;
    known.clientId = info.clientId;
    known.version = info.version;
    known.language = info.language;
    g.lastUpdate = info.lastUpdate;
    return true;
  }

  unregister(group: string, channel: Channel, notify: boolean): void {
    const g = this.groups.get(group);
    if (!g) return;
    if (!g.channels.delete(channel)) return;
    this.logger.info(`unregister consumer, group: ${group} channel: ${channel.remoteAddr}`);
    this.afterRemoval(group, g, notify);
  }

  private afterRemoval(group: string, g: ConsumerGroupInfo, notify: boolean): void {
    if (g.channels.size === 0) {
      this.groups.delete(group);
      this.emit('UNREGISTER', group, undefined);
      return;
    }
    if (notify && g.messageModel !== 'BROADCASTING') this.emit('CHANGE', group, g);
  }

  /** A connection closed: drop it from every group, notifying the remaining members. */
  channelClosed(channel: Channel, notifyEnabled: (group: string) => boolean): void {
    for (const [group, g] of [...this.groups]) {
      if (g.channels.delete(channel)) {
        this.logger.info(`consumer channel closed, group: ${group} channel: ${channel.remoteAddr}`);
        this.afterRemoval(group, g, notifyEnabled(group));
      }
    }
  }

  scanNotActive(expiryMs: number, notifyEnabled: (group: string) => boolean, now = Date.now()): void {
    for (const [group, g] of [...this.groups]) {
      let removed = false;
      for (const [ch, info] of g.channels) {
        if (now - info.lastUpdate > expiryMs) {
          g.channels.delete(ch);
          removed = true;
          this.logger.warn(`consumer channel expired, group: ${group} channel: ${ch.remoteAddr} clientId: ${info.clientId}`);
          ch.close();
        }
      }
      if (removed) this.afterRemoval(group, g, notifyEnabled(group));
    }
  }

  /** Groups with an online consumer subscribed to the topic. */
  groupsSubscribing(topic: string): string[] {
    const out: string[] = [];
    for (const [group, g] of this.groups) if (g.subscriptions.has(topic)) out.push(group);
    return out;
  }
}
