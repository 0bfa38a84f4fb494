/**
 * Topic configs of this broker (semantics.md §2): system topics created at start, auto-creation from a template
 * topic on send, retry/DLQ topics created on demand; persisted to <storePathRootDir>/config/topics.json.
 */
import path from 'node:path';
import type { Logger } from '../common/logger.js';
import { PERM_INHERIT, PERM_READ, PERM_WRITE, isInherited } from '../common/perm.js';
import {
  AUTO_CREATE_TOPIC_KEY_TOPIC,
  RMQ_SYS_BENCHMARK_TOPIC,
  RMQ_SYS_OFFSET_MOVED_EVENT,
  RMQ_SYS_SCHEDULE_TOPIC,
  RMQ_SYS_SELF_TEST_TOPIC,
  RMQ_SYS_TRANS_HALF_TOPIC,
  RMQ_SYS_TRANS_OP_HALF_TOPIC,
  addSystemTopic,
} from '../common/topics.js';
import {
  type DataVersion,
  type TopicConfig,
  decodeTopicConfigWrapper,
  encodeTopicConfigWrapper,
  newDataVersion,
  newTopicConfig,
  nextDataVersion,
} from '../protocol/route.js';
import type { BrokerConfig } from './config.js';
import { loadConfigFile, writeConfigFileAtomic } from './config-file.js';

export type TopicChangeListener = (reason: string) => void;

export class TopicConfigManager {
  private readonly table = new Map<string, TopicConfig>();
  dataVersion: DataVersion = newDataVersion();
  readonly file: string;
  private readonly listeners: TopicChangeListener[] = [];

  constructor(
    private readonly config: BrokerConfig,
    private readonly logger: Logger,
  ) {
    this.file = path.join(config.storePathRootDir, 'config', 'topics.json');
  }

  /** Load topics.json (or .bak), then make sure the start-up topics exist. */
  load(): void {
    const w = loadConfigFile(this.file, (t) => decodeTopicConfigWrapper(t), this.logger);
    if (w) {
      for (const [name, tc] of Object.entries(w.topicConfigTable)) this.table.set(name, tc);
      this.dataVersion = w.dataVersion;
    }
    this.initSystemTopics();
  }

  private initSystemTopics(): void {
    const c = this.config;
    const sys = (name: string, queues: number, perm: number): void => {
      addSystemTopic(name);
      if (!this.table.has(name)) this.table.set(name, newTopicConfig(name, { readQueueNums: queues, writeQueueNums: queues, perm }));
    };
    sys(RMQ_SYS_SELF_TEST_TOPIC, 1, PERM_READ | PERM_WRITE);
    if (c.autoCreateTopicEnable) {
      sys(AUTO_CREATE_TOPIC_KEY_TOPIC, c.defaultTopicQueueNums, PERM_INHERIT | PERM_READ | PERM_WRITE);
    }
    sys(RMQ_SYS_BENCHMARK_TOPIC, 1024, PERM_READ | PERM_WRITE);
    sys(c.brokerClusterName, 16, PERM_INHERIT | (c.clusterTopicEnable ? PERM_READ | PERM_WRITE : 0));
    sys(c.brokerName, 1, PERM_INHERIT | (c.brokerTopicEnable ? PERM_READ | PERM_WRITE : 0));
    sys(RMQ_SYS_OFFSET_MOVED_EVENT, 1, PERM_READ | PERM_WRITE);
    sys(RMQ_SYS_SCHEDULE_TOPIC, 18, PERM_READ | PERM_WRITE);
    if (c.traceTopicEnable) sys(c.msgTraceTopicName, 1, PERM_READ | PERM_WRITE);
    sys(`${c.brokerClusterName}_REPLY_TOPIC`, 1, PERM_READ | PERM_WRITE);
    sys(`rmq_sys_REVIVE_LOG_${c.brokerClusterName}`, 8, PERM_READ | PERM_WRITE);
    sys(`rmq_sys_SYNC_BROKER_MEMBER_${c.brokerName}`, 1, PERM_INHERIT);
    sys(RMQ_SYS_TRANS_HALF_TOPIC, 1, PERM_READ | PERM_WRITE);
    sys(RMQ_SYS_TRANS_OP_HALF_TOPIC, 1, PERM_READ | PERM_WRITE);
    if (c.timerWheelEnable) sys('rmq_sys_wheel_timer', 1, PERM_READ | PERM_WRITE);
  }

  /** Called after every change that should reach the name servers (registration at once). */
  onChange(l: TopicChangeListener): void {
    this.listeners.push(l);
  }

  get(name: string): TopicConfig | undefined {
    return this.table.get(name);
  }

  has(name: string): boolean {
    return this.table.has(name);
  }

  all(): TopicConfig[] {
    return [...this.table.values()];
  }

  /** A plain-object snapshot (TopicConfigSerializeWrapper.topicConfigTable). */
  tableSnapshot(): Record<string, TopicConfig> {
    const out: Record<string, TopicConfig> = {};
    for (const [k, v] of this.table) out[k] = { ...v, attributes: { ...v.attributes } };
    return out;
  }

  /** Create or replace a topic; bumps the data version, persists and notifies. */
  put(tc: TopicConfig, reason = `topic ${tc.topicName} updated`): void {
    this.table.set(tc.topicName, { ...tc, attributes: { ...(tc.attributes ?? {}) } });
    this.changed(reason);
  }

  delete(name: string): boolean {
    const had = this.table.delete(name);
    if (had) this.changed(`topic ${name} deleted`);
    return had;
  }

  private changed(reason: string): void {
    this.dataVersion = nextDataVersion(this.dataVersion);
    this.persist();
    for (const l of this.listeners) {
      try {
        l(reason);
      } catch (e) {
        this.logger.warn(`topic change listener failed: ${(e as Error).message}`);
      }
    }
  }

  persist(): void {
    try {
      const text = encodeTopicConfigWrapper({ topicConfigTable: this.tableSnapshot(), dataVersion: this.dataVersion }, { pretty: true }).toString('utf8');
      writeConfigFileAtomic(this.file, text);
    } catch (e) {
      this.logger.error(`persist ${this.file} failed: ${(e as Error).message}`);
    }
  }

  /**
   * TopicConfigManager.createTopicInSendMessageMethod: new topic from a template that has PERM_INHERIT.
   * Returns undefined when the template is missing or may not be inherited from.
   */
  createFromTemplate(topic: string, templateName: string, clientQueueNums: number, topicSysFlag: number): TopicConfig | undefined {
    const existing = this.table.get(topic);
    if (existing) return existing;
    const template = this.table.get(templateName);
    if (!template) {
      this.logger.warn(`create topic ${topic}: template topic ${templateName} does not exist`);
      return undefined;
    }
    let perm = template.perm;
    // TBW102 is only a template while autoCreateTopicEnable is on
    if (templateName === AUTO_CREATE_TOPIC_KEY_TOPIC && !this.config.autoCreateTopicEnable) perm = PERM_READ | PERM_WRITE;
    if (!isInherited(perm)) {
      this.logger.warn(`create topic ${topic}: template topic ${templateName} has no inherit permission (perm ${perm})`);
      return undefined;
    }
    const queues = Math.max(1, Math.min(clientQueueNums > 0 ? clientQueueNums : template.writeQueueNums, template.writeQueueNums));
    const tc = newTopicConfig(topic, {
      readQueueNums: queues,
      writeQueueNums: queues,
      perm: perm & ~PERM_INHERIT,
      topicFilterType: template.topicFilterType,
      topicSysFlag,
    });
    this.logger.info(`auto-created topic ${topic} from ${templateName}: ${queues} queues, perm ${tc.perm}`);
    this.put(tc, `topic ${topic} auto-created`);
    return tc;
  }

  /** createTopicInSendMessageBackMethod: retry/DLQ topics with a given queue count and perm, no template. */
  createWithoutTemplate(topic: string, queueNums: number, perm: number, topicSysFlag = 0): TopicConfig {
    const existing = this.table.get(topic);
    if (existing) return existing;
    const tc = newTopicConfig(topic, { readQueueNums: queueNums, writeQueueNums: queueNums, perm, topicSysFlag });
    this.logger.info(`created topic ${topic}: ${queueNums} queues, perm ${perm}`);
    this.put(tc, `topic ${topic} created`);
    return tc;
  }
}
