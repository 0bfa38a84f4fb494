/**
 * The name server's KV config (namespace -> key -> value), persisted as Apache's kvConfig.json:
 * `{"configTable":{"ns":{"k":"v"}}}` (compact, as KVConfigSerializeWrapper.toJson()), written the way
 * MixAll.string2File does: new content to `<file>.tmp`, the old file kept as `<file>.bak`, then a rename.
 */
import { putOwn } from '../protocol/body.js';
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseFastjson, stringifyFastjson } from '../common/fastjson.js';
import type { Logger } from '../common/logger.js';
import { silentLogger } from '../common/logger.js';
import { asObject, asStringMap, mapEntries } from '../protocol/body.js';

export class KVConfigManager {
  private readonly table = new Map<string, Map<string, string>>();

  constructor(
    readonly path: string,
    private readonly logger: Logger = silentLogger,
  ) {}

  /** Load the file if it exists; a corrupt file is logged and ignored (Java logs and starts empty). */
  load(): void {
    if (!existsSync(this.path)) return;
    try {
      const o = asObject(parseFastjson(readFileSync(this.path, 'utf8'))) ?? {};
      for (const [ns, kv] of mapEntries(o.configTable)) {
        this.table.set(String(ns), new Map(Object.entries(asStringMap(kv))));
      }
      this.logger.info(`load KV config table OK, ${this.path}`);
    } catch (e) {
      this.logger.error(`load KV config table failed, ${this.path}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  put(namespace: string, key: string, value: string): void {
    let m = this.table.get(namespace);
    if (!m) this.table.set(namespace, (m = new Map()));
    const prev = m.get(key);
    m.set(key, value);
    this.logger.info(`${prev === undefined ? 'putKVConfig create new' : 'putKVConfig update'} config item, Namespace: ${namespace} Key: ${key} Value: ${value}`);
    this.persist();
  }

  get(namespace: string, key: string): string | undefined {
    return this.table.get(namespace)?.get(key);
  }

  delete(namespace: string, key: string): void {
    const m = this.table.get(namespace);
    if (!m || !m.has(key)) return;
    m.delete(key);
    this.logger.info(`deleteKVConfig delete a config item, Namespace: ${namespace} Key: ${key}`);
    this.persist();
  }

  list(namespace: string): Record<string, string> | undefined {
    const m = this.table.get(namespace);
    return m ? Object.fromEntries(m) : undefined;
  }

  private persist(): void {
    const configTable: Record<string, Record<string, string>> = {};
    for (const [ns, m] of this.table) putOwn(configTable, ns, Object.fromEntries(m));
    const text = stringifyFastjson({ configTable });
    try {
      mkdirSync(dirname(this.path), { recursive: true });
      const tmp = `${this.path}.tmp`;
      writeFileSync(tmp, text);
      if (existsSync(this.path)) copyFileSync(this.path, `${this.path}.bak`);
      renameSync(tmp, this.path);
    } catch (e) {
      this.logger.error(`persist kvconfig Exception, ${this.path}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}
