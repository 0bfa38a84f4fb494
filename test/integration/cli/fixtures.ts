// Test data for the CLI tests, written over the wire with the remoting client (no client library needed):
// messages via SEND_MESSAGE_V2, committed offsets via UPDATE_CONSUMER_OFFSET, and an "online" consumer
// made of a heartbeat plus processors answering the broker's running-info and consume-directly requests.
import { RemotingClient } from '../../../src/remoting/client.js';
import { RemotingCommand } from '../../../src/remoting/command.js';
import { messageProperties2String } from '../../../src/common/properties.js';
import { createUniqId } from '../../../src/common/msgid.js';
import { encodeHeartbeatData } from '../../../src/protocol/heartbeat.js';

export interface Sent {
  msgId: string;
  uniqKey: string;
  queueId: number;
  queueOffset: number;
  key: string;
}

export async function sendMessage(
  client: RemotingClient,
  brokerAddr: string,
  m: { topic: string; queueId: number; body: string; key?: string; tags?: string; group?: string },
): Promise<Sent> {
  const uniqKey = createUniqId();
  const props: Record<string, string> = { UNIQ_KEY: uniqKey, WAIT: 'true' };
  if (m.key) props.KEYS = m.key;
  if (m.tags) props.TAGS = m.tags;
  const req = RemotingCommand.createRequest(
    310,
    { a: m.group ?? 'cli_test_producer', b: m.topic, c: 'TBW102', d: 4, e: m.queueId, f: 0, g: Date.now(), h: 0, i: messageProperties2String(props), j: 0, k: false, m: false },
    Buffer.from(m.body, 'utf8'),
  );
  const resp = await client.invoke(brokerAddr, req, 5000);
  if (resp.code !== 0) throw new Error(`send failed: ${resp.code} ${resp.remark}`);
  return { msgId: resp.field('msgId')!, uniqKey, queueId: Number(resp.field('queueId')), queueOffset: Number(resp.field('queueOffset')), key: m.key ?? '' };
}

export async function commitOffset(client: RemotingClient, brokerAddr: string, group: string, topic: string, queueId: number, offset: number): Promise<void> {
  const resp = await client.invoke(brokerAddr, RemotingCommand.createRequest(15, { consumerGroup: group, topic, queueId, commitOffset: offset }), 5000);
  if (resp.code !== 0) throw new Error(`update offset failed: ${resp.code} ${resp.remark}`);
}

export async function createGroup(client: RemotingClient, brokerAddr: string, group: string): Promise<void> {
  const body = Buffer.from(JSON.stringify({ groupName: group, consumeEnable: true, consumeBroadcastEnable: true, consumeFromMinEnable: true, retryQueueNums: 1, retryMaxTimes: 16, brokerId: 0, whichBrokerWhenConsumeSlowly: 1, notifyConsumerIdsChangedEnable: true }));
  const resp = await client.invoke(brokerAddr, RemotingCommand.createRequest(200, undefined, body), 5000);
  if (resp.code !== 0) throw new Error(`create group failed: ${resp.code} ${resp.remark}`);
}

/** A consumer that is "online": it heartbeats and answers GET_CONSUMER_RUNNING_INFO and CONSUME_MESSAGE_DIRECTLY. */
export class FakeConsumer {
  readonly client = new RemotingClient();
  readonly clientId = `127.0.0.1@cli-test-${process.pid}`;
  readonly directlyConsumed: string[] = [];
  constructor(readonly brokerAddr: string, readonly group: string, readonly topic: string) {
    this.client.registerProcessor(307, () => {
      const body = `{"mqTable":{},"properties":{"PROP_CLIENT_VERSION":"V5_3_3","PROP_CONSUME_TYPE":"CONSUME_PASSIVELY","PROP_NAMESERVER_ADDR":"test"},"statusTable":{},"subscriptionSet":[]}`;
      const r = RemotingCommand.createResponse(0);
      r.body = Buffer.from(body);
      return r;
    });
    this.client.registerProcessor(309, (req) => {
      this.directlyConsumed.push(req.field('msgId') ?? '');
      const r = RemotingCommand.createResponse(0);
      r.body = Buffer.from('{"autoCommit":true,"consumeResult":"CR_SUCCESS","order":false,"remark":"consumed by test","spentTimeMills":1}');
      return r;
    });
  }
  async heartbeat(): Promise<void> {
    const body = encodeHeartbeatData({
      clientID: this.clientId,
      producerDataSet: [],
      consumerDataSet: [
        {
          groupName: this.group,
          consumeType: 'CONSUME_PASSIVELY',
          messageModel: 'CLUSTERING',
          consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
          unitMode: false,
          subscriptionDataSet: [{ topic: this.topic, subString: '*', tagsSet: [], codeSet: [], subVersion: Date.now(), expressionType: 'TAG', classFilterMode: false }],
        },
      ],
    });
    const resp = await this.client.invoke(this.brokerAddr, RemotingCommand.createRequest(34, undefined, body), 5000);
    if (resp.code !== 0) throw new Error(`heartbeat failed: ${resp.code} ${resp.remark}`);
  }
  close(): void {
    this.client.close();
  }
}
