/**
 * Delivery progress of the delay levels (storage.md §9, delayOffset.json): level (1-based) → next queue offset
 * to deliver in SCHEDULE_TOPIC_XXXX queue level−1. Written like Apache's ConfigManager (tmp + .bak + rename),
 * pretty fastjson with unquoted numeric keys and a 5.x dataVersion.
 */
import path from 'node:path';
import { numericKeys, parseFastjson, stringifyFastjson } from '../../common/fastjson.js';
import type { Logger } from '../../common/logger.js';
import { dataVersionFromJson, dataVersionToJson, newDataVersion, nextDataVersion, type DataVersion } from '../../protocol/route.js';
import { loadConfigFile, writeConfigFileAtomic, writeConfigFileAtomicAsync } from '../config-file.js';

export class DelayOffsetTable {
  readonly file: string;
  private readonly offsets = new Map<number, number>();
  dataVersion: DataVersion = newDataVersion();

  constructor(storePathRootDir: string, private readonly logger?: Logger) {
    this.file = path.join(storePathRootDir, 'config', 'delayOffset.json');
  }

  load(): void {
    const parsed = loadConfigFile(this.file, (t) => parseDelayOffsetJson(t), this.logger);
    if (!parsed) return;
    this.offsets.clear();
    for (const [k, v] of parsed.offsets) this.offsets.set(k, v);
    if (parsed.dataVersion) this.dataVersion = parsed.dataVersion;
  }

  get(level: number): number {
    return this.offsets.get(level) ?? 0;
  }

  set(level: number, offset: number): void {
    if (this.offsets.get(level) === offset) return;
    this.offsets.set(level, offset);
    this.changed = true;
  }

  /** Offsets changed since the last persist. */
  private changed = false;
  private writing: Promise<void> | null = null;

  entries(): Array<[number, number]> {
    return [...this.offsets.entries()].sort((a, b) => a[0] - b[0]);
  }

  /** The file body (also the GET_ALL_DELAY_OFFSET response body, compact). */
  encode(pretty = false): string {
    const table: Record<string, number> = numericKeys({});
    for (const [k, v] of this.entries()) table[String(k)] = v;
    return stringifyFastjson({ dataVersion: dataVersionToJson(this.dataVersion), offsetTable: table }, { pretty });
  }

  /** Resolves when no periodic write is in flight (call before a final persist). */
  async settled(): Promise<void> {
    await this.writing?.catch(() => undefined);
  }

  persist(): void {
    this.changed = false;
    this.dataVersion = nextDataVersion(this.dataVersion);
    writeConfigFileAtomic(this.file, this.encode(true));
  }

  /**
   * The periodic persist: only when something changed, and off the event loop (an fsync on the main thread
   * stalled every send of a busy broker for 5–20 ms every 10 s).
   */
  persistIfChanged(): Promise<void> {
    if (!this.changed || this.writing) return this.writing ?? Promise.resolve();
    this.changed = false;
    this.dataVersion = nextDataVersion(this.dataVersion);
    this.writing = writeConfigFileAtomicAsync(this.file, this.encode(true))
      .catch((e: Error) => {
        this.changed = true;
        throw e;
      })
      .finally(() => {
        this.writing = null;
      });
    return this.writing;
  }
}

export function parseDelayOffsetJson(text: string): { offsets: Map<number, number>; dataVersion?: DataVersion } {
  const o = parseFastjson(text) as Record<string, unknown> | null;
  if (!o || typeof o !== 'object') throw new Error('delayOffset.json is not a JSON object');
  const offsets = new Map<number, number>();
  const table = (o.offsetTable ?? {}) as Record<string, unknown>;
  for (const [k, v] of Object.entries(table)) {
    const level = Number(k);
    const off = typeof v === 'bigint' ? Number(v) : Number(v);
    if (Number.isInteger(level) && Number.isFinite(off)) offsets.set(level, off);
  }
  return { offsets, dataVersion: o.dataVersion ? dataVersionFromJson(o.dataVersion) : undefined };
}
