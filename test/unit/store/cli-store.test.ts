import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { register } from '../../../src/cli/commands/store.js';
import { MessageStore } from '../../../src/store/message-store.js';
import { msg, rmDir, tmpStoreDir } from './helpers.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmDir(d);
  process.exitCode = undefined;
  vi.restoreAllMocks();
});

async function run(args: string[]): Promise<{ out: string; err: string; code: number }> {
  const program = new Command('mqctl').option('--json').exitOverride();
  register(program);
  let out = '';
  let err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => { out += String(s); return true; });
  vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => { err += String(s); return true; });
  process.exitCode = undefined;
  await program.parseAsync(['node', 'mqctl', ...args]);
  vi.restoreAllMocks();
  const code = Number(process.exitCode ?? 0);
  process.exitCode = undefined;
  return { out, err, code };
}

async function makeStore(): Promise<string> {
  const dir = tmpStoreDir('cli');
  dirs.push(dir);
  const s = await MessageStore.open({ storePathRootDir: dir, mappedFileSizeCommitLog: 8192, mappedFileSizeConsumeQueue: 400, maxHashSlotNum: 16, maxIndexNum: 64 });
  for (let i = 0; i < 10; i++) await s.putMessage(msg('CliT', 0, `hello ${i}`, { KEYS: `k${i}`, TAGS: 'A' }));
  await s.shutdown();
  return dir;
}

describe('mqctl store verify|dump', () => {
  it('verify: exit 0 on a clean store, 1 with problems (listed), 2 when unreadable', async () => {
    const dir = await makeStore();
    const ok = await run(['store', 'verify', dir]);
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/commitlog/);
    expect(ok.out).toMatch(/store is clean/);
    const json = await run(['store', 'verify', dir, '--json']);
    expect(JSON.parse(json.out)).toMatchObject({ ok: true, commitlog: { records: 10 } });
    const file = path.join(dir, 'commitlog', '00000000000000000000');
    const fd = fs.openSync(file, 'r+');
    fs.writeSync(fd, Buffer.from('X'), 0, 1, 90);
    fs.closeSync(fd);
    const bad = await run(['store', 'verify', dir, '--json']);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.out).problems[0]).toMatchObject({ kind: 'crc', phyOffset: 0, file });
    const missing = await run(['store', 'verify', path.join(dir, 'nope')]);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/not a directory/);
  });

  it('dump: table and one JSON object a line', async () => {
    const dir = await makeStore();
    const lines = (await run(['store', 'dump', dir, '--topic', 'CliT', '--queue', '0', '--offset', '3', '--count', '2', '--json'])).out.trim().split('\n');
    expect(lines.map((l) => JSON.parse(l).queueOffset)).toEqual([3, 4]);
    expect(JSON.parse(lines[0])).toMatchObject({ keys: 'k3', tags: 'A', bodyPreview: 'hello 3', topic: 'CliT' });
    const table = await run(['store', 'dump', dir, '--count', '3']);
    expect(table.out).toMatch(/hello 2/);
    expect((await run(['store', 'dump', dir, '--offset', '1'])).code).toBe(2);
  });
});
