/**
 * Apache's ConfigManager file handling (storage.md §9): write to `<name>.tmp`, keep the previous file as
 * `<name>.bak`, rename into place; load falls back to `.bak` when the file is missing, empty or unparsable.
 */
import { existsSync, readFileSync } from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../common/logger.js';
import { writeFileAtomic } from '../store/config-file.js';

/** Synchronous atomic write: the store's helper (temp file, fsync, `.bak`, rename, directory fsync). */
export function writeConfigFileAtomic(file: string, text: string): void {
  writeFileAtomic(file, text);
}

/** Same as writeConfigFileAtomic without blocking the event loop (periodic persists on a busy broker). */
export async function writeConfigFileAtomicAsync(file: string, text: string): Promise<void> {
  await fsp.mkdir(path.dirname(file), { recursive: true });
  const tmp = file + '.tmp';
  const fh = await fsp.open(tmp, 'w');
  try {
    await fh.writeFile(text);
    await fh.datasync();
  } finally {
    await fh.close();
  }
  try {
    await fsp.copyFile(file, file + '.bak');
  } catch {
    // first write, or a missing backup: only weakens recovery from a later corrupt write
  }
  await fsp.rename(tmp, file);
}

/**
 * Read and parse a config file, trying `<file>` then `<file>.bak`. Returns undefined when neither is usable.
 */
export function loadConfigFile<T>(file: string, parse: (text: string) => T, logger?: Logger): T | undefined {
  for (const candidate of [file, file + '.bak']) {
    if (!existsSync(candidate)) continue;
    let text: string;
    try {
      text = readFileSync(candidate, 'utf8');
    } catch (e) {
      logger?.warn(`cannot read ${candidate}: ${(e as Error).message}`);
      continue;
    }
    if (text.trim().length === 0) continue;
    try {
      const v = parse(text);
      if (candidate !== file) logger?.warn(`${file} unusable, loaded ${candidate}`);
      return v;
    } catch (e) {
      logger?.warn(`cannot parse ${candidate}: ${(e as Error).message}`);
    }
  }
  return undefined;
}
