// `mqctl start broker -c broker.conf` against `mqctl start namesrv`: the config file is honoured (unknown keys
// warned about), and bad requests get Apache's response code with a remark naming the problem while the
// broker goes on serving.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeMessages } from '../../../src/common/record-codec.js';
import { RequestCode, ResponseCode } from '../../../src/protocol/codes.js';
import { RemotingCommand } from '../../../src/remoting/command.js';
import type { RemotingClient } from '../../../src/remoting/client.js';
import { type Proc, mqctl, newClient, pullRequest, removeDir, sendRequest, stop, tempDir, waitFor } from './helpers.js';

let dir: string;
let namesrv: Proc;
let broker: Proc;
let brokerAddr: string;
let namesrvAddr: string;
let client: RemotingClient;

beforeAll(async () => {
  dir = tempDir('mqctl-broker-bad-');
  namesrv = mqctl(['start', 'namesrv', '--port', '0', '--listen', '127.0.0.1']);
  namesrvAddr = `127.0.0.1:${(await waitFor(namesrv, /namesrv listening on \S+:(\d+)/))[1]}`;
  const conf = path.join(dir, 'broker.conf');
  writeFileSync(
    conf,
    [
      '# test broker',
      'brokerClusterName = TestCluster',
      'brokerName=broker-t',
      `storePathRootDir=${path.join(dir, 'store').replace(/\\/g, '\\\\')}`,
      'listenPort=0',
      'brokerIP1=127.0.0.1',
      'maxMessageSize=2048',
      'unknownKeyFoo=1',
      'messageDelayLevel=1s 5s \\',
      '   10s',
      '',
    ].join('\n'),
  );
  broker = mqctl(['start', 'broker', '-c', conf, '-n', namesrvAddr, '--listen', '127.0.0.1']);
  brokerAddr = (await waitFor(broker, /broker ready: (\S+)/))[1];
  client = newClient();
});

afterAll(async () => {
  client?.close();
  if (broker) await stop(broker);
  if (namesrv) await stop(namesrv);
  removeDir(dir);
});

async function createTopic(topic: string, queues: number, perm: number): Promise<void> {
  const res = await client.invoke(brokerAddr, RemotingCommand.createRequest(RequestCode.UPDATE_AND_CREATE_TOPIC, {
    topic, defaultTopic: 'TBW102', readQueueNums: queues, writeQueueNums: queues, perm, topicFilterType: 'SINGLE_TAG', topicSysFlag: 0, order: false,
  }), 5000);
  expect(res.code, res.remark).toBe(ResponseCode.SUCCESS);
}

describe('broker started from broker.conf', () => {
  it('uses the file: cluster and broker name, delay levels with a continuation line, unknown key warned', async () => {
    expect(broker.stdout()).toContain('broker-t@TestCluster');
    expect(broker.stderr()).toMatch(/unknown key 'unknownKeyFoo'/);
    const res = await client.invoke(brokerAddr, RemotingCommand.createRequest(RequestCode.GET_BROKER_CONFIG), 5000);
    expect(res.code).toBe(ResponseCode.SUCCESS);
    const text = res.body!.toString();
    expect(text).toContain('messageDelayLevel=1s 5s 10s\n');
    expect(text).toContain('maxMessageSize=2048\n');
    const cluster = await client.invoke(namesrvAddr, RemotingCommand.createRequest(RequestCode.GET_BROKER_CLUSTER_INFO), 5000);
    expect(cluster.body!.toString()).toContain('"TestCluster"');
  });
});

describe('bad input gets Apache codes and the broker goes on', () => {
  it('send to a topic without write permission -> NO_PERMISSION naming the topic', async () => {
    await createTopic('ReadOnlyTopic', 4, 4);
    const res = await client.invoke(brokerAddr, sendRequest({ topic: 'ReadOnlyTopic', queueId: 0, body: 'x' }), 5000);
    expect(res.code).toBe(ResponseCode.NO_PERMISSION);
    expect(res.remark).toContain('ReadOnlyTopic');
    expect(res.remark).toContain('forbidden');
    expect(res.extFields?.MSG_REGION).toBe('DefaultRegion');
  });

  it('queue id out of range -> SYSTEM_ERROR "request queueId[N] is illegal"', async () => {
    await createTopic('FourQueues', 4, 6);
    const res = await client.invoke(brokerAddr, sendRequest({ topic: 'FourQueues', queueId: 9, body: 'x' }), 5000);
    expect(res.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(res.remark).toMatch(/^request queueId\[9\] is illegal, TopicConfig \[topicName=FourQueues, readQueueNums=4, writeQueueNums=4/);
    const pull = await client.invoke(brokerAddr, pullRequest({ group: 'CG_BAD', topic: 'FourQueues', queueId: 4, offset: 0 }), 5000);
    expect(pull.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(pull.remark).toContain('queueId[4] is illegal');
  });

  it('body over maxMessageSize -> MESSAGE_ILLEGAL naming the limit', async () => {
    const res = await client.invoke(brokerAddr, sendRequest({ topic: 'FourQueues', queueId: 0, body: Buffer.alloc(3000, 1) }), 5000);
    expect(res.code).toBe(ResponseCode.MESSAGE_ILLEGAL);
    expect(res.remark).toContain('msg body length limit 2048B');
  });

  it('missing required header field -> SYSTEM_ERROR naming the field', async () => {
    const req = sendRequest({ topic: 'FourQueues', queueId: 0, body: 'x' });
    delete req.extFields!.b;
    const res = await client.invoke(brokerAddr, req, 5000);
    expect(res.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(res.remark).toBe('the custom field <topic (b)> is null');
    const pull = pullRequest({ group: 'CG_BAD', topic: 'FourQueues', queueId: 0, offset: 0 });
    delete pull.extFields!.queueOffset;
    const pr = await client.invoke(brokerAddr, pull, 5000);
    expect(pr.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(pr.remark).toBe('the custom field <queueOffset> is null');
    const bad = sendRequest({ topic: 'FourQueues', queueId: 0, body: 'x' });
    bad.extFields!.e = 'zero';
    const br = await client.invoke(brokerAddr, bad, 5000);
    expect(br.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(br.remark).toContain('"zero"');
  });

  it('invalid topic names, forbidden system topics and unknown topics without auto-create template', async () => {
    const badName = await client.invoke(brokerAddr, sendRequest({ topic: 'bad topic!', queueId: 0, body: 'x' }), 5000);
    expect(badName.code).toBe(ResponseCode.INVALID_PARAMETER);
    expect(badName.remark).toContain('illegal characters');
    const sched = await client.invoke(brokerAddr, sendRequest({ topic: 'SCHEDULE_TOPIC_XXXX', queueId: 0, body: 'x' }), 5000);
    expect(sched.code).toBe(ResponseCode.NO_PERMISSION);
    expect(sched.remark).toBe('Sending message to topic[SCHEDULE_TOPIC_XXXX] is forbidden.');
    const req = sendRequest({ topic: 'NoTemplateTopic', queueId: 0, body: 'x' });
    req.extFields!.c = 'NoSuchTemplate';
    const unknown = await client.invoke(brokerAddr, req, 5000);
    expect(unknown.code).toBe(ResponseCode.TOPIC_NOT_EXIST);
    expect(unknown.remark).toMatch(/^topic\[NoTemplateTopic\] not exist, apply first please!/);
    const pull = await client.invoke(brokerAddr, pullRequest({ group: 'CG_BAD', topic: 'NoSuchTopicAtAll', queueId: 0, offset: 0 }), 5000);
    expect(pull.code).toBe(ResponseCode.TOPIC_NOT_EXIST);
  });

  it('UPDATE_CONSUMER_OFFSET: unknown group -> 26 "Group G not exist!" without creating it; unknown topic -> 17', async () => {
    expect((await client.invoke(brokerAddr, sendRequest({ topic: 'OffsetT', queueId: 0, body: 'o' }), 5000)).code).toBe(ResponseCode.SUCCESS);
    const upd = (group: string, topic: string) =>
      client.invoke(brokerAddr, RemotingCommand.createRequest(RequestCode.UPDATE_CONSUMER_OFFSET, { consumerGroup: group, topic, queueId: 0, commitOffset: 1 }), 5000);
    const query = (group: string) =>
      client.invoke(brokerAddr, RemotingCommand.createRequest(RequestCode.QUERY_CONSUMER_OFFSET, { consumerGroup: group, topic: 'OffsetT', queueId: 0, setZeroIfNotFound: false }), 5000);
    // Apache 5.3.x: the group must exist even with autoCreateSubscriptionGroup on (this broker's default)
    for (let i = 0; i < 2; i++) {
      const unknown = await upd('CG_NEVER_SEEN', 'OffsetT');
      expect(unknown.code).toBe(ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST);
      expect(unknown.remark).toBe('Group CG_NEVER_SEEN not exist!');
    }
    expect((await query('CG_NEVER_SEEN')).code).toBe(ResponseCode.QUERY_NOT_FOUND);
    // a pull creates the group; then the commit is stored
    expect((await client.invoke(brokerAddr, pullRequest({ group: 'CG_OFFS', topic: 'OffsetT', queueId: 0, offset: 0 }), 5000)).code).toBe(ResponseCode.SUCCESS);
    expect((await upd('CG_OFFS', 'OffsetT')).code).toBe(ResponseCode.SUCCESS);
    expect((await query('CG_OFFS')).field('offset')).toBe('1');
    const noTopic = await upd('CG_OFFS', 'NoSuchOffsetTopic');
    expect(noTopic.code).toBe(ResponseCode.TOPIC_NOT_EXIST);
    expect(noTopic.remark).toBe('Topic NoSuchOffsetTopic not exist!');
  });

  it('still serves good requests afterwards', async () => {
    const uniq = 'C0A8010A30395AF978500B3A6C100001';
    const res = await client.invoke(brokerAddr, sendRequest({ topic: 'FourQueues', queueId: 1, body: 'still alive', props: { UNIQ_KEY: uniq } }), 5000);
    expect(res.code).toBe(ResponseCode.SUCCESS);
    expect(res.extFields?.transactionId).toBe(uniq);
    const pull = await client.invoke(brokerAddr, pullRequest({ group: 'CG_OK', topic: 'FourQueues', queueId: 1, offset: 0 }), 5000);
    expect(pull.code).toBe(ResponseCode.SUCCESS);
    const msgs = decodeMessages(pull.body!);
    expect(msgs.map((m) => m.body.toString())).toEqual(['still alive']);
    expect(msgs[0].properties.UNIQ_KEY).toBe(uniq);
    expect(msgs[0].properties.CLUSTER).toBe('TestCluster');
    expect(msgs[0].msgId).toBe(res.extFields?.msgId);
    expect(broker.child.exitCode).toBeNull();
  });
});
