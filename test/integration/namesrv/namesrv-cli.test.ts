// Issue 2 "Must show": `mqctl start namesrv` as a child process, brokers registered through our remoting
// client, routes and cluster info, expiry of a silent broker, removal of a broker whose connection closes.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RemotingClient } from '../../../src/remoting/client.js';
import { ROOT, ensureBuilt, freePort, getClusterInfo, getRoute, registerBroker, topic, waitFor } from './helpers.js';

let child: ChildProcess | undefined;
let namesrv = '';
let tmp = '';
let stderr = '';
const clients: RemotingClient[] = [];

function client(): RemotingClient {
  const c = new RemotingClient({ connectTimeoutMs: 3000 });
  clients.push(c);
  return c;
}

beforeAll(async () => {
  ensureBuilt();
  tmp = mkdtempSync(join(tmpdir(), 'mqctl-namesrv-'));
  const conf = join(tmp, 'namesrv.conf');
  writeFileSync(conf, `# test config\nkvConfigPath=${join(tmp, 'kvConfig.json')}\nconfigStorePath=${join(tmp, 'namesrv.properties')}\nbrokerExpiredMillis=3000\n`);
  const port = await freePort();
  child = spawn(process.execPath, [join(ROOT, 'bin/mqctl.js'), 'start', 'namesrv', '--port', String(port), '--listen', '127.0.0.1', '--config', conf, '--scan-interval-ms', '200'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, MQCTL_HOME: tmp },
  });
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`namesrv did not start: ${stderr}`)), 20_000);
    child!.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /namesrv listening on (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child!.once('exit', (code) => reject(new Error(`namesrv exited with ${code}: ${stderr}`)));
  });
  expect(line).toBe(`127.0.0.1:${port}`);
  namesrv = line;
}, 180_000);

afterAll(async () => {
  for (const c of clients) c.close();
  if (child && child.exitCode === null) {
    const exited = new Promise<number | null>((r) => child!.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    const code = await exited;
    // a clean shutdown on SIGTERM exits 0
    expect(code).toBe(0);
  }
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('mqctl start namesrv (child process)', () => {
  it('serves routes and cluster info for a master+slave pair and a second broker name; expires and drops brokers', async () => {
    const masterA = client();
    const slaveA = client();
    const brokerB = client();
    const A0 = '10.1.0.1:10911';
    const A1 = '10.1.0.2:10911';
    const B0 = '10.2.0.1:10911';
    const topicsA = [topic('TopicShared', 4, 4, 6), topic('TopicA', 2, 2, 6)];
    const topicsB = [topic('TopicShared', 8, 6, 4), topic('TopicB', 3, 3, 6)];

    const rA0 = await registerBroker(masterA, namesrv, { cluster: 'ClusterX', brokerName: 'broker-a', brokerId: 0, brokerAddr: A0, haServerAddr: '10.1.0.1:10912', topics: topicsA });
    expect(rA0.code).toBe(0);
    expect(rA0.masterAddr).toBeUndefined();
    // a slave registers the same topics; it learns its master's addresses
    const rA1 = await registerBroker(slaveA, namesrv, { cluster: 'ClusterX', brokerName: 'broker-a', brokerId: 1, brokerAddr: A1, topics: [topic('TopicShared', 1, 1, 4)] });
    expect(rA1.code).toBe(0);
    expect(rA1.masterAddr).toBe(A0);
    expect(rA1.haServerAddr).toBe('10.1.0.1:10912');
    const rB = await registerBroker(brokerB, namesrv, { cluster: 'ClusterX', brokerName: 'broker-b', brokerId: 0, brokerAddr: B0, topics: topicsB });
    expect(rB.code).toBe(0);

    const q = client();
    const route = await getRoute(q, namesrv, 'TopicShared');
    expect(route.code).toBe(0);
    const rd = route.route!;
    const bd = Object.fromEntries(rd.brokerDatas.map((b) => [b.brokerName, b]));
    expect(Object.keys(bd).sort()).toEqual(['broker-a', 'broker-b']);
    expect([...bd['broker-a'].brokerAddrs.entries()]).toEqual([[0, A0], [1, A1]]);
    expect([...bd['broker-b'].brokerAddrs.entries()]).toEqual([[0, B0]]);
    expect(bd['broker-a'].cluster).toBe('ClusterX');
    const qd = Object.fromEntries(rd.queueDatas.map((x) => [x.brokerName, x]));
    // the slave's registration did not change the queue data: the master's 4/4 RW stays
    expect(qd['broker-a']).toEqual({ brokerName: 'broker-a', readQueueNums: 4, writeQueueNums: 4, perm: 6, topicSysFlag: 0 });
    expect(qd['broker-b']).toEqual({ brokerName: 'broker-b', readQueueNums: 8, writeQueueNums: 6, perm: 4, topicSysFlag: 0 });
    // a 5.x client (version >= 401) gets standard JSON; an old one the native dialect with unquoted ids
    expect(route.raw).toContain('"brokerAddrs":{"0":"10.1.0.1:10911","1":"10.1.0.2:10911"}');
    const legacy = await getRoute(q, namesrv, 'TopicShared', 300);
    expect(legacy.raw).toContain('"brokerAddrs":{0:"10.1.0.1:10911",1:"10.1.0.2:10911"}');

    const unknown = await getRoute(q, namesrv, 'NoSuchTopic');
    expect(unknown.code).toBe(17);
    expect(unknown.remark).toMatch(/^No topic route info in name server for the topic: NoSuchTopic\nSee https:\/\/rocketmq.apache.org/);

    const ci = await getClusterInfo(q, namesrv);
    expect(ci.info.clusterAddrTable.ClusterX.sort()).toEqual(['broker-a', 'broker-b']);
    expect([...ci.info.brokerAddrTable['broker-a'].brokerAddrs.entries()]).toEqual([[0, A0], [1, A1]]);
    expect(ci.raw).toContain('{0:"10.2.0.1:10911"}');

    // broker-a keeps registering (as a broker does every 30 s); broker-b falls silent but keeps its connection open
    let keepAlive = true;
    const beat = (async () => {
      while (keepAlive) {
        await registerBroker(masterA, namesrv, { cluster: 'ClusterX', brokerName: 'broker-a', brokerId: 0, brokerAddr: A0, haServerAddr: '10.1.0.1:10912', topics: topicsA });
        await registerBroker(slaveA, namesrv, { cluster: 'ClusterX', brokerName: 'broker-a', brokerId: 1, brokerAddr: A1, topics: [] });
        await new Promise((r) => setTimeout(r, 250));
      }
    })();
    try {
      const silentGone = await waitFor(async () => !(await getClusterInfo(q, namesrv)).info.brokerAddrTable['broker-b'], 20_000, 100);
      expect(silentGone).toBe(true);
      // its exclusive topic is gone, the shared one keeps only broker-a
      expect((await getRoute(q, namesrv, 'TopicB')).code).toBe(17);
      const shared = await getRoute(q, namesrv, 'TopicShared');
      expect(shared.route!.brokerDatas.map((b) => b.brokerName)).toEqual(['broker-a']);
      expect((await getClusterInfo(q, namesrv)).info.brokerAddrTable['broker-a']).toBeDefined();
      expect(stderr).toMatch(/expired/);

      // a broker that registers with a long heartbeat timeout, then closes its connection: gone at once
      const brokerC = client();
      const rC = await registerBroker(brokerC, namesrv, { cluster: 'ClusterY', brokerName: 'broker-c', brokerId: 0, brokerAddr: '10.3.0.1:10911', topics: [topic('TopicC', 2, 2)], heartbeatTimeoutMillis: 600_000 });
      expect(rC.code).toBe(0);
      expect((await getRoute(q, namesrv, 'TopicC')).code).toBe(0);
      brokerC.close();
      // its registration would last 600 s: only the closed connection can remove it within this wait
      const closedGone = await waitFor(async () => !(await getClusterInfo(q, namesrv)).info.clusterAddrTable.ClusterY, 10_000, 20);
      expect(closedGone).toBe(true);
      expect((await getRoute(q, namesrv, 'TopicC')).code).toBe(17);
    } finally {
      keepAlive = false;
      await beat;
    }
  });

  it('persists KV config as kvConfig.json in the configured path', async () => {
    const c = client();
    const { RemotingCommand } = await import('../../../src/remoting/command.js');
    const put = await c.invoke(namesrv, RemotingCommand.createRequest(100, { namespace: 'ORDER_TOPIC_CONFIG', key: 'TopicOrder', value: 'broker-a:4' }), 5000);
    expect(put.code).toBe(0);
    expect(JSON.parse(readFileSync(join(tmp, 'kvConfig.json'), 'utf8'))).toEqual({ configTable: { ORDER_TOPIC_CONFIG: { TopicOrder: 'broker-a:4' } } });
  });
});

describe('mqctl start namesrv --detach / mqctl stop namesrv', () => {
  it('runs in the background with a pid file under MQCTL_HOME and stops cleanly', async () => {
    const { execFile } = await import('node:child_process');
    const { existsSync } = await import('node:fs');
    const home = mkdtempSync(join(tmpdir(), 'mqctl-detach-'));
    const run = (args: string[]): Promise<{ code: number; stdout: string; stderr: string }> =>
      new Promise((resolve) => {
        execFile(process.execPath, [join(ROOT, 'bin/mqctl.js'), ...args], { env: { ...process.env, MQCTL_HOME: home }, timeout: 30_000 }, (err, stdout, stderr) => {
          resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
        });
      });
    try {
      const port = await freePort();
      const conf = join(home, 'ns.conf');
      writeFileSync(conf, `kvConfigPath=${join(home, 'kv.json')}\nconfigStorePath=${join(home, 'ns.properties')}\n`);
      const started = await run(['start', 'namesrv', '--port', String(port), '--listen', '127.0.0.1', '--config', conf, '--detach']);
      expect(started.code).toBe(0);
      expect(started.stdout).toContain(`namesrv listening on 127.0.0.1:${port}`);
      const pid = Number(readFileSync(join(home, 'namesrv.pid'), 'utf8').trim());
      expect(pid).toBeGreaterThan(0);
      expect(() => process.kill(pid, 0)).not.toThrow();

      const c = client();
      const ci = await getClusterInfo(c, `127.0.0.1:${port}`);
      expect(ci.info.clusterAddrTable).toEqual({});
      c.close();

      const again = await run(['start', 'namesrv', '--port', String(port), '--detach']);
      expect(again.code).toBe(1);
      expect(again.stderr).toContain('already running');

      const stopped = await run(['stop', 'namesrv']);
      expect(stopped.code).toBe(0);
      expect(stopped.stdout).toContain(`namesrv (pid ${pid}) stopped`);
      expect(() => process.kill(pid, 0)).toThrow();
      expect(existsSync(join(home, 'namesrv.pid'))).toBe(false);
      expect(readFileSync(join(home, 'namesrv.log'), 'utf8')).toMatch(/received SIGTERM/);

      const none = await run(['stop', 'namesrv']);
      expect(none.code).toBe(4);
    } finally {
      try {
        const pid = Number(readFileSync(join(home, 'namesrv.pid'), 'utf8').trim());
        if (pid > 0) process.kill(pid, 'SIGKILL');
      } catch {
        // not running
      }
      rmSync(home, { recursive: true, force: true });
    }
  });
});
