/**
 * `mqctl start` (standalone namesrv + broker) as a child process, and the few wire calls the admin tests need
 * besides the admin codes themselves (send, commit offset, heartbeat).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { RemotingClient } from '../../../src/remoting/client.js';
import { RemotingCommand } from '../../../src/remoting/command.js';
import { messageProperties2String } from '../../../src/common/properties.js';
import { createUniqId } from '../../../src/common/msgid.js';
import { encodeHeartbeatData } from '../../../src/protocol/heartbeat.js';

export const ROOT = new URL('../../../', import.meta.url).pathname;

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

/** Compiles the tree when dist is older than the sources the standalone runs. */
export function ensureBuilt(): void {
  const out = path.join(ROOT, 'dist/broker/processors/admin/index.js');
  const srcNewest = newestMtime(path.join(ROOT, 'src'));
  if (fs.existsSync(out) && fs.statSync(out).mtimeMs >= srcNewest) return;
  try {
    execFileSync(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', path.join(ROOT, 'tsconfig.json')], { stdio: 'pipe' });
  } catch {
    // type errors elsewhere in the tree do not stop emit; the existence check decides
  }
  if (!fs.existsSync(out)) throw new Error('build failed: dist/broker/processors/admin/index.js missing');
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export interface Standalone {
  child: ChildProcess;
  namesrvAddr: string;
  brokerAddr: string;
  dir: string;
  stderr(): string;
  stop(): Promise<number | null>;
}

export async function startStandaloneChild(): Promise<Standalone> {
  ensureBuilt();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mqctl-admin-it-'));
  const nsPort = await freePort();
  const brokerPort = await freePort();
  const child = spawn(process.execPath, [
    path.join(ROOT, 'bin/mqctl.js'), 'start', '--namesrv-port', String(nsPort), '--port', String(brokerPort),
    '--store-dir', path.join(dir, 'store'), '--host', '127.0.0.1',
  ], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, MQCTL_HOME: dir, NO_COLOR: '1' } });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const ready = await new Promise<RegExpExecArray>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`standalone did not start: ${out}\n${err}`)), 30_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /standalone ready: namesrv (\S+), broker (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`standalone exited with ${code}: ${err}`));
    });
  });
  return {
    child,
    namesrvAddr: ready[1].replace(/,$/, ''),
    brokerAddr: ready[2].replace(/,$/, ''),
    dir,
    stderr: () => err,
    stop: async () => {
      let code: number | null = child.exitCode;
      if (code === null) {
        const exited = new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
        child.kill('SIGTERM');
        code = await exited;
      }
      fs.rmSync(dir, { recursive: true, force: true });
      return code;
    },
  };
}

export interface Sent {
  msgId: string;
  queueId: number;
  queueOffset: number;
}

/** SEND_MESSAGE_V2 with short header names (a..m), as the Java producer sends it. */
export async function send(client: RemotingClient, addr: string, topic: string, queueId: number, body: string,
  props: Record<string, string> = {}): Promise<Sent> {
  const properties = { UNIQ_KEY: createUniqId(), WAIT: 'true', ...props };
  const req = RemotingCommand.createRequest(
    310,
    { a: 'admin_it_producer', b: topic, c: 'TBW102', d: 4, e: queueId, f: 0, g: Date.now(), h: 0, i: messageProperties2String(properties), j: 0, k: false, m: false },
    Buffer.from(body),
  );
  const resp = await client.invoke(addr, req, 5000);
  if (resp.code !== 0) throw new Error(`send failed: ${resp.code} ${resp.remark}`);
  return { msgId: resp.field('msgId')!, queueId: Number(resp.field('queueId')), queueOffset: Number(resp.field('queueOffset')) };
}

export async function commitOffset(client: RemotingClient, addr: string, group: string, topic: string, queueId: number, offset: number): Promise<void> {
  const resp = await client.invoke(addr, RemotingCommand.createRequest(15, { consumerGroup: group, topic, queueId, commitOffset: offset }), 5000);
  if (resp.code !== 0) throw new Error(`commit failed: ${resp.code} ${resp.remark}`);
}

export async function heartbeat(client: RemotingClient, addr: string, clientId: string, group: string, topics: string[]): Promise<void> {
  const body = encodeHeartbeatData({
    clientID: clientId,
    producerDataSet: [],
    consumerDataSet: [{
      groupName: group,
      consumeType: 'CONSUME_PASSIVELY',
      messageModel: 'CLUSTERING',
      consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
      unitMode: false,
      subscriptionDataSet: topics.map((t) => ({ topic: t, subString: '*', tagsSet: [], codeSet: [], subVersion: Date.now(), expressionType: 'TAG', classFilterMode: false })),
    }],
  });
  const resp = await client.invoke(addr, RemotingCommand.createRequest(34, undefined, body), 5000);
  if (resp.code !== 0) throw new Error(`heartbeat failed: ${resp.code} ${resp.remark}`);
}
