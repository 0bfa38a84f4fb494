// `mqctl start broker --detach` / `mqctl stop broker` and `mqctl start --detach` / `mqctl stop standalone`:
// pid and log under MQCTL_HOME, a clean stop (abort file removed, broker unregistered from the name server).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RequestCode, ResponseCode } from '../../../src/protocol/codes.js';
import { RemotingCommand } from '../../../src/remoting/command.js';
import { decodeClusterInfo } from '../../../src/protocol/route.js';
import { type Proc, mqctl, newClient, removeDir, sendRequest, stop, tempDir, waitFor } from './helpers.js';

let home: string;
let namesrv: Proc;
let namesrvAddr: string;

function killFromPidFile(name: string): void {
  const f = path.join(home, `${name}.pid`);
  if (!existsSync(f)) return;
  const pid = Number(readFileSync(f, 'utf8').trim());
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

beforeAll(async () => {
  home = tempDir('mqctl-detach-');
  namesrv = mqctl(['start', 'namesrv', '--port', '0', '--listen', '127.0.0.1']);
  namesrvAddr = `127.0.0.1:${(await waitFor(namesrv, /namesrv listening on \S+:(\d+)/))[1]}`;
});

afterAll(async () => {
  killFromPidFile('broker');
  killFromPidFile('standalone');
  if (namesrv) await stop(namesrv);
  removeDir(home);
});

async function run(args: string[]): Promise<{ code: number | string; out: string; err: string }> {
  const p = mqctl(args, { MQCTL_HOME: home });
  const code = await p.exited;
  return { code, out: p.stdout(), err: p.stderr() };
}

describe('detached servers', () => {
  it('start broker --detach, serve, stop broker', async () => {
    const store = path.join(home, 'bstore');
    const started = await run(['start', 'broker', '-n', namesrvAddr, '--port', '0', '--store-dir', store, '--advertise-host', '127.0.0.1', '--broker-name', 'broker-d', '--listen', '127.0.0.1', '--detach']);
    expect(started.code, started.err).toBe(0);
    const addr = /broker ready: (\S+)/.exec(started.out)![1];
    expect(existsSync(path.join(home, 'broker.pid'))).toBe(true);
    const client = newClient();
    try {
      const r = await client.invoke(addr, sendRequest({ topic: 'DetachTopic', queueId: 0, body: 'x' }), 5000);
      expect(r.code).toBe(ResponseCode.SUCCESS);
      const ci = await client.invoke(namesrvAddr, RemotingCommand.createRequest(RequestCode.GET_BROKER_CLUSTER_INFO), 5000);
      expect(decodeClusterInfo(ci.body!).brokerAddrTable['broker-d']).toBeDefined();
      const again = await run(['start', 'broker', '-n', namesrvAddr, '--port', '0', '--store-dir', store, '--detach']);
      expect(again.code, again.err).toBe(1);
      expect(again.err).toContain('already running');

      const stopped = await run(['stop', 'broker']);
      expect(stopped.code, stopped.err).toBe(0);
      expect(stopped.out).toMatch(/broker \(pid \d+\) stopped/);
      expect(existsSync(path.join(home, 'broker.pid'))).toBe(false);
      expect(existsSync(path.join(store, 'abort'))).toBe(false);
      const after = await client.invoke(namesrvAddr, RemotingCommand.createRequest(RequestCode.GET_BROKER_CLUSTER_INFO), 5000);
      expect(decodeClusterInfo(after.body!).brokerAddrTable['broker-d']).toBeUndefined();
      const none = await run(['stop', 'broker']);
      expect(none.code, none.err).toBe(4);
    } finally {
      client.close();
    }
  });

  it('start --detach runs the standalone; stop standalone ends it', async () => {
    const started = await run(['start', '--namesrv-port', '0', '--port', '0', '--store-dir', path.join(home, 'sstore'), '--detach']);
    expect(started.code, started.err).toBe(0);
    expect(started.out).toMatch(/standalone ready: namesrv \S+, broker \S+/);
    expect(started.out).toContain('consume');
    const stopped = await run(['stop', 'standalone']);
    expect(stopped.code, stopped.err).toBe(0);
  });
});
