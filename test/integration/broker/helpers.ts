// Child-process helpers for the broker integration tests: run `node bin/mqctl.js ...` on free loopback ports,
// wait for its ready line, talk to it with our RemotingClient.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { RemotingClient } from '../../../src/remoting/client.js';
import { RemotingCommand } from '../../../src/remoting/command.js';
import { RequestCode } from '../../../src/protocol/codes.js';
import { messageProperties2String } from '../../../src/common/properties.js';
import { BIN, ROOT } from '../../helpers/index.js';


export interface Proc {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or signal name). */
  exited: Promise<number | string>;
}

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export function mqctl(args: string[], env: Record<string, string> = {}): Proc {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, NAMESRV_ADDR: '', MQCTL_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, sig) => resolve(code ?? sig ?? -1)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** Wait until stdout matches `re`; fails with the process output when it exits or times out first. */
export async function waitFor(p: Proc, re: RegExp, timeoutMs = 20000): Promise<RegExpExecArray> {
  const deadline = Date.now() + timeoutMs;
  let exitCode: number | string | undefined;
  void p.exited.then((c) => (exitCode = c));
  while (Date.now() < deadline) {
    const m = re.exec(p.stdout());
    if (m) return m;
    if (exitCode !== undefined) break;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`no ${re} from mqctl (exit ${exitCode}):\nstdout: ${p.stdout()}\nstderr: ${p.stderr().slice(-2000)}`);
}

export interface Standalone {
  proc: Proc;
  namesrv: string;
  broker: string;
}

export async function startStandaloneChild(storeDir: string, env: Record<string, string> = {}): Promise<Standalone> {
  const proc = mqctl(['start', '--namesrv-port', '0', '--port', '0', '--store-dir', storeDir], env);
  const m = await waitFor(proc, /standalone ready: namesrv (\S+), broker (\S+)/);
  return { proc, namesrv: m[1], broker: m[2] };
}

export async function stop(p: Proc, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | string> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return p.exited;
  p.child.kill(signal);
  return p.exited;
}

export interface SendArgs {
  topic: string;
  queueId: number;
  body: Buffer | string;
  tags?: string;
  keys?: string;
  props?: Record<string, string>;
  group?: string;
  flag?: number;
}

/** A SEND_MESSAGE_V2 request as the Java producer builds it. */
export function sendRequest(a: SendArgs): RemotingCommand {
  const props: Record<string, string> = { ...(a.props ?? {}) };
  if (a.tags) props.TAGS = a.tags;
  if (a.keys) props.KEYS = a.keys;
  props.WAIT = 'true';
  return RemotingCommand.createRequest(
    RequestCode.SEND_MESSAGE_V2,
    {
      a: a.group ?? 'PG_TEST',
      b: a.topic,
      c: 'TBW102',
      d: 8,
      e: a.queueId,
      f: 0,
      g: Date.now(),
      h: a.flag ?? 0,
      i: messageProperties2String(props),
      j: 0,
      k: false,
      m: false,
    },
    typeof a.body === 'string' ? Buffer.from(a.body) : a.body,
  );
}

export interface PullArgs {
  group: string;
  topic: string;
  queueId: number;
  offset: number;
  max?: number;
  suspendMs?: number;
  subscription?: string;
  commitOffset?: number;
}

export function pullRequest(a: PullArgs): RemotingCommand {
  const suspend = a.suspendMs !== undefined && a.suspendMs > 0;
  const sysFlag = 4 | (suspend ? 2 : 0) | (a.commitOffset !== undefined ? 1 : 0);
  return RemotingCommand.createRequest(RequestCode.PULL_MESSAGE, {
    consumerGroup: a.group,
    topic: a.topic,
    queueId: a.queueId,
    queueOffset: a.offset,
    maxMsgNums: a.max ?? 32,
    sysFlag,
    commitOffset: a.commitOffset ?? 0,
    suspendTimeoutMillis: a.suspendMs ?? 0,
    subscription: a.subscription ?? '*',
    subVersion: 0,
    expressionType: 'TAG',
  });
}

export function newClient(): RemotingClient {
  return new RemotingClient({ connectTimeoutMs: 3000 });
}
