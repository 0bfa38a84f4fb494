// `mqctl start broker -p <port>` / `--port <port>`: the flag must reach the broker subcommand (the `start`
// group also has a default standalone subcommand with its own -p/--port), so the broker listens on that port.
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, freePort, spawnUntilReady, stopChild } from '../../helpers/index.js';
import { mqctl } from './cluster.js';

const dir = mkdtempSync(join(tmpdir(), 'mqctl-start-broker-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function connects(port: number): Promise<boolean> {
  return new Promise((res) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      res(true);
    });
    s.once('error', () => res(false));
  });
}

async function startBrokerWith(portFlag: string[], port: number, name: string): Promise<void> {
  let out = '';
  const { proc, ready } = await spawnUntilReady({
    what: 'broker',
    args: [BIN, 'start', 'broker', ...portFlag, '--store-dir', join(dir, name), '--listen', '127.0.0.1', '--advertise-host', '127.0.0.1'],
    env: { MQCTL_HOME: join(dir, `${name}-home`), NAMESRV_ADDR: '', NO_COLOR: '1' },
    parse: (o) => /broker ready: (\S+)/.exec(o)?.[1],
    sink: (d) => (out += d),
    output: () => out,
    timeoutMs: 30_000,
  });
  try {
    expect(ready).toBe(`127.0.0.1:${port}`);
    expect(await connects(port)).toBe(true);
  } finally {
    await stopChild(proc, 10_000);
  }
}

describe('mqctl start broker port flag', () => {
  it('-p <port> makes the broker listen on that port', async () => {
    const port = await freePort();
    await startBrokerWith(['-p', String(port)], port, 'short');
  }, 60_000);

  it('--port=<port> makes the broker listen on that port', async () => {
    const port = await freePort();
    await startBrokerWith([`--port=${port}`], port, 'long');
  }, 60_000);

  it('a bad -p value is a usage error of the broker subcommand', async () => {
    const r = await mqctl(['start', 'broker', '-p', 'notaport'], { MQCTL_HOME: join(dir, 'bad-home'), NAMESRV_ADDR: '' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('invalid --port: notaport');
  }, 60_000);
});
