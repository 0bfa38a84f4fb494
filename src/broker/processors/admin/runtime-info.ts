/**
 * GET_BROKER_RUNTIME_INFO (28): the KVTable `mqadmin brokerStatus` prints and `clusterList` reads
 * (requests.md §6; mqadmin.md §1.3). Every value is a string, formatted as Java formats it.
 */
import fs from 'node:fs';
import { encodeKVTable } from '../../../protocol/admin.js';
import { javaDoubleString } from '../../../protocol/header.js';
import { CURRENT_VERSION } from '../../../remoting/command.js';
import { RMQ_SYS_SCHEDULE_TOPIC } from '../../../common/topics.js';
import type { Processor } from '../../../remoting/server.js';
import type { AdminDeps } from './deps.js';
import { ok } from './util.js';

export const BROKER_VERSION_DESC = 'V5_3_3';

const DISTRIBUTE_BUCKETS = [
  '[<=0ms]', '[0~10ms]', '[10~50ms]', '[50~100ms]', '[100~200ms]', '[200~500ms]', '[500ms~1s]', '[1~2s]', '[2~3s]',
  '[3~4s]', '[4~5s]', '[5~10s]', '[10s~]',
];

/** Apache's thread pool queue capacities (BrokerConfig defaults) when the config does not say. */
const POOL_CAPACITY_DEFAULTS: Record<string, number> = {
  sendThreadPoolQueueCapacity: 10000,
  pullThreadPoolQueueCapacity: 100000,
  litePullThreadPoolQueueCapacity: 100000,
  queryThreadPoolQueueCapacity: 20000,
  ackThreadPoolQueueCapacity: 100000,
  endTransactionPoolQueueCapacity: 100000,
};

/** MixAll.humanReadableByteCount(bytes, false): "512 B", "1.5 KiB", "3.0 GiB". */
export function humanReadableBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const exp = Math.floor(Math.log(bytes) / Math.log(1024));
  return `${(bytes / 1024 ** exp).toFixed(1)} ${'KMGTPE'[exp - 1]}iB`;
}

/** StoreStatsService.getFormatRuntime. */
export function formatRuntime(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const days = Math.floor(s / 86400);
  const hours = Math.floor((s % 86400) / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const seconds = s % 60;
  return `[ ${days} days, ${hours} hours, ${minutes} minutes, ${seconds} seconds ]`;
}

/** Used fraction (0..1) of the partition holding `path`; -1 when the path does not exist. */
function diskUsedRatio(path: string): number {
  try {
    const st = fs.statfsSync(path);
    const total = st.blocks * st.bsize;
    if (total <= 0) return -1;
    return (total - st.bfree * st.bsize) / total;
  } catch {
    return -1;
  }
}

function diskCapacity(path: string): string | undefined {
  try {
    const st = fs.statfsSync(path);
    return `Total : ${humanReadableBytes(st.blocks * st.bsize)}, Free : ${humanReadableBytes(st.bavail * st.bsize)}.`;
  } catch {
    return undefined;
  }
}

function tpsTriple(f: ((seconds: number) => number) | undefined): string {
  return [10, 60, 600].map((w) => javaDoubleString(f?.(w) ?? 0)).join(' ');
}

export async function buildRuntimeInfo(deps: AdminDeps, now = Date.now()): Promise<Record<string, string>> {
  const st = deps.stats;
  const rt = await deps.store.runtime();
  const cfg = deps.config.properties();
  const t: Record<string, string> = {};
  const n = (f: (() => number) | undefined): string => String(f?.() ?? 0);

  // StoreStatsService part
  const putTimes = Math.max(1, st.putMessageTimesTotal?.() ?? 0);
  const putSize = st.putMessageSizeTotal?.() ?? 0;
  t.bootTimestamp = String(deps.startTime);
  t.runtime = formatRuntime(now - deps.startTime);
  t.putMessageEntireTimeMax = n(st.putMessageEntireTimeMax);
  t.putMessageTimesTotal = String(putTimes);
  t.putMessageFailedTimes = n(st.putMessageFailedTimes);
  t.putMessageSizeTotal = String(putSize);
  t.putMessageDistributeTime = st.putMessageDistributeText?.() ?? DISTRIBUTE_BUCKETS.map((b) => `${b}:0 `).join('');
  t.putMessageAverageSize = javaDoubleString(putSize / putTimes);
  t.dispatchMaxBuffer = '0';
  t.getMessageEntireTimeMax = n(st.getMessageEntireTimeMax);
  t.putTps = tpsTriple(st.putTps);
  t.getFoundTps = tpsTriple(st.getFoundTps);
  t.getMissTps = tpsTriple(st.getMissTps);
  t.getTotalTps = tpsTriple(st.getTotalTps);
  t.getTransferredTps = tpsTriple(st.getTransferredTps);
  // 4.9.x spelling, read by older tools
  t.getTransferedTps = t.getTransferredTps;
  t.putLatency99 = (st.putLatency?.(0.99) ?? 0).toFixed(2);
  t.putLatency999 = (st.putLatency?.(0.999) ?? 0).toFixed(2);

  // DefaultMessageStore part
  const clRatio = diskUsedRatio(rt.storePathCommitLog);
  t[`commitLogDiskRatio_${rt.storePathCommitLog}`] = javaDoubleString(clRatio);
  t.commitLogDiskRatio = javaDoubleString(clRatio);
  // consume queues live under the store root, on the same partition
  t.consumeQueueDiskRatio = javaDoubleString(diskUsedRatio(rt.storePathRootDir));
  t.commitLogMinOffset = String(rt.minPhyOffset);
  t.commitLogMaxOffset = String(rt.maxPhyOffset);

  // schedule service: level -> "delayOffset,maxOffset"
  for (const [level, delayOffset] of st.delayOffsets?.() ?? new Map<number, number>()) {
    const max = await deps.store.maxOffset(RMQ_SYS_SCHEDULE_TOPIC, level - 1);
    t[`scheduleMessageOffset_${level}`] = `${delayOffset},${max}`;
  }

  // broker part
  t.brokerActive = String(!deps.isSlave());
  t.brokerVersionDesc = BROKER_VERSION_DESC;
  t.brokerVersion = String(CURRENT_VERSION);
  t.msgPutTotalYesterdayMorning = n(st.msgPutTotalYesterdayMorning);
  t.msgPutTotalTodayMorning = n(st.msgPutTotalTodayMorning);
  t.msgPutTotalTodayNow = n(st.msgPutTotalTodayNow);
  t.msgGetTotalYesterdayMorning = n(st.msgGetTotalYesterdayMorning);
  t.msgGetTotalTodayMorning = n(st.msgGetTotalTodayMorning);
  t.msgGetTotalTodayNow = n(st.msgGetTotalTodayNow);
  t.dispatchBehindBytes = String(rt.dispatchBehindBytes);
  t.pageCacheLockTimeMills = '0';
  t.earliestMessageTimeStamp = String(rt.earliestMessageTime);
  t.startAcceptSendRequestTimeStamp = String(cfg.startAcceptSendRequestTimeStamp ?? 0);
  t.timerReadBehind = '0';
  t.timerOffsetBehind = '0';
  t.timerCongestNum = '0';
  t.timerEnqueueTps = '0.0';
  t.timerDequeueTps = '0.0';
  t.remainTransientStoreBufferNumbs = String(2147483647);
  t.remainHowManyDataToFlush = humanReadableBytes(rt.remainHowManyDataToFlush);
  const cap = diskCapacity(rt.storePathRootDir);
  if (cap) t.commitLogDirCapacity = cap;
  const capacity = (k: string): string => String(cfg[k] ?? POOL_CAPACITY_DEFAULTS[k]);
  t.sendThreadPoolQueueSize = n(st.sendQueueSize);
  t.sendThreadPoolQueueCapacity = capacity('sendThreadPoolQueueCapacity');
  t.pullThreadPoolQueueSize = n(st.pullQueueSize);
  t.pullThreadPoolQueueCapacity = capacity('pullThreadPoolQueueCapacity');
  t.litePullThreadPoolQueueSize = '0';
  t.litePullThreadPoolQueueCapacity = capacity('litePullThreadPoolQueueCapacity');
  t.queryThreadPoolQueueSize = '0';
  t.queryThreadPoolQueueCapacity = capacity('queryThreadPoolQueueCapacity');
  t.ackThreadPoolQueueSize = '0';
  t.ackThreadPoolQueueCapacity = capacity('ackThreadPoolQueueCapacity');
  // Requests are served on the event loop as they arrive: nothing waits at the head of a queue.
  t.sendThreadPoolQueueHeadWaitTimeMills = '0';
  t.pullThreadPoolQueueHeadWaitTimeMills = '0';
  t.queryThreadPoolQueueHeadWaitTimeMills = '0';
  t.litePullThreadPoolQueueHeadWaitTimeMills = '0';
  t.ackThreadPoolQueueHeadWaitTimeMills = '0';
  t.EndTransactionQueueSize = '0';
  t.EndTransactionThreadPoolQueueCapacity = capacity('endTransactionPoolQueueCapacity');
  return t;
}

export function getBrokerRuntimeInfo(deps: AdminDeps): Processor {
  return async () => ok(encodeKVTable({ table: await buildRuntimeInfo(deps) }));
}
