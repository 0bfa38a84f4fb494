// Request-by-request semantics of the name server (requests.md §5, semantics.md §13), in process.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodyCrc } from '../../../src/common/crc32.js';
import { type NamesrvHandle, startNamesrv } from '../../../src/namesrv/index.js';
import { RemotingClient } from '../../../src/remoting/client.js';
import { RemotingCommand, SerializeType } from '../../../src/remoting/command.js';
import { RequestCode, ResponseCode } from '../../../src/protocol/codes.js';
import { decodeKVTable, decodeTopicList } from '../../../src/protocol/admin.js';
import { parseJavaProperties } from '../../../src/protocol/java-properties.js';
import { RegisterBrokerRequestHeader } from '../../../src/protocol/namesrv.js';
import { decodeBrokerMemberGroupBody, decodeDataVersion, encodeDataVersion, encodeRegisterBrokerBody, encodeTopicRouteData } from '../../../src/protocol/route.js';
import { getClusterInfo, getRoute, registerBroker, topic } from './helpers.js';

let ns: NamesrvHandle;
let tmp: string;
const c = new RemotingClient();

async function call(code: number, fields?: Record<string, unknown>, body?: Buffer, serializeType: 0 | 1 = 0): Promise<RemotingCommand> {
  const req = RemotingCommand.createRequest(code, fields, body);
  req.serializeType = serializeType;
  return c.invoke(ns.addr, req, 5000);
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'mqctl-nsproc-'));
  ns = await startNamesrv({
    host: '127.0.0.1',
    port: 0,
    kvConfigPath: join(tmp, 'kv', 'kvConfig.json'),
    config: { configStorePath: join(tmp, 'namesrv.properties'), orderMessageEnable: 'true' },
  });
  await registerBroker(c, ns.addr, { cluster: 'C1', brokerName: 'b1', brokerId: 0, brokerAddr: '10.0.0.1:10911', topics: [topic('T1', 4, 4), topic('Shared', 2, 2)] });
  await registerBroker(c, ns.addr, { cluster: 'C2', brokerName: 'b2', brokerId: 0, brokerAddr: '10.0.0.2:10911', topics: [topic('T2', 1, 1), topic('Shared', 3, 3)] });
});

afterAll(async () => {
  c.close();
  await ns.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('namesrv processors', () => {
  it('KV config: put/get/list/delete, Apache remarks, kvConfig.json on disk', async () => {
    expect((await call(RequestCode.PUT_KV_CONFIG, { namespace: 'NS', key: 'k1', value: 'v1' })).code).toBe(0);
    expect((await call(RequestCode.PUT_KV_CONFIG, { namespace: 'NS', key: 'k2', value: 'v2' })).code).toBe(0);
    const got = await call(RequestCode.GET_KV_CONFIG, { namespace: 'NS', key: 'k1' });
    expect(got.code).toBe(0);
    expect(got.extFields?.value).toBe('v1');
    const missing = await call(RequestCode.GET_KV_CONFIG, { namespace: 'NS', key: 'nope' });
    expect(missing.code).toBe(ResponseCode.QUERY_NOT_FOUND);
    expect(missing.remark).toBe('No config item, Namespace: NS Key: nope');
    const list = await call(RequestCode.GET_KVLIST_BY_NAMESPACE, { namespace: 'NS' });
    expect(decodeKVTable(list.body!).table).toEqual({ k1: 'v1', k2: 'v2' });
    const noNs = await call(RequestCode.GET_KVLIST_BY_NAMESPACE, { namespace: 'X' });
    expect(noNs.code).toBe(22);
    expect(noNs.remark).toBe('No config item, Namespace: X');
    expect((await call(RequestCode.DELETE_KV_CONFIG, { namespace: 'NS', key: 'k2' })).code).toBe(0);
    const file = JSON.parse(readFileSync(join(tmp, 'kv', 'kvConfig.json'), 'utf8'));
    expect(file).toEqual({ configTable: { NS: { k1: 'v1' } } });
    expect(existsSync(join(tmp, 'kv', 'kvConfig.json.bak'))).toBe(true);
    // a missing required header field is a SYSTEM_ERROR, and the server goes on
    const bad = await call(RequestCode.PUT_KV_CONFIG, { namespace: 'NS', key: 'k3' });
    expect(bad.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(bad.remark).toContain('value');
  });

  it('order topic config: route orderTopicConf and returned to registering brokers', async () => {
    await call(RequestCode.PUT_KV_CONFIG, { namespace: 'ORDER_TOPIC_CONFIG', key: 'T1', value: 'b1:4' });
    const r = await getRoute(c, ns.addr, 'T1');
    expect(r.route!.orderTopicConf).toBe('b1:4');
    const reg = await registerBroker(c, ns.addr, { cluster: 'C1', brokerName: 'b1', brokerId: 0, brokerAddr: '10.0.0.1:10911', topics: [topic('T1', 4, 4), topic('Shared', 2, 2)] });
    expect(decodeKVTable(reg.body!).table).toEqual({ T1: 'b1:4' });
  });

  it('topic lists: all, by cluster, system', async () => {
    const all = decodeTopicList((await call(RequestCode.GET_ALL_TOPIC_LIST_FROM_NAMESERVER)).body!);
    expect(all.topicList.sort()).toEqual(['Shared', 'T1', 'T2']);
    const byC2 = decodeTopicList((await call(RequestCode.GET_TOPICS_BY_CLUSTER, { cluster: 'C2' })).body!);
    expect(byC2.topicList.sort()).toEqual(['Shared', 'T2']);
    const sys = decodeTopicList((await call(RequestCode.GET_SYSTEM_TOPIC_LIST_FROM_NS)).body!);
    expect(sys.topicList.sort()).toEqual(['C1', 'C2', 'b1', 'b2']);
    expect(['10.0.0.1:10911', '10.0.0.2:10911']).toContain(sys.brokerAddr);
  });

  it('wipe/add write perm touches only the namesrv queue data of that broker', async () => {
    const wipe = await call(RequestCode.WIPE_WRITE_PERM_OF_BROKER, { brokerName: 'b2' });
    expect(wipe.code).toBe(0);
    expect(wipe.extFields?.wipeTopicCount).toBe('2');
    let r = await getRoute(c, ns.addr, 'Shared');
    const perm = (name: string): number | undefined => r.route!.queueDatas.find((q) => q.brokerName === name)?.perm;
    expect(perm('b2')).toBe(4);
    expect(perm('b1')).toBe(6);
    const add = await call(RequestCode.ADD_WRITE_PERM_OF_BROKER, { brokerName: 'b2' });
    expect(add.extFields?.addTopicCount).toBe('2');
    r = await getRoute(c, ns.addr, 'Shared');
    expect(perm('b2')).toBe(6);
  });

  it('QUERY_DATA_VERSION reports changes and returns the known version', async () => {
    const h = { brokerName: 'b1', brokerAddr: '10.0.0.1:10911', clusterName: 'C1', brokerId: 0 };
    const same = await call(RequestCode.QUERY_DATA_VERSION, h, encodeDataVersion({ counter: 1, stateVersion: 0, timestamp: 1700000000001 }));
    expect(same.extFields?.changed).toBe('false');
    expect(decodeDataVersion(same.body!).counter).toBe(1);
    const other = await call(RequestCode.QUERY_DATA_VERSION, h, encodeDataVersion({ counter: 9, stateVersion: 0, timestamp: 1 }));
    expect(other.extFields?.changed).toBe('true');
  });

  it('compressed registration with a correct bodyCrc32; a wrong crc is refused', async () => {
    const body = encodeRegisterBrokerBody(
      { filterServerList: [], topicConfigSerializeWrapper: { dataVersion: { counter: 1, stateVersion: 0, timestamp: 5 }, topicConfigTable: { TZ: topic('TZ', 5, 5) } } },
      { compressed: true },
    );
    expect(zlib.inflateSync(body).length).toBeGreaterThan(0);
    const header = { brokerName: 'bz', brokerAddr: '10.0.0.9:10911', clusterName: 'CZ', haServerAddr: '10.0.0.9:10912', brokerId: 0, compressed: true, bodyCrc32: bodyCrc(body) };
    const bad = await call(RequestCode.REGISTER_BROKER, RegisterBrokerRequestHeader.toFields({ ...header, bodyCrc32: (bodyCrc(body) + 1) & 0x7fffffff }), body);
    expect(bad.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(bad.remark).toBe('crc32 not match');
    expect((await getRoute(c, ns.addr, 'TZ')).code).toBe(17);
    const ok = await call(RequestCode.REGISTER_BROKER, RegisterBrokerRequestHeader.toFields(header), body, SerializeType.ROCKETMQ);
    expect(ok.code).toBe(0);
    expect((await getRoute(c, ns.addr, 'TZ')).route!.queueDatas[0]).toMatchObject({ brokerName: 'bz', readQueueNums: 5, writeQueueNums: 5 });
    // a corrupt compressed body is a SYSTEM_ERROR, not a crash
    const junk = await call(RequestCode.REGISTER_BROKER, RegisterBrokerRequestHeader.toFields({ ...header, bodyCrc32: 0 }), Buffer.from('garbage'));
    expect(junk.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(junk.remark).toMatch(/RegisterBrokerBody/);
  });

  it('a slave re-registering under the master id replaces the old id entry', async () => {
    await registerBroker(c, ns.addr, { cluster: 'CS', brokerName: 'bs', brokerId: 0, brokerAddr: '10.0.5.1:10911', topics: [topic('TS', 2, 2)] });
    await registerBroker(c, ns.addr, { cluster: 'CS', brokerName: 'bs', brokerId: 1, brokerAddr: '10.0.5.2:10911', topics: [] });
    await call(RequestCode.UNREGISTER_BROKER, { brokerName: 'bs', brokerAddr: '10.0.5.1:10911', clusterName: 'CS', brokerId: 0 });
    let bd = (await getClusterInfo(c, ns.addr)).info.brokerAddrTable.bs;
    expect([...bd.brokerAddrs.entries()]).toEqual([[1, '10.0.5.2:10911']]);
    // topics survive while the broker name still has an address
    expect((await getRoute(c, ns.addr, 'TS')).code).toBe(0);
    await registerBroker(c, ns.addr, { cluster: 'CS', brokerName: 'bs', brokerId: 0, brokerAddr: '10.0.5.2:10911', topics: [topic('TS', 2, 2)] });
    bd = (await getClusterInfo(c, ns.addr)).info.brokerAddrTable.bs;
    expect([...bd.brokerAddrs.entries()]).toEqual([[0, '10.0.5.2:10911']]);
    await call(RequestCode.UNREGISTER_BROKER, { brokerName: 'bs', brokerAddr: '10.0.5.2:10911', clusterName: 'CS', brokerId: 0 });
    expect((await getClusterInfo(c, ns.addr)).info.brokerAddrTable.bs).toBeUndefined();
    expect((await getRoute(c, ns.addr, 'TS')).code).toBe(17);
  });

  it('DELETE_TOPIC_IN_NAMESRV with and without cluster; REGISTER_TOPIC_IN_NAMESRV', async () => {
    await call(RequestCode.DELETE_TOPIC_IN_NAMESRV, { topic: 'Shared', clusterName: 'C2' });
    expect((await getRoute(c, ns.addr, 'Shared')).route!.queueDatas.map((q) => q.brokerName)).toEqual(['b1']);
    await call(RequestCode.DELETE_TOPIC_IN_NAMESRV, { topic: 'Shared' });
    expect((await getRoute(c, ns.addr, 'Shared')).code).toBe(17);
    const rd = { queueDatas: [{ brokerName: 'b2', readQueueNums: 7, writeQueueNums: 7, perm: 6, topicSysFlag: 0 }, { brokerName: 'ghost', readQueueNums: 1, writeQueueNums: 1, perm: 6, topicSysFlag: 0 }], brokerDatas: [], filterServerTable: {} };
    expect((await call(RequestCode.REGISTER_TOPIC_IN_NAMESRV, { topic: 'Static' }, encodeTopicRouteData(rd))).code).toBe(0);
    const r = await getRoute(c, ns.addr, 'Static');
    expect(r.route!.queueDatas).toEqual([{ brokerName: 'b2', readQueueNums: 7, writeQueueNums: 7, perm: 6, topicSysFlag: 0 }]);
  });

  it('namesrv config: GET as sorted properties, UPDATE applies and persists, black list refused', async () => {
    const get = await call(RequestCode.GET_NAMESRV_CONFIG);
    const text = get.body!.toString();
    const keys = text.trim().split('\n').map((l) => l.split('=')[0]);
    expect(keys).toEqual([...keys].sort());
    expect(parseJavaProperties(text).orderMessageEnable).toBe('true');
    const upd = await call(RequestCode.UPDATE_NAMESRV_CONFIG, undefined, Buffer.from('enableAllTopicList = false\n# c\n'));
    expect(upd.code).toBe(0);
    const disabled = await call(RequestCode.GET_ALL_TOPIC_LIST_FROM_NAMESERVER);
    expect(disabled.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(disabled.remark).toBe('disable');
    expect(parseJavaProperties(readFileSync(join(tmp, 'namesrv.properties'), 'utf8')).enableAllTopicList).toBe('false');
    const black = await call(RequestCode.UPDATE_NAMESRV_CONFIG, undefined, Buffer.from('kvConfigPath=/etc/passwd\n'));
    expect(black.code).toBe(ResponseCode.NO_PERMISSION);
    expect(black.remark).toBe('Can not update config in black list.');
    expect(ns.config.kvConfigPath).toBe(join(tmp, 'kv', 'kvConfig.json'));
    const badNum = await call(RequestCode.UPDATE_NAMESRV_CONFIG, undefined, Buffer.from('scanNotActiveBrokerInterval=soon\nenableAllTopicList=true\n'));
    expect(badNum.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(ns.config.enableAllTopicList).toBe(false);
    await call(RequestCode.UPDATE_NAMESRV_CONFIG, undefined, Buffer.from('enableAllTopicList=true\n'));
  });

  it('GET_BROKER_MEMBER_GROUP and BROKER_HEARTBEAT', async () => {
    const r = await call(RequestCode.GET_BROKER_MEMBER_GROUP, { clusterName: 'C1', brokerName: 'b1' });
    expect(r.body!.toString()).toBe('{"brokerMemberGroup":{"brokerAddrs":{0:"10.0.0.1:10911"},"brokerName":"b1","cluster":"C1"}}');
    const none = decodeBrokerMemberGroupBody((await call(RequestCode.GET_BROKER_MEMBER_GROUP, { clusterName: 'C9', brokerName: 'zz' })).body!);
    expect(none.brokerAddrs.size).toBe(0);
    const hb = await call(RequestCode.BROKER_HEARTBEAT, { clusterName: 'C1', brokerAddr: '10.0.0.1:10911', brokerName: 'b1', brokerId: 0 });
    expect(hb.code).toBe(0);
  });

  it('unknown codes get Apache\'s REQUEST_CODE_NOT_SUPPORTED remark', async () => {
    const r = await call(RequestCode.SEND_MESSAGE_V2, { a: 'x' });
    expect(r.code).toBe(ResponseCode.REQUEST_CODE_NOT_SUPPORTED);
    expect(r.remark).toBe(' request type 310 not supported');
  });
});
