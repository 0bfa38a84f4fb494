// Byte-exact checks against fixtures/protocol, which were written from the reference documents.
import { readFileSync } from 'node:fs';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { RemotingCommand, SerializeType } from '../../../src/remoting/command.js';
import { decodeFrameContent, encodeFrame } from '../../../src/remoting/frame.js';
import { RequestCode, ResponseCode } from '../../../src/protocol/codes.js';
import { GetKVConfigResponseHeader, GetRouteInfoRequestHeader } from '../../../src/protocol/namesrv.js';
import {
  type TopicRouteData,
  decodeClusterInfo,
  decodeDataVersion,
  decodeRegisterBrokerBody,
  decodeTopicRouteData,
  encodeClusterInfo,
  encodeDataVersion,
  encodeRegisterBrokerBody,
  encodeTopicRouteData,
  newTopicConfig,
  topicConfigFromJson,
  topicConfigToJson,
} from '../../../src/protocol/route.js';
import { decodeHeartbeatData, encodeHeartbeatData } from '../../../src/protocol/heartbeat.js';
import {
  decodeConsumeStats,
  decodeLockBatchRequestBody,
  decodeResetOffsetBody,
  decodeTopicStatsTable,
  encodeConsumeStats,
  encodeLockBatchRequestBody,
  encodeLockBatchResponseBody,
  encodeResetOffsetBody,
  encodeResetOffsetBodyForC,
  encodeTopicStatsTable,
} from '../../../src/protocol/admin.js';
import { decodeConsumeMessageDirectlyResult, encodeConsumeMessageDirectlyResult } from '../../../src/protocol/client.js';
import { stringifyFastjson } from '../../../src/common/fastjson.js';

const dir = new URL('../../../fixtures/protocol/', import.meta.url);
const hex = (name: string): Buffer => Buffer.from(readFileSync(new URL(name, dir), 'utf8').replace(/\s+/g, ''), 'hex');
const bodies = JSON.parse(readFileSync(new URL('bodies.json', dir), 'utf8')) as Record<string, string>;

function request(code: number, fields: Record<string, string>, opaque: number, type: 0 | 1): RemotingCommand {
  const cmd = RemotingCommand.createRequest(code, fields);
  cmd.opaque = opaque;
  cmd.version = 479;
  cmd.serializeType = type;
  return cmd;
}

describe('frame vectors', () => {
  it('GET_ROUTEINFO_BY_TOPIC, JSON header (remoting.md §2)', () => {
    const cmd = request(RequestCode.GET_ROUTEINFO_BY_TOPIC, GetRouteInfoRequestHeader.toFields({ topic: 'TopicTest' }), 1, SerializeType.JSON);
    const want = hex('route-request-json.hex');
    expect(encodeFrame(cmd).toString('hex')).toBe(want.toString('hex'));
    const back = decodeFrameContent(want.subarray(4));
    expect(GetRouteInfoRequestHeader.fromFields(back.extFields).topic).toBe('TopicTest');
  });

  it('GET_ROUTEINFO_BY_TOPIC, ROCKETMQ binary header (remoting.md §2)', () => {
    const cmd = request(RequestCode.GET_ROUTEINFO_BY_TOPIC, GetRouteInfoRequestHeader.toFields({ topic: 'TopicTest' }), 1, SerializeType.ROCKETMQ);
    const want = hex('route-request-binary.hex');
    expect(want.length).toBe(49);
    expect(encodeFrame(cmd).toString('hex')).toBe(want.toString('hex'));
  });

  it('TOPIC_NOT_EXIST response with Apache\'s remark', () => {
    const remark = 'No topic route info in name server for the topic: NoSuchTopic\nSee https://rocketmq.apache.org/docs/bestPractice/06FAQ for further details.';
    const cmd = RemotingCommand.createResponse(ResponseCode.TOPIC_NOT_EXIST, remark);
    cmd.opaque = 7;
    cmd.version = 479;
    const want = hex('route-not-exist-response-json.hex');
    expect(encodeFrame(cmd).toString('hex')).toBe(want.toString('hex'));
    const back = decodeFrameContent(want.subarray(4));
    expect(back.remark).toBe(remark);
    expect(back.isResponse()).toBe(true);
  });

  it('GET_KV_CONFIG response, binary header', () => {
    const cmd = RemotingCommand.createResponse(ResponseCode.SUCCESS, undefined, GetKVConfigResponseHeader.toFields({ value: 'broker-a:4' }));
    cmd.opaque = 8;
    cmd.version = 479;
    cmd.serializeType = SerializeType.ROCKETMQ;
    const want = hex('kv-config-response-binary.hex');
    expect(encodeFrame(cmd).toString('hex')).toBe(want.toString('hex'));
    expect(GetKVConfigResponseHeader.fromFields(decodeFrameContent(want.subarray(4)).extFields).value).toBe('broker-a:4');
  });
});

const route: TopicRouteData = {
  brokerDatas: [
    { cluster: 'DefaultCluster', brokerName: 'broker-a', brokerAddrs: new Map([[1, '192.168.1.21:10911'], [0, '192.168.1.20:10911']]), enableActingMaster: false },
  ],
  queueDatas: [{ brokerName: 'broker-a', readQueueNums: 4, writeQueueNums: 4, perm: 6, topicSysFlag: 0 }],
  filterServerTable: {},
};

describe('route bodies', () => {
  it('TopicRouteData, standard JSON (requests.md §5)', () => {
    expect(encodeTopicRouteData(route, { standard: true }).toString()).toBe(bodies.topicRouteStandard);
  });

  it('TopicRouteData, native dialect with unquoted broker ids', () => {
    expect(encodeTopicRouteData(route).toString()).toBe(bodies.topicRouteNative);
  });

  it('decodes both dialects to the same route', () => {
    for (const text of [bodies.topicRouteStandard, bodies.topicRouteNative]) {
      const rd = decodeTopicRouteData(Buffer.from(text));
      expect([...rd.brokerDatas[0].brokerAddrs.entries()]).toEqual([[0, '192.168.1.20:10911'], [1, '192.168.1.21:10911']]);
      expect(rd.queueDatas[0]).toEqual(route.queueDatas[0]);
      expect(rd.brokerDatas[0].cluster).toBe('DefaultCluster');
    }
  });

  it('accepts the pre-4.9 topicSynFlag member and single quotes', () => {
    const rd = decodeTopicRouteData("{'brokerDatas':[],'queueDatas':[{'brokerName':'b','perm':'6','readQueueNums':2,'topicSynFlag':3,'writeQueueNums':2}]}");
    expect(rd.queueDatas[0]).toEqual({ brokerName: 'b', perm: 6, readQueueNums: 2, writeQueueNums: 2, topicSysFlag: 3 });
  });

  it('ClusterInfo, native dialect (requests.md §5)', () => {
    const ci = {
      brokerAddrTable: {
        'broker-a': { cluster: 'DefaultCluster', brokerName: 'broker-a', brokerAddrs: new Map([[0, '192.168.1.20:10911']]), enableActingMaster: false },
      },
      clusterAddrTable: { DefaultCluster: ['broker-a'] },
    };
    expect(encodeClusterInfo(ci).toString()).toBe(bodies.clusterInfo);
    const back = decodeClusterInfo(Buffer.from(bodies.clusterInfo));
    expect(back.brokerAddrTable['broker-a'].brokerAddrs.get(0)).toBe('192.168.1.20:10911');
    expect(back.clusterAddrTable).toEqual({ DefaultCluster: ['broker-a'] });
  });

  it('DataVersion and TopicConfig', () => {
    expect(encodeDataVersion({ counter: 3, stateVersion: 0, timestamp: 1700000000000 }).toString()).toBe(bodies.dataVersion);
    expect(decodeDataVersion(bodies.dataVersion)).toEqual({ counter: 3, stateVersion: 0, timestamp: 1700000000000 });
    const tc = newTopicConfig('T', { readQueueNums: 8, writeQueueNums: 8 });
    expect(stringifyFastjson(topicConfigToJson(tc))).toBe(bodies.topicConfig);
    expect(topicConfigFromJson(JSON.parse(bodies.topicConfig))).toEqual(tc);
  });
});

describe('REGISTER_BROKER bodies', () => {
  const wrapper = {
    dataVersion: { counter: 5, stateVersion: 0, timestamp: 1700000000000 },
    topicConfigTable: { TopicTest: newTopicConfig('TopicTest', { readQueueNums: 4, writeQueueNums: 4 }) },
  };

  it('plain 5.x and 4.9.8 forms are byte-exact', () => {
    expect(encodeRegisterBrokerBody({ topicConfigSerializeWrapper: wrapper, filterServerList: [] }).toString()).toBe(bodies.registerBrokerBody5x);
    expect(encodeRegisterBrokerBody({ topicConfigSerializeWrapper: wrapper, filterServerList: [] }, { legacy: true }).toString()).toBe(bodies.registerBrokerBody498);
    const back = decodeRegisterBrokerBody(Buffer.from(bodies.registerBrokerBody498));
    expect(back.topicConfigSerializeWrapper.topicConfigTable.TopicTest.writeQueueNums).toBe(4);
    expect(back.topicConfigSerializeWrapper.dataVersion.counter).toBe(5);
  });

  it('compressed 5.x: our inflated stream equals the hand-written vector, and decodes', () => {
    const want = hex('register-body-inflated-5x.hex');
    const w = {
      dataVersion: wrapper.dataVersion,
      topicConfigTable: {
        TopicTest: newTopicConfig('TopicTest', { readQueueNums: 4, writeQueueNums: 4 }),
        OrderTopic: newTopicConfig('OrderTopic', { readQueueNums: 8, writeQueueNums: 2, perm: 4, topicFilterType: 'MULTI_TAG', attributes: { '+delete.policy': 'COMPACTION' } }),
      },
    };
    const deflated = encodeRegisterBrokerBody({ topicConfigSerializeWrapper: w, filterServerList: [] }, { compressed: true });
    expect(zlib.inflateSync(deflated).toString('hex')).toBe(want.toString('hex'));
    const back = decodeRegisterBrokerBody(zlib.deflateSync(want, { level: 9 }), { compressed: true });
    expect(back.topicConfigSerializeWrapper.topicConfigTable.OrderTopic).toMatchObject({
      readQueueNums: 8, writeQueueNums: 2, perm: 4, topicFilterType: 'MULTI_TAG', attributes: { '+delete.policy': 'COMPACTION' },
    });
    expect(back.topicConfigSerializeWrapper.topicQueueMappingInfoMap).toEqual({});
  });

  it('compressed 4.9.8: 5-field topic lines, filter servers, no mapping section', () => {
    const back = decodeRegisterBrokerBody(zlib.deflateSync(hex('register-body-inflated-498.hex')), { compressed: true });
    expect(back.filterServerList).toEqual(['10.0.0.9:4000']);
    expect(back.topicConfigSerializeWrapper.dataVersion).toEqual({ counter: 5, stateVersion: 0, timestamp: 1700000000000 });
    expect(back.topicConfigSerializeWrapper.topicConfigTable.TopicTest).toMatchObject({ readQueueNums: 4, writeQueueNums: 4, perm: 6, attributes: {} });
    const legacy = encodeRegisterBrokerBody(
      { topicConfigSerializeWrapper: { dataVersion: { counter: 5, stateVersion: 0, timestamp: 1700000000000 }, topicConfigTable: { TopicTest: newTopicConfig('TopicTest', { readQueueNums: 4, writeQueueNums: 4 }) } }, filterServerList: ['10.0.0.9:4000'] },
      { compressed: true, legacy: true },
    );
    expect(zlib.inflateSync(legacy).toString('hex')).toBe(hex('register-body-inflated-498.hex').toString('hex'));
  });

  it('rejects truncated or garbage compressed bodies with a clear error', () => {
    const raw = hex('register-body-inflated-5x.hex');
    expect(() => decodeRegisterBrokerBody(zlib.deflateSync(raw.subarray(0, 30)), { compressed: true })).toThrow(/RegisterBrokerBody/);
    expect(() => decodeRegisterBrokerBody(Buffer.from('not zlib at all'), { compressed: true })).toThrow(/RegisterBrokerBody/);
    const bad = Buffer.from(raw);
    bad.writeInt32BE(0x7fffffff, 0);
    expect(() => decodeRegisterBrokerBody(zlib.deflateSync(bad), { compressed: true })).toThrow(/bad length/);
  });

  it('refuses a deflate bomb beyond the inflate limit', async () => {
    const { MAX_INFLATED } = await import('../../../src/protocol/route.js');
    const bomb = zlib.deflateSync(Buffer.alloc(MAX_INFLATED + 1024), { level: 1 });
    expect(bomb.length).toBeLessThan(1024 * 1024);
    expect(() => decodeRegisterBrokerBody(bomb, { compressed: true })).toThrow(/RegisterBrokerBody/);
  });

  it('reads a deflated body announced as compressed=false (5.x compressedRegister)', () => {
    const body = zlib.deflateSync(hex('register-body-inflated-5x.hex'), { level: 9 });
    const back = decodeRegisterBrokerBody(body, { compressed: false });
    expect(Object.keys(back.topicConfigSerializeWrapper.topicConfigTable).sort()).toEqual(['OrderTopic', 'TopicTest']);
  });

  it('an absent body registers no topics', () => {
    expect(decodeRegisterBrokerBody(undefined).topicConfigSerializeWrapper.topicConfigTable).toEqual({});
  });
});

describe('client and admin bodies', () => {
  it('HeartbeatData (requests.md §4) encodes byte-exact and decodes', () => {
    const hb = decodeHeartbeatData(bodies.heartbeatData);
    expect(hb.clientID).toBe('192.168.1.10@12345#82361349227');
    expect(hb.consumerDataSet[0].subscriptionDataSet[0].codeSet).toEqual([2598919, 2598920]);
    expect(hb.producerDataSet).toEqual([{ groupName: 'CLIENT_INNER_PRODUCER' }]);
    expect(encodeHeartbeatData(hb).toString()).toBe(bodies.heartbeatData);
  });

  it('lock batch bodies', () => {
    const req = decodeLockBatchRequestBody(bodies.lockBatchRequest);
    expect(req.mqSet).toEqual([{ topic: 'TopicTest', brokerName: 'broker-a', queueId: 0 }]);
    expect(encodeLockBatchRequestBody(req).toString()).toBe(bodies.lockBatchRequest);
    expect(encodeLockBatchResponseBody({ lockOKMQSet: req.mqSet }).toString()).toBe(bodies.lockBatchResponse);
  });

  it('object-keyed maps: TopicStatsTable, ConsumeStats, ResetOffsetBody', () => {
    const ts = decodeTopicStatsTable(bodies.topicStatsTable);
    expect(ts.offsetTable).toEqual([[{ topic: 'T', brokerName: 'broker-a', queueId: 0 }, { minOffset: 0, maxOffset: 10, lastUpdateTimestamp: 1700000000000 }]]);
    expect(encodeTopicStatsTable(ts).toString()).toBe(bodies.topicStatsTable);
    const cs = decodeConsumeStats(bodies.consumeStats);
    expect(cs.offsetTable[0][1]).toEqual({ brokerOffset: 10, consumerOffset: 8, pullOffset: 8, lastTimestamp: 1700000000000 });
    expect(encodeConsumeStats(cs).toString()).toBe(bodies.consumeStats);
    const ro = decodeResetOffsetBody(bodies.resetOffsetBody);
    expect(ro.offsetTable).toEqual([[{ topic: 'T', brokerName: 'broker-a', queueId: 0 }, 42]]);
    expect(encodeResetOffsetBody(ro).toString()).toBe(bodies.resetOffsetBody);
    expect(encodeResetOffsetBodyForC(ro).toString()).toBe(bodies.resetOffsetBodyForC);
    expect(decodeResetOffsetBody(bodies.resetOffsetBodyForC)).toEqual(ro);
  });

  it('ConsumeMessageDirectlyResult', () => {
    const r = decodeConsumeMessageDirectlyResult(bodies.consumeMessageDirectlyResult);
    expect(r.consumeResult).toBe('CR_SUCCESS');
    expect(encodeConsumeMessageDirectlyResult(r).toString()).toBe(bodies.consumeMessageDirectlyResult);
  });
});

describe('hostile member names', () => {
  it('a topic or namespace called __proto__ stays an ordinary member', async () => {
    const { decodeTopicConfigWrapper } = await import('../../../src/protocol/route.js');
    const { parseJavaProperties } = await import('../../../src/protocol/java-properties.js');
    const w = decodeTopicConfigWrapper(zlib.inflateSync(zlib.deflateSync(Buffer.from('{"topicConfigTable":{"__proto__x":{"perm":6}},"dataVersion":{}}'))));
    expect(Object.keys(w.topicConfigTable)).toEqual(['__proto__x']);
    const back = decodeRegisterBrokerBody(
      encodeRegisterBrokerBody({ filterServerList: [], topicConfigSerializeWrapper: { dataVersion: { counter: 1, stateVersion: 0, timestamp: 1 }, topicConfigTable: { x: newTopicConfig('__proto__') } } }, { compressed: true }),
      { compressed: true },
    );
    expect(Object.keys(back.topicConfigSerializeWrapper.topicConfigTable)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(back.topicConfigSerializeWrapper.topicConfigTable)).toBe(Object.prototype);
    expect(parseJavaProperties('__proto__=1')).toHaveProperty('__proto__', '1');
  });
});

describe('subscription group config', () => {
  it('5.x and 4.9.8 member sets (storage.md §9)', async () => {
    const { newSubscriptionGroupConfig, encodeSubscriptionGroupConfig, decodeSubscriptionGroupConfig } = await import('../../../src/protocol/admin.js');
    const g = newSubscriptionGroupConfig('G1');
    expect(encodeSubscriptionGroupConfig(g).toString()).toBe(
      '{"attributes":{},"brokerId":0,"consumeBroadcastEnable":true,"consumeEnable":true,"consumeFromMinEnable":true,"consumeMessageOrderly":false,"consumeTimeoutMinute":15,"groupName":"G1","groupRetryPolicy":{"type":"CUSTOMIZED"},"groupSysFlag":0,"notifyConsumerIdsChangedEnable":true,"retryMaxTimes":16,"retryQueueNums":1,"whichBrokerWhenConsumeSlowly":1}',
    );
    expect(encodeSubscriptionGroupConfig(g, { legacy: true }).toString()).toBe(
      '{"brokerId":0,"consumeBroadcastEnable":true,"consumeEnable":true,"consumeFromMinEnable":true,"groupName":"G1","notifyConsumerIdsChangedEnable":true,"retryMaxTimes":16,"retryQueueNums":1,"whichBrokerWhenConsumeSlowly":1}',
    );
    const back = decodeSubscriptionGroupConfig('{"groupName":"G2","retryMaxTimes":"3","consumeEnable":false}');
    expect(back).toMatchObject({ groupName: 'G2', retryMaxTimes: 3, consumeEnable: false, retryQueueNums: 1 });
  });
});

describe('topics.json shape', () => {
  it('pretty TopicConfigSerializeWrapper without mapping members (storage.md §9)', async () => {
    const { encodeTopicConfigWrapper } = await import('../../../src/protocol/route.js');
    const text = encodeTopicConfigWrapper(
      { dataVersion: { counter: 2, stateVersion: 0, timestamp: 1700000000000 }, topicConfigTable: { TopicTest: newTopicConfig('TopicTest', { readQueueNums: 4, writeQueueNums: 4 }) } },
      { pretty: true, withMapping: false },
    ).toString();
    expect(text).toBe(
      '{\n\t"dataVersion":{\n\t\t"counter":2,\n\t\t"stateVersion":0,\n\t\t"timestamp":1700000000000\n\t},\n\t"topicConfigTable":{\n\t\t"TopicTest":{\n\t\t\t"attributes":{},\n\t\t\t"order":false,\n\t\t\t"perm":6,\n\t\t\t"readQueueNums":4,\n\t\t\t"topicFilterType":"SINGLE_TAG",\n\t\t\t"topicName":"TopicTest",\n\t\t\t"topicSysFlag":0,\n\t\t\t"writeQueueNums":4\n\t\t}\n\t}\n}',
    );
  });
});
