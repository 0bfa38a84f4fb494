// MQAdmin against a scripted server answering with bodies in the Java (fastjson) dialect: unquoted numeric keys,
// MessageQueue objects as map keys, error codes with remarks, and name-server failover.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import net from 'node:net';
import { RemotingServer } from '../../../src/remoting/server.js';
import { RemotingCommand } from '../../../src/remoting/command.js';
import { MQAdmin, NotFoundError, AdminError } from '../../../src/client/admin/index.js';

let server: RemotingServer;
let addr = '';
let deadAddr = '';
const seen: number[] = [];

function ok(body?: string, fields?: Record<string, unknown>): RemotingCommand {
  const r = RemotingCommand.createResponse(0, undefined, fields);
  if (body !== undefined) r.body = Buffer.from(body);
  return r;
}

beforeAll(async () => {
  server = new RemotingServer({ host: '127.0.0.1', port: 0 });
  server.registerDefaultProcessor((req) => {
    seen.push(req.code);
    switch (req.code) {
      case 106:
        return ok(`{"brokerAddrTable":{"broker-a":{"brokerAddrs":{0:"${addr}",1:"127.0.0.1:1"},"brokerName":"broker-a","cluster":"C1","enableActingMaster":false}},"clusterAddrTable":{"C1":["broker-a"]}}`);
      case 105:
        if (req.field('topic') !== 'T') return RemotingCommand.createResponse(17, `No topic route info in name server for the topic: ${req.field('topic')}\nSee https://rocketmq.apache.org/docs/bestPractice/06FAQ for further details.`);
        return ok(`{"brokerDatas":[{"brokerAddrs":{"0":"${addr}"},"brokerName":"broker-a","cluster":"C1"}],"filterServerTable":{},"queueDatas":[{"brokerName":"broker-a","perm":6,"readQueueNums":2,"topicSysFlag":0,"writeQueueNums":2}]}`);
      case 202:
        return ok(`{"offsetTable":{{"brokerName":"broker-a","queueId":1,"topic":"T"}:{"lastUpdateTimestamp":1700000000001,"maxOffset":7,"minOffset":2},{"brokerName":"broker-a","queueId":0,"topic":"T"}:{"lastUpdateTimestamp":0,"maxOffset":0,"minOffset":0}},"topicPutTps":1.5}`);
      case 208:
        if (req.field('consumerGroup') === 'missing') return RemotingCommand.createResponse(26, 'subscription group [missing] does not exist');
        return ok(`{"consumeTps":2.0,"offsetTable":{{"brokerName":"broker-a","queueId":0,"topic":"T"}:{"brokerOffset":10,"consumerOffset":4,"lastTimestamp":1700000000000,"pullOffset":6}}}`);
      case 17:
        return RemotingCommand.createResponse(1, 'The topic[SCHEDULE_TOPIC_XXXX] is conflict with system topic.');
      case 101:
        return RemotingCommand.createResponse(22, 'No config item, Namespace: N Key: K');
      default:
        return RemotingCommand.createResponse(3, ` request type ${req.code} not supported`);
    }
  });
  const { port } = await server.listen();
  addr = `127.0.0.1:${port}`;
  // a port nothing listens on: bind, read, close
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  deadAddr = `127.0.0.1:${(s.address() as net.AddressInfo).port}`;
  await new Promise<void>((r) => s.close(() => r()));
});

afterAll(async () => {
  await server.close();
});

describe('MQAdmin against Java-dialect bodies', () => {
  it('fails over to the next name server and reads cluster info with numeric keys', async () => {
    const admin = new MQAdmin({ namesrv: `${deadAddr};${addr}`, timeoutMs: 2000 });
    try {
      const masters = await admin.masterAddrs();
      expect(masters).toEqual([{ cluster: 'C1', brokerName: 'broker-a', addr }]);
      expect(await admin.resolveBrokerAddr('broker-a')).toBe(addr);
      await expect(admin.resolveBrokerAddr('broker-z')).rejects.toBeInstanceOf(NotFoundError);
    } finally {
      admin.close();
    }
  });

  it('topic status decodes MessageQueue keys and sorts queues', async () => {
    const admin = new MQAdmin({ namesrv: addr });
    try {
      const s = await admin.topicStatus('T');
      expect(s.queues).toEqual([
        { brokerName: 'broker-a', queueId: 0, minOffset: 0, maxOffset: 0, lastUpdateTimestamp: 0 },
        { brokerName: 'broker-a', queueId: 1, minOffset: 2, maxOffset: 7, lastUpdateTimestamp: 1700000000001 },
      ]);
      expect(s.totalMessages).toBe(5);
      expect(s.putTps).toBe(1.5);
    } finally {
      admin.close();
    }
  });

  it('consumer progress computes lag and inflight', async () => {
    const admin = new MQAdmin({ namesrv: addr });
    try {
      const p = await admin.consumerProgress('G', 'T');
      expect(p.queues).toEqual([expect.objectContaining({ queueId: 0, brokerOffset: 10, consumerOffset: 4, lag: 6, inflight: 2 })]);
      expect(p.totalLag).toBe(6);
      expect(p.consumeTps).toBe(2);
      await expect(admin.consumerProgress('missing', 'T')).rejects.toMatchObject({ exitCode: 4, responseCode: 26 });
    } finally {
      admin.close();
    }
  });

  it('errors carry exit code, response code and the first line of the remark', async () => {
    const admin = new MQAdmin({ namesrv: addr });
    try {
      const route = admin.getTopicRoute('Nope');
      await expect(route).rejects.toBeInstanceOf(NotFoundError);
      await expect(route).rejects.toThrow('route of topic Nope: TOPIC_NOT_EXIST(17) No topic route info in name server for the topic: Nope');
      const create = admin.createOrUpdateTopicOn({ topic: 'SCHEDULE_TOPIC_XXXX', broker: addr });
      await expect(create).rejects.toBeInstanceOf(AdminError);
      await expect(create).rejects.toMatchObject({ exitCode: 1, responseCode: 1 });
      await expect(admin.getKvConfig('N', 'K')).rejects.toMatchObject({ exitCode: 4, responseCode: 22 });
      await expect(admin.getBrokerRuntimeInfo(addr)).rejects.toMatchObject({ responseCode: 3 });
    } finally {
      admin.close();
    }
  });

  it('an unreachable name server surfaces a connect error', async () => {
    const admin = new MQAdmin({ namesrv: deadAddr, timeoutMs: 1000 });
    try {
      await expect(admin.getTopicList()).rejects.toThrow(/connect to 127\.0\.0\.1:\d+ failed/);
    } finally {
      admin.close();
    }
  });
});
