// Durability across restarts of the `mqctl start` child: committed offsets and topic configs survive a clean
// stop (abort file removed), and after SIGKILL every acknowledged message can still be pulled.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeMessages } from '../../../src/common/record-codec.js';
import { RequestCode, ResponseCode } from '../../../src/protocol/codes.js';
import { RemotingCommand } from '../../../src/remoting/command.js';
import type { RemotingClient } from '../../../src/remoting/client.js';
import { newClient, pullRequest, removeDir, sendRequest, startStandaloneChild, stop, tempDir } from './helpers.js';

let dir: string;
let client: RemotingClient;

beforeAll(() => {
  dir = tempDir('mqctl-broker-restart-');
  client = newClient();
});

afterAll(() => {
  client?.close();
  removeDir(dir);
});

async function pullAll(broker: string, topic: string, queueId: number): Promise<string[]> {
  const out: string[] = [];
  let offset = 0;
  for (;;) {
    const res = await client.invoke(broker, pullRequest({ group: 'CG_READ', topic, queueId, offset }), 5000);
    if (res.code !== ResponseCode.SUCCESS) break;
    out.push(...decodeMessages(res.body!).map((m) => m.body.toString()));
    offset = Number(res.extFields?.nextBeginOffset);
  }
  return out;
}

function queryOffset(broker: string, group: string, topic: string, queueId: number): Promise<RemotingCommand> {
  return client.invoke(broker, RemotingCommand.createRequest(RequestCode.QUERY_CONSUMER_OFFSET, { consumerGroup: group, topic, queueId, setZeroIfNotFound: false }), 5000);
}

describe('broker restarts', () => {
  it('keeps committed offsets, topics and messages across a clean restart', async () => {
    const store = path.join(dir, 'clean');
    let mq = await startStandaloneChild(store);
    const topic = 'RestartTopic';
    for (let i = 0; i < 20; i++) {
      const r = await client.invoke(mq.broker, sendRequest({ topic, queueId: i % 4, body: `r${i}` }), 5000);
      expect(r.code).toBe(ResponseCode.SUCCESS);
    }
    // the commit-offset flag of a pull stores the consumer's offset too (and the pull creates the group)
    const pr = await client.invoke(mq.broker, pullRequest({ group: 'CG_R', topic, queueId: 1, offset: 2, commitOffset: 2 }), 5000);
    expect(pr.code).toBe(ResponseCode.SUCCESS);
    const upd = await client.invoke(mq.broker, RemotingCommand.createRequest(RequestCode.UPDATE_CONSUMER_OFFSET, { consumerGroup: 'CG_R', topic, queueId: 0, commitOffset: 3 }), 5000);
    expect(upd.code).toBe(ResponseCode.SUCCESS);
    expect((await queryOffset(mq.broker, 'CG_R', topic, 2)).code).toBe(ResponseCode.QUERY_NOT_FOUND);

    expect(await stop(mq.proc)).toBe(0);
    expect(existsSync(path.join(store, 'abort'))).toBe(false);
    const offsetsJson = readFileSync(path.join(store, 'config', 'consumerOffset.json'), 'utf8');
    expect(offsetsJson).toContain('"RestartTopic@CG_R":{0:3');
    expect(readFileSync(path.join(store, 'config', 'topics.json'), 'utf8')).toContain('"topicName":"RestartTopic"');

    mq = await startStandaloneChild(store);
    try {
      const q0 = await queryOffset(mq.broker, 'CG_R', topic, 0);
      expect(q0.code).toBe(ResponseCode.SUCCESS);
      expect(q0.extFields?.offset).toBe('3');
      const q1 = await queryOffset(mq.broker, 'CG_R', topic, 1);
      expect(q1.extFields?.offset).toBe('2');
      expect(await pullAll(mq.broker, topic, 0)).toEqual(['r0', 'r4', 'r8', 'r12', 'r16']);
      const all = await client.invoke(mq.broker, RemotingCommand.createRequest(RequestCode.GET_ALL_CONSUMER_OFFSET), 5000);
      expect(all.body!.toString()).toContain('"RestartTopic@CG_R":{0:3,1:2}');
    } finally {
      await stop(mq.proc);
    }
  });

  it('serves every acknowledged message after SIGKILL', async () => {
    const store = path.join(dir, 'killed');
    let mq = await startStandaloneChild(store);
    const topic = 'KillTopic';
    const acked = new Map<number, string[]>();
    let stopSending = false;
    let n = 0;
    const worker = async (): Promise<void> => {
      while (!stopSending) {
        const i = n++;
        const q = i % 4;
        try {
          const r = await client.invoke(mq.broker, sendRequest({ topic, queueId: q, body: `k${i}` }), 3000);
          if (r.code === ResponseCode.SUCCESS) {
            if (!acked.has(q)) acked.set(q, []);
            acked.get(q)!.push(`k${i}`);
          }
        } catch {
          return; // connection gone: the broker was killed
        }
      }
    };
    const workers = Array.from({ length: 16 }, worker);
    await new Promise((r) => setTimeout(r, 600));
    mq.proc.child.kill('SIGKILL');
    await mq.proc.exited;
    stopSending = true;
    await Promise.all(workers);
    const total = [...acked.values()].reduce((s, l) => s + l.length, 0);
    expect(total).toBeGreaterThan(100);
    expect(existsSync(path.join(store, 'abort'))).toBe(true);

    mq = await startStandaloneChild(store);
    try {
      for (const [q, bodies] of acked) {
        const got = await pullAll(mq.broker, topic, q);
        const have = new Set(got);
        const missing = bodies.filter((b) => !have.has(b));
        expect(missing, `queue ${q}: ${missing.length} acknowledged messages lost`).toEqual([]);
      }
    } finally {
      await stop(mq.proc);
    }
  });
});
