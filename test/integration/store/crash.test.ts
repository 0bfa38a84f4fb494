import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeMessages } from '../../../src/common/record-codec.js';
import { MessageStore } from '../../../src/store/message-store.js';
import { verifyStore } from '../../../src/store/verify.js';
import { buildStoreForChildren } from './build-store.js';
import { mulberry32 } from '../../helpers/index.js';

interface Ack { queueId: number; queueOffset: number; phy: number; id: string }

let build: { dir: string; module: string };
let storeDir: string;
const ROUNDS = 20;
const SEGMENT = 64 * 1024;

beforeAll(() => {
  build = buildStoreForChildren();
  storeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mqctl-crash-'));
}, 120_000);

afterAll(() => {
  fs.rmSync(build.dir, { recursive: true, force: true });
  fs.rmSync(storeDir, { recursive: true, force: true });
});

/** Runs the child until the kill condition, SIGKILLs it, returns the acknowledged messages it printed. */
function crashRound(round: number, rnd: () => number): Promise<Ack[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(__dirname, 'crash-child.mjs'), build.module, storeDir, String(round), String(SEGMENT)],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const acks: Ack[] = [];
    const killAfterAcks = 1 + Math.floor(rnd() * 400);
    const killAfterMs = 5 + Math.floor(rnd() * 120);
    const byTime = round % 2 === 1;
    let killed = false;
    const kill = () => { if (!killed) { killed = true; child.kill('SIGKILL'); } };
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      let nl: number;
      while ((nl = out.indexOf('\n')) >= 0) {
        const line = out.slice(0, nl);
        out = out.slice(nl + 1);
        if (line === 'READY') { if (byTime) setTimeout(kill, killAfterMs); continue; }
        const m = /^ACK (\d+) (\d+) (\d+) (\S+)$/.exec(line);
        if (m) acks.push({ queueId: Number(m[1]), queueOffset: Number(m[2]), phy: Number(m[3]), id: m[4] });
        if (!byTime && acks.length >= killAfterAcks) kill();
      }
    });
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    const guard = setTimeout(kill, 10_000);
    child.on('exit', (code, signal) => {
      clearTimeout(guard);
      if (signal !== 'SIGKILL') reject(new Error(`child exited ${code} ${signal}: ${err}`));
      else resolve(acks);
    });
  });
}

describe('SIGKILL crash under SYNC_FLUSH', () => {
  it(`keeps every acknowledged message over ${ROUNDS} seeded rounds; verify clean after each recovery`, async () => {
    const rnd = mulberry32(0x5eed1234);
    const acked: Ack[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      acked.push(...(await crashRound(round, rnd)));
      expect(fs.existsSync(path.join(storeDir, 'abort'))).toBe(true);
      const s = await MessageStore.open({ storePathRootDir: storeDir, mappedFileSizeCommitLog: SEGMENT,
        mappedFileSizeConsumeQueue: 20 * 64, maxHashSlotNum: 64, maxIndexNum: 256 });
      expect(s.recovery.abnormal).toBe(true);
      for (const a of acked) {
        const g = await s.getMessage('G', 'CrashT', a.queueId, a.queueOffset, 1);
        expect(g.status, `round ${round}: ${a.id}`).toBe('FOUND');
        const [m] = decodeMessages(g.messages[0]);
        expect(m.body.toString().split(':')[0]).toBe(a.id);
        expect(m.commitLogOffset).toBe(a.phy);
      }
      const last = acked[acked.length - 1];
      if (last) expect((await s.queryMessage('CrashT', last.id, 4, 0, Date.now() + 1000)).phyOffsets).toContain(last.phy);
      await s.shutdown();
      const v = verifyStore(storeDir);
      expect(v.problems, `round ${round}`).toEqual([]);
    }
    expect(acked.length).toBeGreaterThan(ROUNDS);
  }, 180_000);
});
