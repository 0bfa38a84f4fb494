// Runs our standalone broker as a child process (dist/ build) with chosen broker.conf keys, on ports picked
// free by the test so that a restart keeps the same addresses.
import { type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, freePort, spawnUntilReady, stopChild } from '../../helpers/index.js';

export { ROOT, freePort, uniqueName, waitFor } from '../../helpers/index.js';

const RUNNER = join(ROOT, 'test', 'integration', 'messaging', 'broker-runner.mjs');

export interface ItBroker {
  namesrv: string;
  broker: string;
  storeDir: string;
  output(): string;
  /** SIGTERM and wait (graceful: offsets, delay progress persisted). */
  stop(): Promise<void>;
  /** Stop, then start again on the same ports and store. */
  restart(): Promise<void>;
  /** Stop and delete the store. */
  destroy(): Promise<void>;
}

export async function startItBroker(brokerConfig: Record<string, string | number | boolean>): Promise<ItBroker> {
  if (!existsSync(join(ROOT, 'dist', 'standalone.js'))) throw new Error('dist/ missing: run `npm run build` first');
  const storeDir = mkdtempSync(join(tmpdir(), 'mqctl-msg-it-'));
  const namesrvPort = await freePort();
  const port = await freePort();
  let proc: ChildProcess | undefined;
  let out = '';
  const launch = async (): Promise<{ namesrv: string; broker: string }> => {
    const started = await spawnUntilReady({
      what: 'broker',
      args: [RUNNER],
      env: { MQCTL_IT_CONFIG: JSON.stringify({ namesrvPort, port, storeDir, brokerConfig }) },
      // after a restart only the newest ready line counts
      parse: (o) => {
        const m = /it-ready (\S+) (\S+)/.exec(o.slice(o.lastIndexOf('it-ready')));
        return m ? { namesrv: m[1], broker: m[2] } : undefined;
      },
      sink: (d) => (out += d),
      output: () => out,
      timeoutMs: 30_000,
    });
    proc = started.proc;
    return started.ready;
  };
  const stop = (): Promise<void> => stopChild(proc, 15_000);
  const addrs = await launch();
  return {
    ...addrs,
    storeDir,
    output: () => out,
    stop,
    async restart() {
      await stop();
      out += '\n--- restart ---\n';
      await launch();
    },
    async destroy() {
      await stop();
      rmSync(storeDir, { recursive: true, force: true });
    },
  };
}

/** Delay table for the tests: level 1 = 1 s, level 2 = 5 s (Apache's), levels 3..18 = 1 s so 16 retries are quick. */
export const TEST_DELAY_LEVELS = ['1s', '5s', ...Array.from({ length: 16 }, () => '1s')].join(' ');
