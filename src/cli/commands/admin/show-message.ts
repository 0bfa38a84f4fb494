// How mqadmin's queryMsgById / queryMsgByUniqueKey / queryMsgByOffset show one message: "%-20s %s" lines,
// the body saved under /tmp/rocketmq/msgbodys, then the message track of every group consuming the topic.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MQAdmin } from '../../../client/admin/index.js';
import { AdminError } from '../../../client/admin/index.js';
import type { MessageExt } from '../../../common/message.js';

import { javaHumanTime as humanTime, jformat } from './printf.js';
import { javaHashMapOrder } from './java-order.js';
import type { Out } from './types.js';

/** HashMap.toString of a message's properties (MessageDecoder builds a HashMap of capacity 128): {k=v, k2=v2}. */
export function javaMap(m: Record<string, string>): string {
  return `{${javaHashMapOrder(Object.keys(m)).map((k) => `${k}=${m[k]}`).join(', ')}}`;
}

function bodyFile(m: MessageExt, name: string): string {
  const dir = join('/tmp', 'rocketmq', 'msgbodys');
  const path = join(dir, name);
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path, m.body);
  } catch {
    // the path is still printed, as mqadmin prints it; a read-only /tmp only loses the copy
  }
  return path;
}

export async function trackLines(admin: MQAdmin, m: MessageExt): Promise<string[]> {
  const route = await admin.getTopicRoute(m.topic);
  const brokerAddrs = [...admin.routeBrokerAddrs(route).values()];
  const brokerName = route.brokerDatas.find((b) => [...b.brokerAddrs.values()].includes(m.storeHost))?.brokerName ?? route.brokerDatas[0]?.brokerName;
  const groups = new Set<string>();
  for (const a of brokerAddrs) for (const g of await admin.queryTopicConsumeByWho(a, m.topic)) groups.add(g);
  const lines: string[] = [];
  for (const group of groups) {
    let type = 'UNKNOWN';
    let desc: string | null = null;
    try {
      const hasRetryRoute = await admin.getTopicRoute(`%RETRY%${group}`).then(
        () => true,
        () => false,
      );
      const cc = hasRetryRoute ? await admin.consumerConnection(group) : null;
      if (!hasRetryRoute) {
        // the Java admin looks the group up through its retry topic's route and fails there
        desc = `CODE: 17  DESC: No topic route info in name server for the topic: %RETRY%${group}`;
      } else if (!cc) {
        type = 'NOT_ONLINE';
        desc = `CODE:206 DESC:the consumer group[${group}] not online`;
      } else if (cc.consumeType === 'CONSUME_ACTIVELY') {
        type = 'PULL';
      } else {
        const progress = await admin.consumerProgress(group, m.topic);
        const q = progress.queues.find((x) => x.topic === m.topic && x.queueId === m.queueId && x.brokerName === brokerName);
        type = q && q.consumerOffset > m.queueOffset ? 'CONSUMED' : 'NOT_CONSUME_YET';
        const sub = cc.subscriptionTable[m.topic];
        const tag = m.properties.TAGS;
        if (type === 'CONSUMED' && sub && sub.tagsSet.length && !sub.tagsSet.includes('*') && !(tag && sub.tagsSet.includes(tag))) type = 'CONSUMED_BUT_FILTERED';
      }
    } catch (e) {
      desc = e instanceof AdminError && e.responseCode !== undefined ? `CODE:${e.responseCode} DESC:${e.remark ?? ''}` : (e as Error).message;
    }
    lines.push(`MessageTrack [consumerGroup=${group}, trackType=${type}, exceptionDesc=${desc}]`);
  }
  return lines;
}

export async function showMessage(admin: MQAdmin, m: MessageExt, out: Out, opts: { offsetId?: boolean; bodyName?: string } = {}): Promise<void> {
  // queryMsgById / queryMsgByOffset print one track per line; queryMsgByUniqueKey runs them together
  const s = (k: string, v: unknown): void => out(jformat('%-20s %s%n', k, v));
  const d = (k: string, v: number): void => out(jformat('%-20s %d%n', k, v));
  if (opts.offsetId) s('OffsetID:', m.msgId);
  s('Topic:', m.topic);
  s('Tags:', `[${m.properties.TAGS ?? 'null'}]`);
  s('Keys:', `[${m.properties.KEYS ?? 'null'}]`);
  d('Queue ID:', m.queueId);
  d('Queue Offset:', m.queueOffset);
  d('CommitLog Offset:', m.commitLogOffset);
  d('Reconsume Times:', m.reconsumeTimes);
  s('Born Timestamp:', humanTime(m.bornTimestamp));
  s('Store Timestamp:', humanTime(m.storeTimestamp));
  s('Born Host:', m.bornHost);
  s('Store Host:', m.storeHost);
  d('System Flag:', m.sysFlag);
  s('Properties:', javaMap(m.properties));
  s('Message Body Path:', bodyFile(m, opts.bodyName ?? m.properties.UNIQ_KEY ?? m.msgId));
  const tracks = await trackLines(admin, m).catch(() => [] as string[]);
  if (tracks.length === 0) out('\n\nWARN: No Consumer');
  else {
    out('\n\n');
    for (const t of tracks) out(opts.offsetId ? `${t}\n` : t);
  }
  if (!opts.offsetId || tracks.length === 0) out('\n');
}

/** MessageExt.toString as printMsg prints it. */
export function javaMessageExt(m: MessageExt, brokerName: string): string {
  const body = `[${[...m.body].map((b) => (b > 127 ? b - 256 : b)).join(', ')}]`;
  return (
    `MessageExt [brokerName=${brokerName}, queueId=${m.queueId}, storeSize=${m.storeSize}, queueOffset=${m.queueOffset}, sysFlag=${m.sysFlag}, ` +
    `bornTimestamp=${m.bornTimestamp}, bornHost=/${m.bornHost}, storeTimestamp=${m.storeTimestamp}, storeHost=/${m.storeHost}, msgId=${m.msgId}, ` +
    `commitLogOffset=${m.commitLogOffset}, bodyCRC=${m.bodyCRC}, reconsumeTimes=${m.reconsumeTimes}, preparedTransactionOffset=${m.preparedTransactionOffset}, ` +
    `toString()=Message{topic='${m.topic}', flag=${m.flag}, properties=${javaMap(m.properties)}, body=${body}, transactionId='null'}]`
  );
}
