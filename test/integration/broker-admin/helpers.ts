/**
 * `mqctl start` (standalone namesrv + broker) as a child process, and the few wire calls the admin tests need
 * besides the admin codes themselves (send, commit offset, heartbeat).
 */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RemotingClient } from '../../../src/remoting/client.js';
import { RemotingCommand } from '../../../src/remoting/command.js';
import { messageProperties2String } from '../../../src/common/properties.js';
import { createUniqId } from '../../../src/common/msgid.js';
import { encodeHeartbeatData } from '../../../src/protocol/heartbeat.js';
import { ensureBuilt as ensureBuiltIn, freePort, spawnUntilReady } from '../../helpers/index.js';

export { freePort } from '../../helpers/index.js';

export const ROOT = new URL('../../../', import.meta.url).pathname;

/** Compiles the tree when dist is older than the sources the standalone runs. */
export function ensureBuilt(): void {
  ensureBuiltIn(['dist/broker/processors/admin/index.js']);
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
  let out = '';
  let err = '';
  const { proc: child, ready } = await spawnUntilReady({
    what: 'standalone',
    args: [
      path.join(ROOT, 'bin/mqctl.js'), 'start', '--namesrv-port', String(nsPort), '--port', String(brokerPort),
      '--store-dir', path.join(dir, 'store'), '--host', '127.0.0.1',
    ],
    env: { MQCTL_HOME: dir, NO_COLOR: '1' },
    parse: () => /standalone ready: namesrv (\S+), broker (\S+)/.exec(out) ?? undefined,
    sink: (d, stream) => {
      if (stream === 'stdout') out += d;
      else err += d;
    },
    output: () => `${out}\n${err}`,
    timeoutMs: 30_000,
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
