// mqctl send / consume as child processes against the standalone broker, and a client program that exits by
// itself once its clients are closed.
import { spawn } from 'node:child_process';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, startTestBroker, uniqueName, type TestBroker } from './harness.js';

let b: TestBroker;
let home: string;
beforeAll(async () => {
  b = await startTestBroker();
  home = mkdtempSync(join(tmpdir(), 'mqctl-cli-home-'));
});
afterAll(async () => {
  await b?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
});

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

function runNode(args: string[], input?: string, timeoutMs = 30_000): Promise<Result> {
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const p = spawn(process.execPath, args, { env: { ...process.env, MQCTL_HOME: home, NO_COLOR: '1' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      p.kill('SIGKILL');
      reject(new Error(`${args.join(' ')} did not exit in ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    p.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - t0 });
    });
    p.stdin.end(input ?? '');
  });
}

const mqctl = (args: string[], input?: string): Promise<Result> => runNode([BIN, '-n', b.namesrv, ...args], input);

describe('mqctl send / consume', () => {
  it('send from stdin, consume --max 3 --json round-trips; the group then has nothing old', async () => {
    const topic = uniqueName('T');
    const group = uniqueName('CG');
    const sent = await mqctl(['send', '-t', topic, '--tag', 'TagA', '-k', 'key1', '-p', 'color=red', '--json'], 'one\ntwo\nthree\n');
    expect(sent.code, sent.stderr).toBe(0);
    const rows = sent.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(rows).toHaveLength(3);
    for (const r of rows) {
      expect(r.status).toBe('SEND_OK');
      expect(r.msgId).toMatch(/^[0-9A-F]{32}$/);
      expect(typeof r.queueOffset).toBe('number');
    }
    const got = await mqctl(['consume', '-t', topic, '-g', group, '--from', 'first', '--max', '3', '--json']);
    expect(got.code, got.stderr).toBe(0);
    const msgs = got.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(msgs.map((m) => m.body).sort()).toEqual(['one', 'three', 'two']);
    expect(new Set(msgs.map((m) => m.msgId))).toEqual(new Set(rows.map((r) => r.msgId)));
    for (const m of msgs) {
      expect(m).toMatchObject({ topic, tags: 'TagA', keys: 'key1', reconsumeTimes: 0 });
      expect(m.properties.color).toBe('red');
      expect(m.bornTimestamp).toBeGreaterThan(0);
      expect(m.storeTimestamp).toBeGreaterThan(0);
    }
    expect(got.stderr).toContain('3 message(s) consumed');

    const again = await mqctl(['consume', '-t', topic, '-g', group, '--from', 'first', '--timeout', '2', '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout.trim()).toBe('');
    expect(again.stderr).toContain('0 message(s) consumed');
  });

  it('send --body --count prints a table; bad flags exit 2', async () => {
    const topic = uniqueName('T');
    const r = await mqctl(['send', '-t', topic, '--body', 'x', '--count', '2', '--async']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('SEND_OK');
    expect(r.stdout.match(/SEND_OK/g)).toHaveLength(2);
    const bad = await mqctl(['send', '-t', topic, '--body', 'x', '--delay', '99']);
    expect(bad.code).toBe(2);
  });
});

describe('clean close', () => {
  it('a program whose producer and consumer are closed exits by itself', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mqctl-exit-'));
    const script = join(dir, 'prog.mjs');
    const lib = join(ROOT, 'dist', 'client', 'index.js');
    writeFileSync(script, `
      import { Producer, PushConsumer, createMessage } from ${JSON.stringify(lib)};
      const ns = process.argv[2], topic = process.argv[3];
      const p = new Producer({ namesrvAddr: ns, group: 'PG_EXIT' });
      await p.start();
      await p.send(createMessage({ topic, body: 'bye' }));
      const c = new PushConsumer({ namesrvAddr: ns, group: 'CG_EXIT', consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET' });
      let got = 0;
      c.subscribe(topic, '*');
      c.registerMessageListener(() => { got++; return 'CONSUME_SUCCESS'; });
      await c.start();
      while (got < 1) await new Promise((r) => setTimeout(r, 20));
      await c.shutdown();
      await p.shutdown();
      console.log('closed');
    `);
    const r = await runNode([script, b.namesrv, uniqueName('T')], undefined, 20_000);
    rmSync(dir, { recursive: true, force: true });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('closed');
  });
});
