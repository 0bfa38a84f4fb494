// mqadmin-compatible group and consumer commands: updateSubGroup, deleteSubGroup, consumerProgress,
// consumerConnection, consumerStatus, producerConnection, resetOffsetByTime, brokerConsumeStats.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MQAdmin } from '../../../client/admin/index.js';
import { NotFoundError } from '../../../client/admin/index.js';
import { RETRY_GROUP_TOPIC_PREFIX } from '../../../common/topics.js';
import { CliError, ExitCode, parseTimeFlag, usage, versionDesc } from '../../output/index.js';
import { plain } from '../consumer.js';
import { bool, int, o, str } from './options.js';
import { front, javaDate, jformat } from './printf.js';
import type { CompatCommand } from './types.js';
import { javaHashOrder, javaMessageQueueHash } from './java-order.js';

/** GroupRetryPolicy.toString. */
function retryPolicy(p: Record<string, unknown> | undefined): string {
  const v = (k: string): string => (p && p[k] !== undefined && p[k] !== null ? JSON.stringify(p[k]) : 'null');
  return `GroupRetryPolicy{type=${String(p?.type ?? 'CUSTOMIZED')}, exponentialRetryPolicy=${v('exponentialRetryPolicy')}, customizedRetryPolicy=${v('customizedRetryPolicy')}}`;
}

const lastTime = (ms: number, none: string): string => (ms > 0 ? javaDate(ms) : none);

async function groupSummaries(admin: MQAdmin, out: (s: string) => void): Promise<void> {
  out(jformat('%-64s  %-6s  %-24s %-5s  %-14s  %-7s  %s%n', '#Group', '#Count', '#Version', '#Type', '#Model', '#TPS', '#Diff Total'));
  for (const topic of await admin.getTopicList()) {
    if (!topic.startsWith(RETRY_GROUP_TOPIC_PREFIX)) continue;
    const group = topic.slice(RETRY_GROUP_TOPIC_PREFIX.length);
    let tps = 0;
    let diff = 0;
    try {
      const pr = await admin.consumerProgress(group);
      tps = Math.trunc(pr.consumeTps);
      diff = pr.queues.reduce((s, q) => s + (q.brokerOffset - q.consumerOffset), 0);
    } catch {
      // mqadmin shows the group with zeros when its stats cannot be read
    }
    const cc = await admin.consumerConnection(group).catch(() => null);
    const count = cc?.connectionSet.length ?? 0;
    out(
      jformat(
        '%-64s  %-6d  %-24s %-5s  %-14s  %-7d  %d%n',
        front(group, 64),
        count,
        count > 0 ? versionDesc(Math.min(...cc!.connectionSet.map((c) => c.version))) : 'OFFLINE',
        count > 0 ? (cc!.consumeType === 'CONSUME_ACTIVELY' ? 'PULL' : 'PUSH') : '',
        count > 0 ? (cc!.messageModel ?? '') : '',
        tps,
        diff,
      ),
    );
  }
}

export const groupCommands: CompatCommand[] = [
  {
    name: 'updateSubGroup',
    desc: 'Update or create subscription group.',
    options: [
      o('g', 'groupName', true, true), o('b', 'brokerAddr', true), o('c', 'clusterName', true), o('s', 'consumeEnable', true), o('m', 'consumeFromMinEnable', true),
      o('d', 'consumeBroadcastEnable', true), o('o', 'consumeMessageOrderly', true), o('q', 'retryQueueNums', true), o('r', 'retryMaxTimes', true), o('p', 'groupRetryPolicy', true),
      o('i', 'brokerId', true), o('w', 'whichBrokerWhenConsumeSlowly', true), o('a', 'notifyConsumerIdsChanged', true), o('attributes', 'attributes', true),
    ],
    async run(admin, p, out) {
      const b = str(p, 'b');
      const c = str(p, 'c');
      if (!b && !c) throw usage('mqadmin updateSubGroup: one of -b or -c is required');
      const cmd = 'updateSubGroup';
      const r = await admin.createOrUpdateGroupOn({
        groupName: str(p, 'g')!,
        broker: b,
        cluster: b ? undefined : c,
        consumeEnable: bool(p, 's'),
        // mqadmin starts from a config with both of these off
        consumeFromMinEnable: bool(p, 'm') ?? false,
        consumeBroadcastEnable: bool(p, 'd') ?? false,
        consumeMessageOrderly: bool(p, 'o'),
        retryQueueNums: int(p, 'q', cmd),
        retryMaxTimes: int(p, 'r', cmd),
        brokerId: int(p, 'i', cmd),
        whichBrokerWhenConsumeSlowly: int(p, 'w', cmd),
        notifyConsumerIdsChangedEnable: bool(p, 'a'),
      });
      const g = r.group;
      for (const addr of r.brokers) out(jformat('create subscription group to %s success.%n', addr));
      out(
        `SubscriptionGroupConfig{groupName=${g.groupName}, consumeEnable=${g.consumeEnable}, consumeFromMinEnable=${g.consumeFromMinEnable}, consumeBroadcastEnable=${g.consumeBroadcastEnable}, consumeMessageOrderly=${g.consumeMessageOrderly}, retryQueueNums=${g.retryQueueNums}, retryMaxTimes=${g.retryMaxTimes}, groupRetryPolicy=${retryPolicy(g.groupRetryPolicy)}, brokerId=${g.brokerId}, whichBrokerWhenConsumeSlowly=${g.whichBrokerWhenConsumeSlowly}, notifyConsumerIdsChangedEnable=${g.notifyConsumerIdsChangedEnable}, groupSysFlag=${g.groupSysFlag}, consumeTimeoutMinute=${g.consumeTimeoutMinute}, subscriptionDataSet=${g.subscriptionDataSet ? JSON.stringify(g.subscriptionDataSet) : 'null'}, attributes={${Object.entries(g.attributes).map(([k, v]) => `${k}=${v}`).join(', ')}}}`,
      );
    },
  },
  {
    name: 'deleteSubGroup',
    desc: 'Delete subscription group from broker.',
    options: [o('g', 'groupName', true, true), o('b', 'brokerAddr', true), o('c', 'clusterName', true), o('r', 'removeOffset', true)],
    async run(admin, p, out) {
      const b = str(p, 'b');
      const c = str(p, 'c');
      if (!b && !c) throw usage('mqadmin deleteSubGroup: one of -b or -c is required');
      const group = str(p, 'g')!;
      const r = await admin.deleteGroupEverywhere({ groupName: group, broker: b, cluster: b ? undefined : c, cleanOffset: bool(p, 'r') ?? false });
      for (const addr of r.brokers) {
        if (b) out(jformat('delete subscription group [%s] from broker [%s] success.%n', group, addr));
        else out(jformat('delete subscription group [%s] from broker [%s] in cluster [%s] success.%n', group, addr, c));
      }
    },
  },
  {
    name: 'consumerProgress',
    desc: "Query consumer's progress, speed.",
    options: [o('g', 'groupName', true), o('t', 'topicName', true), o('s', 'showClientIP', true), o('c', 'cluster', true)],
    async run(admin, p, out) {
      const group = str(p, 'g');
      if (!group) {
        await groupSummaries(admin, out);
        return;
      }
      const pr = await admin.consumerProgress(group, str(p, 't'));
      const showIp = bool(p, 's') ?? false;
      const ipOf = new Map<string, string>();
      if (showIp) {
        const cc = await admin.consumerConnection(group).catch(() => null);
        for (const c of cc?.connectionSet ?? []) {
          const ri = plain(await admin.getConsumerRunningInfo((await admin.groupBrokerAddrs(group))[0], group, c.clientId).catch(() => ({}))) as { mqTable?: Record<string, unknown> };
          for (const k of Object.keys(ri.mqTable ?? {})) ipOf.set(k, c.clientId.split('@')[0]);
        }
      }
      if (showIp) out(jformat('%-64s  %-32s  %-4s  %-20s  %-20s  %-20s %-20s %-20s%s%n', '#Topic', '#Broker Name', '#QID', '#Broker Offset', '#Consumer Offset', '#Client IP', '#Diff', '#Inflight', '#LastTime'));
      else out(jformat('%-64s  %-32s  %-4s  %-20s  %-20s  %-20s %-20s%s%n', '#Topic', '#Broker Name', '#QID', '#Broker Offset', '#Consumer Offset', '#Diff', '#Inflight', '#LastTime'));
      let diffTotal = 0;
      let inflightTotal = 0;
      for (const q of pr.queues) {
        const diff = q.brokerOffset - q.consumerOffset;
        const inflight = q.pullOffset - q.consumerOffset;
        diffTotal += diff;
        inflightTotal += inflight;
        const lt = lastTime(q.lastTimestamp, 'N/A');
        if (showIp) {
          const ip = ipOf.get(`${q.topic}@${q.brokerName}@${q.queueId}`) ?? 'N/A';
          out(jformat('%-64s  %-32s  %-4d  %-20d  %-20d  %-20s %-20d %-20d %s%n', front(q.topic, 64), front(q.brokerName, 32), q.queueId, q.brokerOffset, q.consumerOffset, ip, diff, inflight, lt));
        } else {
          out(jformat('%-64s  %-32s  %-4d  %-20d  %-20d  %-20d %-20d %s%n', front(q.topic, 64), front(q.brokerName, 32), q.queueId, q.brokerOffset, q.consumerOffset, diff, inflight, lt));
        }
      }
      out(jformat('%n'));
      out(jformat('Consume TPS: %.2f%n', pr.consumeTps));
      out(jformat('Consume Diff Total: %d%n', diffTotal));
      out(jformat('Consume Inflight Total: %d%n', inflightTotal));
    },
  },
  {
    name: 'consumerConnection',
    desc: "Query consumer's socket connection, client version and subscription.",
    options: [o('g', 'consumerGroup', true, true), o('b', 'brokerAddr', true)],
    async run(admin, p, out) {
      const group = str(p, 'g')!;
      const cc = await admin.consumerConnection(group, str(p, 'b'));
      if (!cc) throw new CliError(`CODE: 206 DESC: the consumer group[${group}] not online`, ExitCode.NOT_FOUND);
      out(jformat('%-36s %-22s %-10s %s%n', '#ClientId', '#ClientAddr', '#Language', '#Version'));
      for (const c of cc.connectionSet) out(jformat('%-36s %-22s %-10s %s%n', c.clientId, c.clientAddr, c.language, versionDesc(c.version)));
      out(jformat('%nBelow is subscription:\n'));
      out(jformat('%-20s %s%n', '#Topic', '#SubExpression'));
      for (const sd of Object.values(cc.subscriptionTable)) out(jformat('%-20s %s%n', sd.topic, sd.subString));
      out('\n');
      out(jformat('ConsumeType: %s%n', cc.consumeType));
      out(jformat('MessageModel: %s%n', cc.messageModel));
      out(jformat('ConsumeFromWhere: %s%n', cc.consumeFromWhere));
    },
  },
  {
    name: 'consumerStatus',
    desc: "Query consumer's internal data structure.",
    options: [o('g', 'consumerGroup', true, true), o('i', 'clientId', true), o('b', 'brokerAddr', true), o('s', 'jstack', false)],
    async run(admin, p, out) {
      const group = str(p, 'g')!;
      const addrs = str(p, 'b') ? [str(p, 'b')!] : await admin.groupBrokerAddrs(group);
      for (const addr of addrs) {
        const cc = await admin.getConsumerConnectionOnBroker(addr, group);
        if (!cc || cc.connectionSet.length === 0) continue;
        const clientId = str(p, 'i');
        if (clientId) {
          out(JSON.stringify(plain(await admin.getConsumerRunningInfo(addr, group, clientId, p.has('s'))), null, 2) + '\n');
          return;
        }
        out(jformat('%-10s %-40s %-20s %s%n', '#Index', '#ClientId', '#Version', '#ConsumerRunningInfoFile'));
        const dir = join('/tmp', 'rocketmq-consumerstatus', group, String(Date.now()));
        let i = 1;
        for (const c of cc.connectionSet) {
          try {
            const info = plain(await admin.getConsumerRunningInfo(addr, group, c.clientId, p.has('s')));
            const file = join(dir, c.clientId);
            mkdirSync(dir, { recursive: true });
            writeFileSync(file, JSON.stringify(info, null, 2));
            out(jformat('%-10d %-40s %-20s %s%n', i++, c.clientId, versionDesc(c.version), file));
          } catch {
            // mqadmin skips a client that does not answer
          }
        }
        return;
      }
      throw new NotFoundError(`CODE: 206 DESC: the consumer group[${group}] not online`);
    },
  },
  {
    name: 'producerConnection',
    desc: "Query producer's socket connection and client version.",
    options: [o('g', 'producerGroup', true, true), o('t', 'topic', true, true)],
    async run(admin, p, out) {
      const conns = await admin.producerConnection(str(p, 'g')!, str(p, 't')!);
      let i = 1;
      for (const c of conns) out(jformat('%04d  %-32s %-22s %-8s %s%n', i++, c.clientId, c.clientAddr, c.language, versionDesc(c.version)));
    },
  },
  {
    name: 'resetOffsetByTime',
    desc: 'Reset consumer offset by timestamp(without client restart).',
    options: [o('g', 'group', true, true), o('t', 'topic', true, true), o('s', 'timestamp', true, true), o('f', 'force', true), o('b', 'broker', true), o('q', 'queue', true), o('o', 'offset', true), o('c', 'cluster', true)],
    async run(admin, p, out) {
      const group = str(p, 'g')!;
      const topic = str(p, 't')!;
      const tsStr = str(p, 's')!;
      const timestamp = tsStr === 'now' ? Date.now() : (parseTimeFlag('-s', tsStr) as number);
      const force = bool(p, 'f') ?? true;
      const broker = str(p, 'b');
      const queueId = int(p, 'q', 'resetOffsetByTime');
      if (broker && queueId !== undefined) {
        out(
          jformat(
            'start reset consumer offset by specified, group[%s], topic[%s], queueId[%s], broker[%s], timestamp(string)[%s], timestamp(long)[%s]%n',
            group, topic, queueId, broker, tsStr, timestamp,
          ),
        );
        const addr = await admin.resolveBrokerAddr(broker);
        const offset = int(p, 'o', 'resetOffsetByTime') ?? (await admin.searchOffset(addr, topic, queueId, timestamp));
        out(jformat('reset consumer offset to %d%n', offset));
        if (offset > 0) await admin.updateConsumerOffset(addr, group, topic, queueId, offset);
        return;
      }
      const plan = await admin.planOffsetReset(group, topic, { timestamp });
      const r = await admin.applyOffsetReset(plan);
      out(jformat('start reset consumer offset by specified, group[%s], topic[%s], force[%s], timestamp(string)[%s], timestamp(long)[%s]%n', group, topic, force, tsStr, timestamp));
      out(jformat('%-40s  %-40s  %-40s%n', '#brokerName', '#queueId', '#offset'));
      // printed in the order of the HashMap<MessageQueue, Long> mqadmin gets back
      for (const q of javaHashOrder(r.queues, (x) => javaMessageQueueHash({ topic, brokerName: x.brokerName, queueId: x.queueId }))) {
        out(jformat('%-40s  %-40d  %-40d%n', front(q.brokerName, 32), q.queueId, q.newOffset));
      }
    },
  },
  {
    name: 'brokerConsumeStats',
    desc: 'Fetch broker consume stats data.',
    options: [o('b', 'brokerAddr', true, true), o('t', 'timeoutMillis', true), o('l', 'level', true), o('o', 'order', true)],
    async run(admin, p, out) {
      const addr = await admin.resolveBrokerAddr(str(p, 'b')!);
      const level = int(p, 'l', 'brokerConsumeStats') ?? 0;
      const r = await admin.getBrokerConsumeStats(addr, bool(p, 'o') ?? false, int(p, 't', 'brokerConsumeStats') ?? 50000);
      out(jformat('%-64s  %-64s  %-32s  %-4s  %-20s  %-20s  %-20s  %s%n', '#Topic', '#Group', '#Broker Name', '#QID', '#Broker Offset', '#Consumer Offset', '#Diff', '#LastTime'));
      for (const { group, stats } of r.stats) {
        for (const cs of stats) {
          const rows = [...cs.offsetTable].sort(([a], [b]) => (a.topic !== b.topic ? (a.topic < b.topic ? -1 : 1) : a.brokerName !== b.brokerName ? (a.brokerName < b.brokerName ? -1 : 1) : a.queueId - b.queueId));
          for (const [mq, ow] of rows) {
            const diff = ow.brokerOffset - ow.consumerOffset;
            // mqadmin lists only queues that have been consumed from (a last timestamp)
            if (diff < level || ow.lastTimestamp <= 0) continue;
            out(jformat('%-64s  %-64s  %-32s  %-4d  %-20d  %-20d  %-20d  %s%n', front(mq.topic, 64), group, front(mq.brokerName, 32), mq.queueId, ow.brokerOffset, ow.consumerOffset, diff, lastTime(ow.lastTimestamp, '-')));
          }
        }
      }
      out(jformat('%nDiff Total: %d%n', r.totalDiff));
    },
  },
];
