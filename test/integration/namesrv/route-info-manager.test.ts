// RouteInfoManager alone, with a fake clock: registration rules, expiry, channel close (semantics.md §13).
import { describe, expect, it } from 'vitest';
import { RouteInfoManager, type LiveChannel } from '../../../src/namesrv/route-info-manager.js';
import { newTopicConfig, type TopicConfigSerializeWrapper } from '../../../src/protocol/route.js';

function wrapper(counter: number, topics: Array<[string, number, number, number?]>): TopicConfigSerializeWrapper {
  return {
    dataVersion: { counter, stateVersion: 0, timestamp: 1000 + counter },
    topicConfigTable: Object.fromEntries(topics.map(([n, r, w, p]) => [n, newTopicConfig(n, { readQueueNums: r, writeQueueNums: w, perm: p ?? 6 })])),
  };
}

function channel(id: string): LiveChannel & { closed: boolean } {
  return { id, closed: false, close() { this.closed = true; } };
}

describe('RouteInfoManager', () => {
  it('master+slave share one BrokerData; only the master writes queue data', () => {
    const rim = new RouteInfoManager();
    rim.registerBroker({ clusterName: 'C', brokerName: 'a', brokerId: 0, brokerAddr: 'h0:1', haServerAddr: 'h0:2', topicConfigWrapper: wrapper(1, [['T', 4, 4]]) });
    const res = rim.registerBroker({ clusterName: 'C', brokerName: 'a', brokerId: 2, brokerAddr: 'h2:1', topicConfigWrapper: wrapper(1, [['T', 1, 1, 4], ['SlaveOnly', 1, 1]]) });
    expect(res).toEqual({ masterAddr: 'h0:1', haServerAddr: 'h0:2' });
    const rd = rim.pickupTopicRouteData('T')!;
    expect(rd.brokerDatas).toHaveLength(1);
    expect([...rd.brokerDatas[0].brokerAddrs.entries()]).toEqual([[0, 'h0:1'], [2, 'h2:1']]);
    expect(rd.queueDatas).toEqual([{ brokerName: 'a', readQueueNums: 4, writeQueueNums: 4, perm: 6, topicSysFlag: 0 }]);
    expect(rim.pickupTopicRouteData('SlaveOnly')).toBeUndefined();
  });

  it('a slave without a live master gets no master address', () => {
    const rim = new RouteInfoManager();
    expect(rim.registerBroker({ clusterName: 'C', brokerName: 'a', brokerId: 1, brokerAddr: 'h1:1' })).toEqual({});
  });

  it('queue data changes only with a new DataVersion (or a new topic)', () => {
    const rim = new RouteInfoManager();
    rim.registerBroker({ clusterName: 'C', brokerName: 'a', brokerId: 0, brokerAddr: 'h0:1', topicConfigWrapper: wrapper(1, [['T', 4, 4]]) });
    rim.operateWritePermOfBroker('a', true);
    // same version: the wiped perm survives (WIPE persists until the broker's DataVersion changes)
    rim.registerBroker({ clusterName: 'C', brokerName: 'a', brokerId: 0, brokerAddr: 'h0:1', topicConfigWrapper: wrapper(1, [['T', 4, 4]]) });
    expect(rim.pickupTopicRouteData('T')!.queueDatas[0].perm).toBe(4);
    rim.registerBroker({ clusterName: 'C', brokerName: 'a', brokerId: 0, brokerAddr: 'h0:1', topicConfigWrapper: wrapper(2, [['T', 8, 8]]) });
    expect(rim.pickupTopicRouteData('T')!.queueDatas[0]).toMatchObject({ perm: 6, readQueueNums: 8 });
  });

  it('deleteMissingTopics drops topics the master stopped reporting', () => {
    const rim = new RouteInfoManager();
    rim.registerBroker({ clusterName: 'C', brokerName: 'a', brokerId: 0, brokerAddr: 'h0:1', topicConfigWrapper: wrapper(1, [['T', 4, 4], ['Old', 1, 1]]) });
    rim.registerBroker({ clusterName: 'C', brokerName: 'a', brokerId: 0, brokerAddr: 'h0:1', topicConfigWrapper: wrapper(2, [['T', 4, 4]]) });
    expect(rim.pickupTopicRouteData('Old')).toBeDefined();
    rim.registerBroker({ clusterName: 'C', brokerName: 'a', brokerId: 0, brokerAddr: 'h0:1', topicConfigWrapper: wrapper(3, [['T', 4, 4]]), deleteMissingTopics: true });
    expect(rim.pickupTopicRouteData('Old')).toBeUndefined();
  });

  it('expires silent brokers after their timeout and closes their channel', () => {
    let now = 0;
    const rim = new RouteInfoManager(undefined, 120_000, () => now);
    const chA = channel('a');
    const chB = channel('b');
    rim.registerBroker({ clusterName: 'C', brokerName: 'a', brokerId: 0, brokerAddr: 'h0:1', channel: chA, topicConfigWrapper: wrapper(1, [['T', 4, 4]]) });
    rim.registerBroker({ clusterName: 'C', brokerName: 'b', brokerId: 0, brokerAddr: 'h1:1', channel: chB, heartbeatTimeoutMillis: 10_000, topicConfigWrapper: wrapper(1, [['T', 2, 2], ['TB', 1, 1]]) });
    now = 10_001;
    expect(rim.scanNotActiveBroker()).toBe(1);
    expect(chB.closed).toBe(true);
    expect(rim.brokerAddrTable.has('b')).toBe(false);
    expect(rim.pickupTopicRouteData('TB')).toBeUndefined();
    expect(rim.pickupTopicRouteData('T')!.queueDatas.map((q) => q.brokerName)).toEqual(['a']);
    now = 120_000;
    expect(rim.scanNotActiveBroker()).toBe(0);
    rim.updateBrokerInfoUpdateTimestamp('C', 'h0:1');
    now = 240_000;
    expect(rim.scanNotActiveBroker()).toBe(0);
    now = 240_001;
    expect(rim.scanNotActiveBroker()).toBe(1);
    expect(chA.closed).toBe(true);
    expect(rim.getAllClusterInfo()).toEqual({ brokerAddrTable: {}, clusterAddrTable: {} });
  });

  it('a closed channel unregisters its broker at once; the other address of the name stays', () => {
    const rim = new RouteInfoManager();
    const m = channel('m');
    const s = channel('s');
    rim.registerBroker({ clusterName: 'C', brokerName: 'a', brokerId: 0, brokerAddr: 'h0:1', channel: m, topicConfigWrapper: wrapper(1, [['T', 4, 4]]) });
    rim.registerBroker({ clusterName: 'C', brokerName: 'a', brokerId: 1, brokerAddr: 'h1:1', channel: s });
    rim.onChannelDestroy(m);
    const bd = rim.brokerAddrTable.get('a')!;
    expect([...bd.brokerAddrs.entries()]).toEqual([[1, 'h1:1']]);
    expect(rim.pickupTopicRouteData('T')).toBeDefined();
    rim.onChannelDestroy(channel('unrelated'));
    expect(rim.brokerAddrTable.has('a')).toBe(true);
    rim.onChannelDestroy(s);
    expect(rim.brokerAddrTable.has('a')).toBe(false);
    expect(rim.pickupTopicRouteData('T')).toBeUndefined();
  });

  it('ignores a stale registration of a broker id that moved (5.x stateVersion)', () => {
    const rim = new RouteInfoManager();
    const w = wrapper(1, [['T', 4, 4]]);
    w.dataVersion.stateVersion = 5;
    rim.registerBroker({ clusterName: 'C', brokerName: 'a', brokerId: 0, brokerAddr: 'new:1', topicConfigWrapper: w });
    const stale = wrapper(1, [['T', 1, 1]]);
    stale.dataVersion.stateVersion = 2;
    rim.registerBroker({ clusterName: 'C', brokerName: 'a', brokerId: 0, brokerAddr: 'old:1', topicConfigWrapper: stale });
    expect(rim.brokerAddrTable.get('a')!.brokerAddrs.get(0)).toBe('new:1');
    expect(rim.pickupTopicRouteData('T')!.queueDatas[0].readQueueNums).toBe(4);
  });

  it('unit topic lists follow topicSysFlag bits', () => {
    const rim = new RouteInfoManager();
    const w = wrapper(1, [['U', 1, 1], ['US', 1, 1], ['N', 1, 1]]);
    w.topicConfigTable.U.topicSysFlag = 1;
    w.topicConfigTable.US.topicSysFlag = 2;
    rim.registerBroker({ clusterName: 'C', brokerName: 'a', brokerId: 0, brokerAddr: 'h:1', topicConfigWrapper: w });
    expect(rim.getUnitTopics()).toEqual(['U']);
    expect(rim.getHasUnitSubTopics()).toEqual(['US']);
    expect(rim.getHasUnitSubUnUnitTopics()).toEqual(['US']);
  });
});

describe('RouteInfoManager acting master', () => {
  it('shows the lowest slave as id 0 only when supported and enabled', () => {
    const rim = new RouteInfoManager();
    rim.registerBroker({ clusterName: 'C', brokerName: 'a', brokerId: 0, brokerAddr: 'm:1', enableActingMaster: true, topicConfigWrapper: wrapper(1, [['T', 4, 4]]) });
    rim.registerBroker({ clusterName: 'C', brokerName: 'a', brokerId: 2, brokerAddr: 's2:1', enableActingMaster: true });
    rim.registerBroker({ clusterName: 'C', brokerName: 'a', brokerId: 1, brokerAddr: 's1:1', enableActingMaster: true });
    rim.unregisterBroker('C', 'm:1', 'a', 0);
    expect([...rim.pickupTopicRouteData('T')!.brokerDatas[0].brokerAddrs.entries()]).toEqual([[1, 's1:1'], [2, 's2:1']]);
    expect([...rim.pickupTopicRouteData('T', { supportActingMaster: true })!.brokerDatas[0].brokerAddrs.entries()]).toEqual([[0, 's1:1'], [2, 's2:1']]);
    // the registry itself is unchanged
    expect([...rim.brokerAddrTable.get('a')!.brokerAddrs.keys()]).toEqual([1, 2]);
  });
});
