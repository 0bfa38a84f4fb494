/**
 * Consumer group configs (semantics.md §3): created on first use when autoCreateSubscriptionGroup is on,
 * persisted to <storePathRootDir>/config/subscriptionGroup.json.
 */
import path from 'node:path';
import type { Logger } from '../common/logger.js';
import { validateGroup } from '../common/topics.js';
import {
  type SubscriptionGroupConfig,
  decodeSubscriptionGroupWrapper,
  encodeSubscriptionGroupWrapper,
  newSubscriptionGroupConfig,
} from '../protocol/admin.js';
import { type DataVersion, newDataVersion, nextDataVersion } from '../protocol/route.js';
import type { BrokerConfig } from './config.js';
import { loadConfigFile, writeConfigFileAtomic } from './config-file.js';

/** Groups Apache creates at start (MixAll / SubscriptionGroupManager.init). */
const BUILTIN_GROUPS = ['TOOLS_CONSUMER', 'FILTERSRV_CONSUMER', 'SELF_TEST_C_GROUP', 'CID_ONS-HTTP-PROXY', 'CID_ONSAPI_PULL', 'CID_ONSAPI_PERMISSION', 'CID_ONSAPI_OWNER', 'CID_RMQ_SYS_TRANS'];

export class SubscriptionGroupManager {
  private readonly table = new Map<string, SubscriptionGroupConfig>();
  private forbiddenTable: Record<string, Record<string, number>> = {};
  dataVersion: DataVersion = newDataVersion();
  readonly file: string;

  constructor(
    private readonly config: BrokerConfig,
    private readonly logger: Logger,
  ) {
    this.file = path.join(config.storePathRootDir, 'config', 'subscriptionGroup.json');
  }

  load(): void {
    const w = loadConfigFile(this.file, (t) => decodeSubscriptionGroupWrapper(t), this.logger);
    if (w) {
      for (const [name, g] of Object.entries(w.subscriptionGroupTable)) this.table.set(name, g);
      this.dataVersion = w.dataVersion;
      this.forbiddenTable = w.forbiddenTable ?? {};
    }
    for (const g of BUILTIN_GROUPS) {
      if (!this.table.has(g)) this.table.set(g, newSubscriptionGroupConfig(g));
    }
  }

  get(name: string): SubscriptionGroupConfig | undefined {
    return this.table.get(name);
  }

  /**
   * findSubscriptionGroupConfig: the group's config, created with defaults when unknown and auto-creation is
   * enabled and the name is valid; undefined otherwise.
   */
  findOrCreate(name: string): SubscriptionGroupConfig | undefined {
    const g = this.table.get(name);
    if (g) return g;
    if (!this.config.autoCreateSubscriptionGroup || validateGroup(name) !== null) return undefined;
    const created = newSubscriptionGroupConfig(name);
    this.logger.info(`auto-created subscription group ${name}`);
    this.put(created);
    return created;
  }

  all(): SubscriptionGroupConfig[] {
    return [...this.table.values()];
  }

  tableSnapshot(): Record<string, SubscriptionGroupConfig> {
    const out: Record<string, SubscriptionGroupConfig> = {};
    for (const [k, v] of this.table) out[k] = { ...v, attributes: { ...v.attributes } };
    return out;
  }

  forbidden(): Record<string, Record<string, number>> {
    return this.forbiddenTable;
  }

  put(g: SubscriptionGroupConfig): void {
    this.table.set(g.groupName, { ...g, attributes: { ...(g.attributes ?? {}) } });
    this.dataVersion = nextDataVersion(this.dataVersion);
    this.persist();
  }

  delete(name: string): boolean {
    const had = this.table.delete(name);
    delete this.forbiddenTable[name];
    if (had) {
      this.dataVersion = nextDataVersion(this.dataVersion);
      this.persist();
    }
    return had;
  }

  persist(): void {
    try {
      const text = encodeSubscriptionGroupWrapper(
        { subscriptionGroupTable: this.tableSnapshot(), dataVersion: this.dataVersion, forbiddenTable: this.forbiddenTable },
        { pretty: true },
      ).toString('utf8');
      writeConfigFileAtomic(this.file, text);
    } catch (e) {
      this.logger.error(`persist ${this.file} failed: ${(e as Error).message}`);
    }
  }
}
