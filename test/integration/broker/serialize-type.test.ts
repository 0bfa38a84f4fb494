// ROCKETMQ_SERIALIZE_TYPE=ROCKETMQ (Apache's switch for binary headers): a standalone started with it registers
// and serves over binary headers, and clients sending binary headers get binary answers, sends and pulls alike.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeMessages } from '../../../src/common/record-codec.js';
import { RequestCode, ResponseCode } from '../../../src/protocol/codes.js';
import { decodeTopicRouteData } from '../../../src/protocol/route.js';
import { RemotingCommand, SerializeType, serializeTypeFromEnv } from '../../../src/remoting/command.js';
import type { RemotingClient } from '../../../src/remoting/client.js';
import { type Standalone, newClient, pullRequest, removeDir, sendRequest, startStandaloneChild, stop, tempDir } from './helpers.js';

let dir: string;
let mq: Standalone;
let client: RemotingClient;

beforeAll(async () => {
  dir = tempDir('mqctl-serialize-');
  mq = await startStandaloneChild(dir, { ROCKETMQ_SERIALIZE_TYPE: 'ROCKETMQ' });
  client = newClient();
});

afterAll(async () => {
  client?.close();
  if (mq) await stop(mq.proc);
  removeDir(dir);
});

const binary = (cmd: RemotingCommand): RemotingCommand => {
  cmd.serializeType = SerializeType.ROCKETMQ;
  return cmd;
};

describe('ROCKETMQ binary headers', () => {
  it('reads the switch as Apache does: ROCKETMQ in any case, anything else JSON', () => {
    expect(serializeTypeFromEnv('ROCKETMQ')).toBe(SerializeType.ROCKETMQ);
    expect(serializeTypeFromEnv(' rocketmq ')).toBe(SerializeType.ROCKETMQ);
    expect(serializeTypeFromEnv('JSON')).toBe(SerializeType.JSON);
    expect(serializeTypeFromEnv(undefined)).toBe(SerializeType.JSON);
    expect(serializeTypeFromEnv('protobuf')).toBe(SerializeType.JSON);
  });

  it('sends and pulls 200 messages with binary headers both ways, properties intact', async () => {
    const topic = 'BinaryHeaderTopic';
    for (let i = 0; i < 200; i++) {
      const res = await client.invoke(mq.broker, binary(sendRequest({ topic, queueId: i % 4, body: `b-${i}`, tags: 'TagB', keys: `k-${i}`, props: { seq: String(i), note: 'é' } })), 5000);
      expect(res.code, res.remark).toBe(ResponseCode.SUCCESS);
      expect(res.serializeType).toBe(SerializeType.ROCKETMQ);
      expect(res.extFields?.msgId).toMatch(/^[0-9A-F]{32}$/);
      expect(res.extFields?.MSG_REGION).toBe('DefaultRegion');
    }
    let total = 0;
    for (let q = 0; q < 4; q++) {
      const msgs = [];
      while (msgs.length < 50) {
        const res = await client.invoke(mq.broker, binary(pullRequest({ group: 'CG_BIN', topic, queueId: q, offset: msgs.length })), 5000);
        expect(res.code, res.remark).toBe(ResponseCode.SUCCESS);
        expect(res.serializeType).toBe(SerializeType.ROCKETMQ);
        msgs.push(...decodeMessages(res.body!));
      }
      msgs.forEach((m, i) => {
        expect(m.body.toString()).toBe(`b-${q + 4 * i}`);
        expect(m.properties.KEYS).toBe(`k-${q + 4 * i}`);
        expect(m.properties.note).toBe('é');
        expect(m.properties.TAGS).toBe('TagB');
      });
      total += msgs.length;
    }
    expect(total).toBe(200);
  });

  it('the broker registered with the binary-header nameserver path: the route is served', async () => {
    const req = binary(RemotingCommand.createRequest(RequestCode.GET_ROUTEINFO_BY_TOPIC, { topic: 'BinaryHeaderTopic' }));
    const res = await client.invoke(mq.namesrv, req, 5000);
    expect(res.code, res.remark).toBe(ResponseCode.SUCCESS);
    expect(res.serializeType).toBe(SerializeType.ROCKETMQ);
    const route = decodeTopicRouteData(res.body!);
    expect(route.brokerDatas.map((b) => b.brokerAddrs.get(0))).toContain(mq.broker);
  });
});
