// mqctl's admin commands against a live standalone holding real data: topics, keyed messages, a group with
// lag, an online (fake) consumer, a dead letter. Each command runs as a child process with --json.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RemotingClient } from '../../../src/remoting/client.js';
import { RemotingCommand } from '../../../src/remoting/command.js';
import { FakeConsumer, commitOffset, createGroup, sendMessage, type Sent } from './fixtures.js';
import { Standalone, freePort, mqctl, mqctlJson } from './cluster.js';

const TOPIC = 'CliTopic';
const LAG_GROUP = 'cli_lag_group';
const ONLINE_GROUP = 'cli_online_group';
const DLQ = `%DLQ%${LAG_GROUP}`;

const sa = new Standalone();
const client = new RemotingClient();
let fake: FakeConsumer;
const sent: Sent[] = [];
let n: string[];

beforeAll(async () => {
  await sa.start();
  n = ['-n', sa.namesrv];
  const created = await mqctlJson<{ topic: { topicName: string; readQueueNums: number }; brokers: string[] }>([...n, 'topic', 'create', '-t', TOPIC, '-c', 'DefaultCluster', '-r', '4', '-w', '4']);
  expect(created.topic.readQueueNums).toBe(4);
  expect(created.brokers).toEqual([sa.broker]);
  for (let i = 0; i < 8; i++) sent.push(await sendMessage(client, sa.broker, { topic: TOPIC, queueId: i % 4, body: `body-${i}`, key: i % 2 ? 'odd' : 'even', tags: 'TagA' }));
  await createGroup(client, sa.broker, LAG_GROUP);
  // consumed 1 of 2 on queue 0, nothing elsewhere: lag 7
  await commitOffset(client, sa.broker, LAG_GROUP, TOPIC, 0, 1);
  // a dead letter: the group's DLQ topic holding one message
  const dlq = await client.invoke(
    sa.broker,
    RemotingCommand.createRequest(17, { topic: DLQ, defaultTopic: 'TBW102', readQueueNums: 1, writeQueueNums: 1, perm: 6, topicFilterType: 'SINGLE_TAG', topicSysFlag: 0, order: false }),
    5000,
  );
  expect(dlq.code).toBe(0);
  sent.push(await sendMessage(client, sa.broker, { topic: DLQ, queueId: 0, body: 'dead', key: 'dead-key' }));
  fake = new FakeConsumer(sa.broker, ONLINE_GROUP, TOPIC);
  await fake.heartbeat();
}, 90_000);

afterAll(async () => {
  fake?.close();
  client.close();
  await sa.stop();
});

describe('topic', () => {
  it('list shows the created topic and the DLQ', async () => {
    const list = await mqctlJson<string[]>([...n, 'topic', 'list']);
    expect(list).toContain(TOPIC);
    expect(list).toContain(DLQ);
    const byCluster = await mqctlJson<string[]>([...n, 'topic', 'list', '-c', 'DefaultCluster']);
    expect(byCluster).toContain(TOPIC);
  });

  it('status gives per-queue offsets of the real data', async () => {
    const s = await mqctlJson<{ queues: Array<{ queueId: number; minOffset: number; maxOffset: number; lastUpdateTimestamp: number }>; totalMessages: number }>([...n, 'topic', 'status', '-t', TOPIC]);
    expect(s.queues.map((q) => q.queueId)).toEqual([0, 1, 2, 3]);
    expect(s.queues.every((q) => q.maxOffset === 2 && q.minOffset === 0 && q.lastUpdateTimestamp > 0)).toBe(true);
    expect(s.totalMessages).toBe(8);
  });

  it('route and clusters', async () => {
    const r = await mqctlJson<{ brokerDatas: Array<{ brokerName: string; brokerAddrs: Record<string, string> }>; queueDatas: Array<{ writeQueueNums: number }> }>([...n, 'topic', 'route', '-t', TOPIC]);
    expect(r.brokerDatas[0].brokerAddrs['0']).toBe(sa.broker);
    expect(r.queueDatas[0].writeQueueNums).toBe(4);
    expect(await mqctlJson([...n, 'topic', 'clusters', '-t', TOPIC])).toEqual(['DefaultCluster']);
  });

  it('update keeps unset values; delete removes the topic (exit 4 afterwards)', async () => {
    await mqctlJson([...n, 'topic', 'create', '-t', 'CliTmp', '-b', sa.broker, '-r', '2', '-w', '2']);
    const u = await mqctlJson<{ topic: { readQueueNums: number; writeQueueNums: number; perm: number } }>([...n, 'topic', 'update', '-t', 'CliTmp', '-b', sa.broker, '-p', '4']);
    expect(u.topic).toMatchObject({ readQueueNums: 2, writeQueueNums: 2, perm: 4 });
    const noYes = await mqctl([...n, 'topic', 'delete', '-t', 'CliTmp']);
    expect(noYes.code).toBe(2);
    const d = await mqctlJson<{ deleted: boolean }>([...n, 'topic', 'delete', '-t', 'CliTmp', '--yes']);
    expect(d.deleted).toBe(true);
    const gone = await mqctl([...n, 'topic', 'route', '-t', 'CliTmp']);
    expect(gone.code).toBe(4);
    expect(gone.stderr).toMatch(/TOPIC_NOT_EXIST\(17\)/);
  });
});

describe('cluster and broker', () => {
  it('cluster list shows the broker with its version', async () => {
    const rows = await mqctlJson<Array<{ cluster: string; brokerName: string; brokerId: number; addr: string; version: string; inTotalToday?: number }>>([...n, 'cluster', 'list', '--more']);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ cluster: 'DefaultCluster', brokerId: 0, addr: sa.broker });
    expect(rows[0].version).toMatch(/^V\d_\d_\d/);
    expect(rows[0].inTotalToday).toBeGreaterThanOrEqual(9);
  });

  it('broker status, config get/set', async () => {
    const st = await mqctlJson<Record<string, string>>([...n, 'broker', 'status', '-b', sa.broker]);
    expect(Number(st.commitLogMaxOffset)).toBeGreaterThan(0);
    const before = await mqctlJson<Record<string, string>>([...n, 'broker', 'config', 'get', '-b', 'broker-a', 'maxMessageSize']);
    expect(Object.keys(before)).toEqual(['maxMessageSize']);
    await mqctlJson([...n, 'broker', 'config', 'set', '-b', sa.broker, 'maxMessageSize=4194000']);
    const after = await mqctlJson<Record<string, string>>([...n, 'broker', 'config', 'get', '-b', sa.broker, 'maxMessageSize']);
    expect(after.maxMessageSize).toBe('4194000');
  });

  it('wipe-write then add-write changes the route permission', async () => {
    const w = await mqctlJson<{ topicCounts: Record<string, number> }>([...n, 'broker', 'wipe-write', '-b', 'broker-a', '--yes']);
    expect(w.topicCounts[sa.namesrv]).toBeGreaterThan(0);
    const r1 = await mqctlJson<{ queueDatas: Array<{ perm: number }> }>([...n, 'topic', 'route', '-t', TOPIC]);
    expect(r1.queueDatas[0].perm & 2).toBe(0);
    await mqctlJson([...n, 'broker', 'add-write', '-b', 'broker-a']);
    const r2 = await mqctlJson<{ queueDatas: Array<{ perm: number }> }>([...n, 'topic', 'route', '-t', TOPIC]);
    expect(r2.queueDatas[0].perm & 2).toBe(2);
  });

  it('clean-expired-cq answers per broker', async () => {
    const r = await mqctlJson<Record<string, boolean>>([...n, 'broker', 'clean-expired-cq', '-b', sa.broker]);
    expect(r[sa.broker]).toBe(true);
  });
});

describe('namesrv and kv', () => {
  it('namesrv config get shows the listen port', async () => {
    const cfg = await mqctlJson<Record<string, Record<string, string>>>([...n, 'namesrv', 'config', 'get']);
    expect(Object.keys(cfg)).toEqual([sa.namesrv]);
    expect(Object.keys(cfg[sa.namesrv]).length).toBeGreaterThan(3);
  });

  it('kv put/get/delete; a missing key is exit 4', async () => {
    await mqctlJson([...n, 'kv', 'put', '-s', 'CLI_NS', '-k', 'k1', '-v', 'v1']);
    expect(await mqctlJson([...n, 'kv', 'get', '-s', 'CLI_NS', '-k', 'k1'])).toEqual({ namespace: 'CLI_NS', key: 'k1', value: 'v1' });
    expect(await mqctlJson([...n, 'kv', 'get', '-s', 'CLI_NS'])).toEqual({ k1: 'v1' });
    await mqctlJson([...n, 'kv', 'delete', '-s', 'CLI_NS', '-k', 'k1']);
    const r = await mqctl([...n, 'kv', 'get', '-s', 'CLI_NS', '-k', 'k1', '--json']);
    expect(r.code).toBe(4);
  });
});

describe('groups and consumers', () => {
  it('group create/list/update/delete', async () => {
    const c = await mqctlJson<{ group: { groupName: string; retryMaxTimes: number } }>([...n, 'group', 'create', '-g', 'cli_tmp_group', '-c', 'DefaultCluster', '--retry-max', '3']);
    expect(c.group.retryMaxTimes).toBe(3);
    const list = await mqctlJson<Array<{ groupName: string; retryMaxTimes: number; brokers: string[] }>>([...n, 'group', 'list']);
    expect(list.find((g) => g.groupName === 'cli_tmp_group')).toMatchObject({ retryMaxTimes: 3, brokers: ['broker-a'] });
    const u = await mqctlJson<{ group: { retryMaxTimes: number; consumeEnable: boolean } }>([...n, 'group', 'update', '-g', 'cli_tmp_group', '-b', sa.broker, '--consume-enable', 'false']);
    expect(u.group).toMatchObject({ retryMaxTimes: 3, consumeEnable: false });
    await mqctlJson([...n, 'group', 'delete', '-g', 'cli_tmp_group', '-c', 'DefaultCluster', '--yes']);
    const after = await mqctlJson<Array<{ groupName: string }>>([...n, 'group', 'list']);
    expect(after.some((g) => g.groupName === 'cli_tmp_group')).toBe(false);
  });

  it('consumer progress shows the lag per queue', async () => {
    const p = await mqctlJson<{ group: string; totalLag: number; queues: Array<{ topic: string; queueId: number; brokerOffset: number; consumerOffset: number; lag: number }> }>([
      ...n, 'consumer', 'progress', '-g', LAG_GROUP, '-t', TOPIC,
    ]);
    expect(p.totalLag).toBe(7);
    expect(p.queues.find((q) => q.queueId === 0)).toMatchObject({ brokerOffset: 2, consumerOffset: 1, lag: 1 });
    expect(p.queues.filter((q) => q.topic === TOPIC)).toHaveLength(4);
  });

  it('consumer progress --watch emits one JSON line per redraw', async () => {
    const r = await mqctl([...n, 'consumer', 'progress', '-g', LAG_GROUP, '-t', TOPIC, '--watch', '--count', '2', '--interval', '1', '--json']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { totalLag: number; time: number });
    expect(lines).toHaveLength(2);
    expect(lines.every((l) => l.totalLag === 7 && l.time > 0)).toBe(true);
  });

  it('consumer connection and status of an online group; an offline group is exit 4', async () => {
    const c = await mqctlJson<{ messageModel: string; connections: Array<{ clientId: string }>; subscriptions: Array<{ topic: string }> }>([...n, 'consumer', 'connection', '-g', ONLINE_GROUP]);
    expect(c.messageModel).toBe('CLUSTERING');
    expect(c.connections.map((x) => x.clientId)).toEqual([fake.clientId]);
    expect(c.subscriptions.map((s) => s.topic)).toContain(TOPIC);
    const s = await mqctlJson<{ clients: Array<{ clientId: string; runningInfo: { properties: Record<string, string> } }> }>([...n, 'consumer', 'status', '-g', ONLINE_GROUP]);
    expect(s.clients[0].runningInfo.properties.PROP_CONSUME_TYPE).toBe('CONSUME_PASSIVELY');
    const off = await mqctl([...n, 'consumer', 'connection', '-g', LAG_GROUP]);
    expect(off.code).toBe(4);
  });

  it('producer connection of an unknown group is exit 4', async () => {
    const r = await mqctl([...n, 'producer', 'connection', '-g', 'no_such_producer', '-t', TOPIC]);
    expect(r.code).toBe(4);
  });
});

describe('messages', () => {
  it('get by offset msgId and by unique key', async () => {
    const m = await mqctlJson<{ msgId: string; body: string; keys: string; queueId: number; queueOffset: number }>([...n, 'msg', 'get', sent[3].msgId]);
    expect(m).toMatchObject({ msgId: sent[3].msgId, body: 'body-3', keys: 'odd', queueId: 3, queueOffset: 0 });
    const u = await mqctlJson<{ msgId: string; uniqKey: string }>([...n, 'msg', 'get', sent[5].uniqKey, '-t', TOPIC]);
    expect(u).toMatchObject({ msgId: sent[5].msgId, uniqKey: sent[5].uniqKey });
  });

  it('query-by-key returns exactly the keyed messages', async () => {
    const list = await mqctlJson<Array<{ msgId: string; keys: string }>>([...n, 'msg', 'query-by-key', '-t', TOPIC, '-k', 'odd']);
    expect(list.map((m) => m.msgId).sort()).toEqual(sent.filter((s) => s.key === 'odd').map((s) => s.msgId).sort());
    const none = await mqctl([...n, 'msg', 'query-by-key', '-t', TOPIC, '-k', 'no-such-key', '--json']);
    expect(none.code).toBe(4);
  });

  it('query-by-offset and print', async () => {
    const m = await mqctlJson<{ body: string; queueOffset: number }>([...n, 'msg', 'query-by-offset', '-t', TOPIC, '-b', 'broker-a', '-q', '2', '-o', '1']);
    expect(m).toMatchObject({ body: 'body-6', queueOffset: 1 });
    const q0 = await mqctlJson<Array<{ body: string }>>([...n, 'msg', 'print', '-t', TOPIC, '-q', '0']);
    expect(q0.map((x) => x.body)).toEqual(['body-0', 'body-4']);
    const dead = await mqctlJson<Array<{ body: string; keys: string }>>([...n, 'msg', 'print', '-t', DLQ]);
    expect(dead).toEqual([expect.objectContaining({ body: 'dead', keys: 'dead-key' })]);
    const missing = await mqctl([...n, 'msg', 'query-by-offset', '-t', TOPIC, '-b', 'broker-a', '-q', '2', '-o', '9']);
    expect(missing.code).toBe(4);
  });

  it('resend hands the message to the online client', async () => {
    const r = await mqctlJson<{ consumeResult: string; clientId: string }>([...n, 'msg', 'resend', sent[1].msgId, '-g', ONLINE_GROUP]);
    expect(r).toMatchObject({ consumeResult: 'CR_SUCCESS', clientId: fake.clientId });
    expect(fake.directlyConsumed).toContain(sent[1].msgId);
  });
});

describe('offset reset', () => {
  it('--dry-run shows old and new offsets and changes nothing; the reset then applies', async () => {
    const plan = await mqctlJson<{ dryRun: boolean; queues: Array<{ queueId: number; oldOffset: number; newOffset: number }> }>([
      ...n, 'offset', 'reset', '-g', LAG_GROUP, '-t', TOPIC, '--to', 'latest', '--dry-run',
    ]);
    expect(plan.dryRun).toBe(true);
    expect(plan.queues.find((q) => q.queueId === 0)).toMatchObject({ oldOffset: 1, newOffset: 2 });
    const still = await mqctlJson<{ totalLag: number }>([...n, 'consumer', 'progress', '-g', LAG_GROUP, '-t', TOPIC]);
    expect(still.totalLag).toBe(7);

    await mqctlJson([...n, 'offset', 'reset', '-g', LAG_GROUP, '-t', TOPIC, '--to', 'latest', '--yes']);
    expect((await mqctlJson<{ totalLag: number }>([...n, 'consumer', 'progress', '-g', LAG_GROUP, '-t', TOPIC])).totalLag).toBe(0);
    await mqctlJson([...n, 'offset', 'reset', '-g', LAG_GROUP, '-t', TOPIC, '--to', 'earliest', '--yes']);
    expect((await mqctlJson<{ totalLag: number }>([...n, 'consumer', 'progress', '-g', LAG_GROUP, '-t', TOPIC])).totalLag).toBe(8);
    // back to a one-message lag on queue 0 for the other tests
    await commitOffset(client, sa.broker, LAG_GROUP, TOPIC, 0, 1);
    for (const q of [1, 2, 3]) await commitOffset(client, sa.broker, LAG_GROUP, TOPIC, q, 0);
  });
});

describe('mqadmin-compatible mode', () => {
  it('topicStatus prints mqadmin columns', async () => {
    const r = await mqctl([...n, 'admin', 'topicStatus', '-t', TOPIC]);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('#Broker Name                      #QID  #Min Offset           #Max Offset             #Last Updated');
    expect(lines[1]).toMatch(/^broker-a {26}0 {5}0 {21}2 {23}\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}$/);
    expect(r.stdout).toContain('\nTopic Put TPS: ');
  });

  it('consumerProgress and queryMsgByKey print mqadmin columns', async () => {
    const p = await mqctl([...n, 'admin', 'consumerProgress', '-g', LAG_GROUP, '-t', TOPIC]);
    expect(p.stdout.split('\n')[0]).toBe(
      '#Topic                                                            #Broker Name                      #QID  #Broker Offset        #Consumer Offset      #Diff                #Inflight           #LastTime',
    );
    expect(p.stdout).toContain('Consume Diff Total: 7\n');
    const k = await mqctl([...n, 'admin', 'queryMsgByKey', '-t', TOPIC, '-k', 'even']);
    const rows = k.stdout.trim().split('\n');
    expect(rows[0]).toBe('#Message ID                                        #QID                                  #Offset');
    expect(rows).toHaveLength(5);
    expect(rows[1]).toMatch(/^[0-9A-F]{32} {22}[02] {40}[01]$/);
  });

  it('topicList, clusterList, updateTopic/deleteTopic, kv', async () => {
    const t = await mqctl([...n, 'admin', 'topicList']);
    expect(t.stdout.split('\n')).toContain(TOPIC);
    const c = await mqctl([...n, 'admin', 'clusterList']);
    // header captured from Apache mqadmin 5.3.3 clusterList
    expect(c.stdout.split('\n')[0]).toBe('#Cluster Name           #Broker Name            #BID  #Addr                  #Version              #InTPS(LOAD)                   #OutTPS(LOAD)  #Timer(Progress)        #PCWait(ms)  #Hour         #SPACE    #ACTIVATED');
    expect(c.stdout.split('\n')[1]).toContain(sa.broker);
    const u = await mqctl([...n, 'admin', 'updateTopic', '-t', 'CliCompat', '-c', 'DefaultCluster']);
    expect(u.stdout).toBe(`create topic to ${sa.broker} success.\nTopicConfig [topicName=CliCompat, readQueueNums=8, writeQueueNums=8, perm=RW-, topicFilterType=SINGLE_TAG, topicSysFlag=0, order=false, attributes={}]\n`);
    const d = await mqctl([...n, 'admin', 'deleteTopic', '-t', 'CliCompat', '-c', 'DefaultCluster']);
    expect(d.stdout).toBe('delete topic [CliCompat] from cluster [DefaultCluster] success.\ndelete topic [CliCompat] from NameServer success.\n');
    const kv = await mqctl([...n, 'admin', 'updateKvConfig', '-s', 'NS2', '-k', 'a', '-v', 'b']);
    expect(kv.stdout).toBe('create or update kv config to namespace success.\n');
  });

  it('failures keep mqctl exit codes (mqadmin would exit 0)', async () => {
    const missing = await mqctl([...n, 'admin', 'topicStatus', '-t', 'NoSuchTopic']);
    expect(missing.code).toBe(4);
    const usage = await mqctl([...n, 'admin', 'topicStatus']);
    expect(usage.code).toBe(2);
    expect(usage.stderr.trim().split('\n')).toHaveLength(1);
    const unknown = await mqctl([...n, 'admin', 'noSuchCommand']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('The sub command noSuchCommand not exist.');
  });
});

describe('exit codes and CI helpers', () => {
  it('usage errors exit 2 with one line on stderr', async () => {
    for (const args of [
      ['topic', 'status'],
      ['topic', 'create', '-t', 'X'],
      ['offset', 'reset', '-g', 'g', '-t', 't'],
      ['msg', 'print', '-t', TOPIC, '-q', 'abc'],
      ['topic', 'status', '-t', 'bad topic!'],
    ]) {
      const r = await mqctl([...n, ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
    }
  });

  it('an unreachable name server exits 3 with one line', async () => {
    const port = await freePort();
    const r = await mqctl(['-n', `127.0.0.1:${port}`, 'topic', 'list', '--json']);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    const w = await mqctl(['-n', `127.0.0.1:${port}`, 'wait-ready', '--timeout', '1']);
    expect(w.code).toBe(3);
  });

  it('wait-ready waits for brokers and a topic', async () => {
    const ok = await mqctlJson<{ ready: boolean; brokers: string[]; topicRoute: boolean }>([...n, 'wait-ready', '--brokers', '1', '--topic', TOPIC, '--timeout', '10']);
    expect(ok).toMatchObject({ ready: true, brokers: [sa.broker], topicRoute: true });
    const two = await mqctl([...n, 'wait-ready', '--brokers', '2', '--timeout', '1']);
    expect(two.code).toBe(1);
    expect(two.stderr).toContain('1 of 2 broker(s) answered');
  });

  it('NAMESRV_ADDR and named contexts choose the name server', async () => {
    const env = { NAMESRV_ADDR: sa.namesrv };
    expect(await mqctlJson<string[]>(['topic', 'clusters', '-t', TOPIC], env)).toEqual(['DefaultCluster']);
    const home = `${sa.dir}/ctx-home`;
    const e = { MQCTL_HOME: home, NAMESRV_ADDR: undefined };
    await mqctlJson(['context', 'add', 'local', '-s', sa.namesrv], e);
    await mqctlJson(['context', 'add', 'dead', '-s', `127.0.0.1:${await freePort()}`], e);
    expect(await mqctlJson<string[]>(['topic', 'clusters', '-t', TOPIC], e)).toEqual(['DefaultCluster']);
    await mqctlJson(['context', 'use', 'dead'], e);
    expect((await mqctl(['topic', 'list'], e)).code).toBe(3);
    expect(await mqctlJson<string[]>(['--context', 'local', 'topic', 'clusters', '-t', TOPIC], e)).toEqual(['DefaultCluster']);
    const list = await mqctlJson<Array<{ name: string; current: boolean }>>(['context', 'list'], e);
    expect(list).toEqual([expect.objectContaining({ name: 'local', current: false }), expect.objectContaining({ name: 'dead', current: true })]);
    expect((await mqctl(['context', 'use', 'nope'], e)).code).toBe(4);
  });
});
