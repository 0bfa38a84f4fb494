import fs from 'node:fs';
import path from 'node:path';
import { parseFastjson, stringifyFastjson } from '../common/fastjson.js';
import { fsyncDir } from './file-util.js';

/**
 * Broker config files (storage.md §9): `<root>/config/{topics,subscriptionGroup,consumerOffset,delayOffset}.json`,
 * pretty fastjson. Writes go to `<name>.tmp`, are fsynced, the previous file is kept as `<name>.bak`, then
 * the temp file is renamed into place. Loads fall back to `.bak` when the file is missing, empty or corrupt.
 */
export function configFilePaths(storePathRootDir: string): Record<'topics' | 'subscriptionGroup' | 'consumerOffset' | 'delayOffset' | 'consumerFilter', string> {
  const dir = path.join(storePathRootDir, 'config');
  return {
    topics: path.join(dir, 'topics.json'),
    subscriptionGroup: path.join(dir, 'subscriptionGroup.json'),
    consumerOffset: path.join(dir, 'consumerOffset.json'),
    delayOffset: path.join(dir, 'delayOffset.json'),
    consumerFilter: path.join(dir, 'consumerFilter.json'),
  };
}

export function writeFileAtomic(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp`;
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  if (fs.existsSync(file)) fs.copyFileSync(file, `${file}.bak`);
  fs.renameSync(tmp, file);
  fsyncDir(path.dirname(file));
}

/** Text of the file, or of its `.bak` when the file is missing/empty/not parsable by `valid`; null when neither. */
export function readFileWithBackup(file: string, valid: (text: string) => boolean = () => true): string | null {
  for (const f of [file, `${file}.bak`]) {
    try {
      const text = fs.readFileSync(f, 'utf8');
      if (text.trim().length > 0 && valid(text)) return text;
    } catch {
      // missing or unreadable: try the next candidate
    }
  }
  return null;
}

/** Persists a value as pretty fastjson (numeric-key maps unquoted, see common/fastjson.ts). */
export function persistConfig(file: string, value: unknown): void {
  writeFileAtomic(file, stringifyFastjson(value, { pretty: true }));
}

/** Loads a fastjson config file (with `.bak` fallback); null when neither is usable. */
export function loadConfig(file: string): unknown {
  let parsed: unknown = null;
  const text = readFileWithBackup(file, (t) => {
    try {
      parsed = parseFastjson(t);
      return true;
    } catch {
      return false;
    }
  });
  return text === null ? null : parsed;
}
