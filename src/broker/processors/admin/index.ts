/**
 * Entry point of the broker admin processors: adapts the BrokerContext to the AdminDeps port the processors
 * are written against, registers every admin request code (and Apache's not-supported default), and plugs the
 * rebalance lock manager into the context (`isGroupLocked`, used by the retry path for orderly groups).
 */
import fs from 'node:fs';
import path from 'node:path';
import { nextDataVersion, newDataVersion, type DataVersion } from '../../../protocol/route.js';
import { parseDelayOffsetJson } from '../../schedule/delay-offset-table.js';
import type { RemotingServer } from '../../../remoting/server.js';
import { configToProperties } from '../../config.js';
import { applyConfigUpdate } from './config-update.js';
import type { BrokerContext, ConsumerGroupInfo } from '../../context.js';
import type { AdminDeps, ClientConn, ConsumerGroupView } from './deps.js';
import { RebalanceLockManager } from './lock.js';
import { registerAdminTable } from './register.js';

export { RebalanceLockManager } from './lock.js';
export type { AdminDeps } from './deps.js';

const TPS_WINDOWS = [10, 60, 600];
type TpsKind = 'put' | 'getFound' | 'getTransferred' | 'getMiss' | 'getTotal';

function groupView(info: ConsumerGroupInfo): ConsumerGroupView {
  return {
    consumeType: info.consumeType,
    messageModel: info.messageModel,
    consumeFromWhere: info.consumeFromWhere,
    subscriptions: [...info.subscriptions.values()],
    clients: [...info.channels.values()],
  };
}

/** AdminDeps over the live broker: every call reads the managers' current state. */
export function adminDepsFromContext(ctx: BrokerContext): AdminDeps {
  let configVersion: DataVersion = newDataVersion(ctx.startTime);
  const tps = (kind: TpsKind, seconds: number): number => {
    const i = TPS_WINDOWS.indexOf(seconds);
    return Number(ctx.stats.tpsTriple(kind).split(' ')[i < 0 ? 0 : i]) || 0;
  };
  return {
    // read at call time: the address is only known once the server is bound
    get brokerName() {
      return ctx.config.brokerName;
    },
    get clusterName() {
      return ctx.config.brokerClusterName;
    },
    get brokerAddr() {
      return ctx.brokerAddr;
    },
    get startTime() {
      return ctx.startTime;
    },
    isSlave: () => ctx.config.brokerRole === 'SLAVE',
    logger: ctx.logger,
    topics: {
      get: (t) => ctx.topics.get(t),
      table: () => ctx.topics.tableSnapshot(),
      dataVersion: () => ctx.topics.dataVersion,
      put: (tc) => ctx.topics.put(tc, `topic ${tc.topicName} updated by admin`),
      remove: (t) => {
        ctx.topics.delete(t);
      },
      bumpDataVersion: () => {
        ctx.topics.dataVersion = nextDataVersion(ctx.topics.dataVersion);
        ctx.topics.persist();
      },
    },
    groups: {
      get: (g) => ctx.groups.get(g),
      table: () => ctx.groups.tableSnapshot(),
      dataVersion: () => ctx.groups.dataVersion,
      forbiddenTable: () => ctx.groups.forbidden(),
      put: (g) => ctx.groups.put(g),
      remove: (g) => {
        ctx.groups.delete(g);
      },
    },
    offsets: {
      query: (g, t, q) => ctx.offsets.query(g, t, q),
      table: (g, t) => ctx.offsets.queryAll(g, t),
      commit: (g, t, q, o) => ctx.offsets.commit(g, t, q, o),
      topicsOf: (g) => ctx.offsets.topicsOfGroup(g),
      groupsOf: (t) => ctx.offsets.groupsOfTopic(t),
      removeTopic: (t) => {
        ctx.offsets.removeTopic(t);
        ctx.offsets.persist();
      },
      removeGroup: (g) => {
        ctx.offsets.removeGroup(g);
        ctx.offsets.persist();
      },
      pullOffset: () => -1,
    },
    store: {
      maxOffset: (t, q) => ctx.store.getMaxOffsetInQueue(t, q),
      minOffset: (t, q) => ctx.store.getMinOffsetInQueue(t, q),
      storeTime: (t, q, o) => (o < 0 ? -1 : ctx.store.getMessageStoreTimeStamp(t, q, o)),
      earliestTime: (t, q) => ctx.store.getEarliestMessageTime(t, q),
      offsetByTime: (t, q, ts) => ctx.store.getOffsetInQueueByTime(t, q, ts),
      readRecord: (phy) => ctx.store.selectOneMessageByOffset(phy),
      queryByKey: async (t, key, maxNum, begin, end) => {
        const r = await ctx.store.queryMessage(t, key, maxNum, begin, end);
        // the index is filled in the same append round as the commitlog: it is current up to the max offset
        return { records: r.messages, indexLastUpdateTimestamp: Date.now(), indexLastUpdatePhyoffset: ctx.store.getMaxPhyOffset() };
      },
      consumeQueue: (t, q, index, count) => ctx.store.getConsumeQueueUnits(t, q, index, count),
      deleteTopics: (topics) => ctx.store.deleteTopics(new Set(topics)),
      cleanExpiredConsumeQueue: () => ctx.store.cleanExpiredConsumerQueue(),
      cleanUnusedTopic: (retain) => ctx.store.cleanUnusedTopic(new Set(retain)),
      deleteExpiredFilesManually: () => ctx.store.executeDeleteFilesManually(),
      runtime: () => {
        const info = ctx.store.getRuntimeInfo();
        return {
          minPhyOffset: ctx.store.getMinPhyOffset(),
          maxPhyOffset: ctx.store.getMaxPhyOffset(),
          earliestMessageTime: ctx.store.getEarliestMessageTimeStamp(),
          dispatchBehindBytes: Number(info.dispatchBehindBytes) || 0,
          remainHowManyDataToFlush: Number(info.remainHowManyDataToFlush) || 0,
          storePathRootDir: ctx.store.cfg.storePathRootDir,
          storePathCommitLog: ctx.store.cfg.storePathCommitLog,
        };
      },
    },
    consumers: {
      group: (g) => {
        const info = ctx.consumers.get(g);
        return info ? groupView(info) : undefined;
      },
      groupsSubscribing: (t) => ctx.consumers.groupsSubscribing(t),
    },
    producers: {
      clients: (g) => (ctx.producers.groups.has(g) ? ctx.producers.channelsOf(g) : undefined),
      all: () => {
        const out: Record<string, ClientConn[]> = {};
        for (const g of ctx.producers.groups.keys()) out[g] = ctx.producers.channelsOf(g);
        return out;
      },
    },
    stats: {
      msgPutTotalYesterdayMorning: () => ctx.stats.putTotalYesterdayMorning,
      msgPutTotalTodayMorning: () => ctx.stats.putTotalTodayMorning,
      msgPutTotalTodayNow: () => ctx.stats.putTotal,
      msgGetTotalYesterdayMorning: () => ctx.stats.getTotalYesterdayMorning,
      msgGetTotalTodayMorning: () => ctx.stats.getTotalTodayMorning,
      msgGetTotalTodayNow: () => ctx.stats.getFoundTotal,
      putTps: (s) => tps('put', s),
      getTransferredTps: (s) => tps('getTransferred', s),
      getFoundTps: (s) => tps('getFound', s),
      getMissTps: (s) => tps('getMiss', s),
      getTotalTps: (s) => tps('getTotal', s),
      topicPutTps: (t, s) => ctx.stats.topicPutTps(t, s),
      groupGetTps: (g, t, s) => ctx.stats.groupGetTps(g, t, s),
      topicPutTotal: (t) => ctx.stats.topicPutTotal(t),
      groupGetTotal: (g, t) => ctx.stats.groupGetTotal(g, t),
      putMessageTimesTotal: () => ctx.stats.putTimesTotal,
      putMessageSizeTotal: () => ctx.stats.putBytesTotal,
      putLatency: (q) => ctx.stats.putLatencyPercentile(q * 100),
      putMessageDistributeText: () => ctx.stats.putDistributeText(),
      // the schedule service keeps its table to itself; its file is at most flushDelayOffsetInterval old
      delayOffsets: () => {
        try {
          const file = path.join(ctx.config.storePathRootDir, 'config', 'delayOffset.json');
          return parseDelayOffsetJson(fs.readFileSync(file, 'utf8')).offsets;
        } catch {
          return new Map<number, number>();
        }
      },
    },
    config: {
      properties: () => ({
        ...configToProperties(ctx.config),
        configBlackList: ctx.config.raw.configBlackList ?? 'configBlackList;brokerConfigPath',
      }),
      update: (props) => {
        applyConfigUpdate(ctx.config, props, ctx.logger);
        configVersion = nextDataVersion(configVersion);
      },
      dataVersion: () => configVersion,
    },
    registerToNamesrvNow: () => ctx.registerToNamesrvNow(),
  };
}

/** Registers the admin request codes on the broker's server. Returns the lock manager it created. */
export function registerAdminProcessors(server: RemotingServer, ctx: BrokerContext): RebalanceLockManager {
  const locks = new RebalanceLockManager();
  ctx.isGroupLocked = (group) => locks.hasLiveLock(group);
  registerAdminTable(server, adminDepsFromContext(ctx), locks);
  return locks;
}
