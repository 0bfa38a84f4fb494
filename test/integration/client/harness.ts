// Starts our standalone name server + broker as a child process (`mqctl start`) on free ports with a temporary
// store, for the client integration tests. Needs a build (`npm run build`; `npm test` does it).
import { type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, ROOT, spawnUntilReady, stopChild } from '../../helpers/index.js';

export { BIN, ROOT, uniqueName, waitFor } from '../../helpers/index.js';

export interface TestBroker {
  namesrv: string;
  broker: string;
  storeDir: string;
  proc: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/**
 * CLIENT_IT_NAMESRV=host:port runs the same tests against an already running cluster (e.g. Apache RocketMQ
 * started by hand as test/compat/README.md shows); nothing is started or stopped then.
 */
export async function startTestBroker(timeoutMs = 30_000): Promise<TestBroker> {
  const external = process.env.CLIENT_IT_NAMESRV;
  if (external) {
    const storeDir = mkdtempSync(join(tmpdir(), 'mqctl-client-it-'));
    return {
      namesrv: external, broker: '', storeDir, proc: null as unknown as ChildProcess, output: () => '',
      async stop() {
        rmSync(storeDir, { recursive: true, force: true });
      },
    };
  }
  if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) throw new Error('dist/ missing: run `npm run build` first');
  const storeDir = mkdtempSync(join(tmpdir(), 'mqctl-client-it-'));
  const home = mkdtempSync(join(tmpdir(), 'mqctl-client-home-'));
  let out = '';
  const { proc, ready: addrs } = await spawnUntilReady({
    what: 'broker',
    args: [BIN, 'start', '--namesrv-port', '0', '--port', '0', '--store-dir', storeDir],
    env: { MQCTL_HOME: home, NO_COLOR: '1' },
    parse: (o) => {
      const m = /standalone ready: namesrv (\S+), broker (\S+)/.exec(o);
      return m ? { namesrv: m[1], broker: m[2] } : undefined;
    },
    sink: (d) => (out += d),
    output: () => out,
    timeoutMs,
    readyOnStderr: true,
  });
  return {
    ...addrs,
    storeDir,
    proc,
    output: () => out,
    async stop() {
      await stopChild(proc, 10_000);
      rmSync(storeDir, { recursive: true, force: true });
      rmSync(home, { recursive: true, force: true });
    },
  };
}
