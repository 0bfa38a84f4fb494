// The producer against fake name server / brokers (RemotingServer): the V2 header on the wire, compression,
// UNIQ_KEY, retry on another broker after a retryable refusal, no retry for a non-retryable one, heartbeats.
import { afterEach, describe, expect, it } from 'vitest';
import zlib from 'node:zlib';
import { Producer, createMessage } from '../../../src/client/index.js';
import { RemotingCommand } from '../../../src/remoting/command.js';
import { RemotingServer } from '../../../src/remoting/server.js';
import { RequestCode, ResponseCode } from '../../../src/protocol/codes.js';
import { encodeTopicRouteData, type TopicRouteData } from '../../../src/protocol/route.js';
import { decodeHeartbeatData } from '../../../src/protocol/heartbeat.js';
import { string2messageProperties } from '../../../src/common/properties.js';

const closers: Array<() => unknown> = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

interface FakeBroker {
  addr: string;
  sends: RemotingCommand[];
  heartbeats: RemotingCommand[];
  answer: (req: RemotingCommand) => number;
}

async function fakeBroker(answer: (req: RemotingCommand) => number): Promise<FakeBroker> {
  const server = new RemotingServer({ host: '127.0.0.1', port: 0 });
  const fb: FakeBroker = { addr: '', sends: [], heartbeats: [], answer };
  server.registerProcessor(RequestCode.SEND_MESSAGE_V2, (req) => {
    fb.sends.push(req);
    const code = fb.answer(req);
    if (code !== 0) return RemotingCommand.createResponse(code, 'refused by the fake broker');
    return RemotingCommand.createResponse(0, undefined, { msgId: '7F00000100002A9F0000000000000000', queueId: req.field('e'), queueOffset: 7, MSG_REGION: 'DefaultRegion', TRACE_ON: 'true' });
  });
  server.registerProcessor(RequestCode.HEART_BEAT, (req) => {
    fb.heartbeats.push(req);
    return RemotingCommand.createResponse(0);
  });
  server.registerProcessor(RequestCode.UNREGISTER_CLIENT, () => RemotingCommand.createResponse(0));
  const { port } = await server.listen();
  fb.addr = `127.0.0.1:${port}`;
  closers.push(() => server.close());
  return fb;
}

async function fakeNamesrv(route: () => TopicRouteData, withTbw102 = false): Promise<{ addr: string; lookups: number }> {
  const server = new RemotingServer({ host: '127.0.0.1', port: 0 });
  const st = { addr: '', lookups: 0 };
  server.registerProcessor(RequestCode.GET_ROUTEINFO_BY_TOPIC, (req) => {
    st.lookups++;
    if (req.field('topic') === 'TBW102' && !withTbw102) return RemotingCommand.createResponse(ResponseCode.TOPIC_NOT_EXIST, 'No topic route info');
    const res = RemotingCommand.createResponse(0);
    res.body = encodeTopicRouteData(route(), { standard: true });
    return res;
  });
  const { port } = await server.listen();
  st.addr = `127.0.0.1:${port}`;
  closers.push(() => server.close());
  return st;
}

function routeOf(...brokers: Array<[string, string]>): TopicRouteData {
  return {
    queueDatas: brokers.map(([name]) => ({ brokerName: name, readQueueNums: 2, writeQueueNums: 2, perm: 6, topicSysFlag: 0 })),
    brokerDatas: brokers.map(([name, addr]) => ({ cluster: 'C', brokerName: name, brokerAddrs: new Map([[0, addr]]) })),
    filterServerTable: {},
  };
}

async function producerFor(ns: string): Promise<Producer> {
  const p = new Producer({ namesrvAddr: ns, group: 'PG_WIRE', sendMsgTimeoutMs: 5000 });
  await p.start();
  closers.push(() => p.shutdown());
  return p;
}

describe('producer on the wire', () => {
  it('sends SEND_MESSAGE_V2 with one-letter keys, UNIQ_KEY and a zlib body over 4 KiB', async () => {
    const b = await fakeBroker(() => 0);
    const ns = await fakeNamesrv(() => routeOf(['broker-a', b.addr]));
    const p = await producerFor(ns.addr);
    const small = await p.send(createMessage({ topic: 'T', body: 'hi', tags: 'A', keys: 'k' }));
    const big = Buffer.alloc(5000, 0x62);
    await p.send(createMessage({ topic: 'T', body: big }));
    const [r1, r2] = b.sends;
    expect(r1.field('a')).toBe('PG_WIRE');
    expect(r1.field('b')).toBe('T');
    expect(r1.field('c')).toBe('TBW102');
    expect(r1.field('d')).toBe('4');
    expect(r1.field('f')).toBe('0');
    expect(r1.field('n')).toBe('broker-a');
    const props = string2messageProperties(r1.field('i')!);
    expect(props).toMatchObject({ TAGS: 'A', KEYS: 'k', WAIT: 'true' });
    expect(props.UNIQ_KEY).toBe(small.msgId);
    expect(r1.body!.toString()).toBe('hi');
    expect(Number(r2.field('f')) & 1).toBe(1);
    expect(zlib.inflateSync(r2.body!).equals(big)).toBe(true);
    expect(small).toMatchObject({ sendStatus: 'SEND_OK', offsetMsgId: '7F00000100002A9F0000000000000000', queueOffset: 7, brokerAddr: b.addr });
  });

  it('retries a retryable refusal on the other broker', async () => {
    const bad = await fakeBroker(() => ResponseCode.SYSTEM_BUSY);
    const good = await fakeBroker(() => 0);
    const ns = await fakeNamesrv(() => routeOf(['broker-a', bad.addr], ['broker-b', good.addr]));
    const p = await producerFor(ns.addr);
    for (let i = 0; i < 4; i++) {
      const r = await p.send(createMessage({ topic: 'T', body: `m${i}` }));
      expect(r.messageQueue.brokerName).toBe('broker-b');
    }
    expect(bad.sends.length).toBeGreaterThan(0);
    expect(good.sends).toHaveLength(4);
    // the same message (same UNIQ_KEY) is what the retry carried
    const firstBad = string2messageProperties(bad.sends[0].field('i')!).UNIQ_KEY;
    expect(good.sends.some((s) => string2messageProperties(s.field('i')!).UNIQ_KEY === firstBad)).toBe(true);
  });

  it('gives up after 1 + retryTimesWhenSendFailed attempts, and does not retry a non-retryable code', async () => {
    const busy = await fakeBroker(() => ResponseCode.SYSTEM_BUSY);
    const ns = await fakeNamesrv(() => routeOf(['broker-a', busy.addr]));
    const p = await producerFor(ns.addr);
    await expect(p.send(createMessage({ topic: 'T', body: 'x' }))).rejects.toThrow(/Send \[3\] times/);
    expect(busy.sends).toHaveLength(3);
    busy.answer = () => ResponseCode.MESSAGE_ILLEGAL;
    await expect(p.send(createMessage({ topic: 'T', body: 'x' }))).rejects.toThrow(/13/);
    expect(busy.sends).toHaveLength(4);
  });

  it('a started producer that sends nothing routes TBW102 and heartbeats its group at once', async () => {
    const b = await fakeBroker(() => 0);
    const ns = await fakeNamesrv(() => routeOf(['broker-a', b.addr]), true);
    // the periodic heartbeat is 30 s away: only the start's own one can arrive within the wait below
    const p = await producerFor(ns.addr);
    const end = Date.now() + 3000;
    while (b.heartbeats.length === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    expect(b.heartbeats.length).toBeGreaterThan(0);
    const hb = decodeHeartbeatData(b.heartbeats[0].body!);
    expect(hb.producerDataSet.map((x) => x.groupName)).toContain('PG_WIRE');
    expect(p.instance.getTopicRoute('TBW102')).toBeDefined();
  });

  it('heartbeats carry the producer group (masters only) and the clientId', async () => {
    const b = await fakeBroker(() => 0);
    const ns = await fakeNamesrv(() => routeOf(['broker-a', b.addr]));
    const p = await producerFor(ns.addr);
    await p.send(createMessage({ topic: 'T', body: 'x' }));
    await p.instance.sendHeartbeatToAllBrokers();
    expect(b.heartbeats.length).toBeGreaterThan(0);
    const hb = decodeHeartbeatData(b.heartbeats[b.heartbeats.length - 1].body!);
    expect(hb.clientID).toBe(p.clientId);
    expect(hb.producerDataSet.map((x) => x.groupName)).toContain('PG_WIRE');
    expect(hb.consumerDataSet).toEqual([]);
  });
});
