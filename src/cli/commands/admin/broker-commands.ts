// mqadmin-compatible cluster, broker and name server commands: clusterList, brokerStatus, getBrokerConfig,
// updateBrokerConfig, wipeWritePerm, addWritePerm, getNamesrvConfig, updateNamesrvConfig, updateKvConfig,
// deleteKvConfig, cleanExpiredCQ, statsAll.
import type { MQAdmin } from '../../../client/admin/index.js';
import type { BrokerStatsData } from '../../../protocol/admin.js';
import { usage } from '../../output/index.js';
import { o, str, int } from './options.js';
import { front, jformat } from './printf.js';
import { javaPropertiesOrder } from './java-order.js';
import type { CompatCommand, Out } from './types.js';

async function targets(admin: MQAdmin, b: string | undefined, c: string | undefined, command: string): Promise<string[]> {
  if (b) return [await admin.resolveBrokerAddr(b)];
  if (c) return (await admin.masterAddrs(c)).map((m) => m.addr);
  throw usage(`mqadmin ${command}: one of -b or -c is required`);
}

function sortedEntries(r: Record<string, string>): Array<[string, string]> {
  return Object.entries(r).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Messages in the last 24 hours: the day's sum, else the hour's, else the minute's (as mqadmin counts). */
function sum24h(st: BrokerStatsData | null): number {
  if (!st) return 0;
  return st.statsDay.sum || st.statsHour.sum || st.statsMinute.sum || 0;
}

const first = (v: string | undefined): number => Number((v ?? '0').trim().split(/\s+/)[0]) || 0;

async function clusterList(admin: MQAdmin, cluster: string | undefined, more: boolean, out: Out): Promise<void> {
  const ci = await admin.getClusterInfo();
  const clusters = cluster ? [cluster] : Object.keys(ci.clusterAddrTable).sort();
  if (more) {
    out(jformat('%-16s  %-32s %14s %14s %14s %14s%n', '#Cluster Name', '#Broker Name', '#InTotalYest', '#OutTotalYest', '#InTotalToday', '#OutTotalToday'));
  } else {
    out(
      jformat(
        '%-22s  %-22s  %-4s  %-22s %-16s  %16s  %30s  %-22s  %-11s  %-12s  %-8s  %-10s%n',
        '#Cluster Name', '#Broker Name', '#BID', '#Addr', '#Version', '#InTPS(LOAD)', '#OutTPS(LOAD)', '#Timer(Progress)', '#PCWait(ms)', '#Hour', '#SPACE', '#ACTIVATED',
      ),
    );
  }
  for (const c of clusters) {
    for (const name of [...(ci.clusterAddrTable[c] ?? [])].sort()) {
      const bd = ci.brokerAddrTable[name];
      if (!bd) continue;
      for (const [id, addr] of bd.brokerAddrs) {
        let kv: Record<string, string> = {};
        try {
          kv = await admin.getBrokerRuntimeInfo(addr);
        } catch {
          // mqadmin prints the broker with empty figures when it does not answer
        }
        const n = (k: string): number => Number(kv[k] ?? 0) || 0;
        if (more) {
          out(
            jformat(
              '%-16s  %-32s %14d %14d %14d %14d%n', c, name,
              n('msgPutTotalTodayMorning') - n('msgPutTotalYesterdayMorning'), n('msgGetTotalTodayMorning') - n('msgGetTotalYesterdayMorning'),
              n('msgPutTotalTodayNow') - n('msgPutTotalTodayMorning'), n('msgGetTotalTodayNow') - n('msgGetTotalTodayMorning'),
            ),
          );
          continue;
        }
        const earliest = kv.earliestMessageTimeStamp;
        const hour = earliest ? (Date.now() - Number(earliest)) / 3600000 : 0;
        const s = (k: string): string => kv[k] ?? 'null';
        out(
          jformat(
            '%-22s  %-22s  %-4s  %-22s %-16s  %16s  %30s  %-22s  %11s  %-12s  %-8s  %10s%n',
            c, name, id, addr, kv.brokerVersionDesc ?? '',
            jformat('%9.2f(%s,%sms)', first(kv.putTps), s('sendThreadPoolQueueSize'), s('sendThreadPoolQueueHeadWaitTimeMills')),
            jformat('%9.2f(%s,%sms|%s,%sms)', first(kv.getTransferredTps), s('pullThreadPoolQueueSize'), s('pullThreadPoolQueueHeadWaitTimeMills'), s('ackThreadPoolQueueSize'), s('ackThreadPoolQueueHeadWaitTimeMills')),
            jformat('%d-%d(%.1fw, %.1f, %.1f)', n('timerReadBehind'), n('timerOffsetBehind'), n('timerCongestNum') / 10000, n('timerEnqueueTps'), n('timerDequeueTps')),
            kv.pageCacheLockTimeMills ?? '',
            jformat('%2.2f', hour),
            jformat('%.4f', Number(kv.commitLogDiskRatio ?? 0) || 0),
            kv.brokerActive === 'true',
          ),
        );
      }
    }
  }
}

export const brokerCommands: CompatCommand[] = [
  {
    name: 'clusterList',
    desc: 'List cluster infos.',
    options: [o('m', 'moreStats', false), o('i', 'interval', true), o('c', 'clusterName', true)],
    async run(admin, p, out) {
      const interval = int(p, 'i', 'clusterList');
      for (;;) {
        await clusterList(admin, str(p, 'c'), p.has('m'), out);
        if (!interval) return;
        await new Promise((r) => setTimeout(r, interval * 1000));
      }
    },
  },
  {
    name: 'brokerStatus',
    desc: 'Fetch broker runtime status data.',
    options: [o('b', 'brokerAddr', true), o('c', 'clusterName', true)],
    async run(admin, p, out) {
      const b = str(p, 'b');
      for (const addr of await targets(admin, b, str(p, 'c'), 'brokerStatus')) {
        const kv = await admin.getBrokerRuntimeInfo(addr);
        for (const [k, v] of sortedEntries(kv)) out(b ? jformat('%-32s: %s%n', k, v) : jformat('%-24s %-32s: %s%n', addr, k, v));
      }
    },
  },
  {
    name: 'getBrokerConfig',
    desc: 'Get broker config by cluster or special broker.',
    options: [o('b', 'brokerAddr', true), o('c', 'clusterName', true)],
    async run(admin, p, out) {
      const b = str(p, 'b');
      for (const addr of await targets(admin, b, str(p, 'c'), 'getBrokerConfig')) {
        out(b ? `============${addr}============\n` : `============Master: ${addr}============\n`);
        const cfg = await admin.getBrokerConfig(addr);
        for (const k of javaPropertiesOrder(Object.keys(cfg))) out(`${jformat('%-50s=  %s', k, cfg[k])}\n`);
        out('\n');
      }
    },
  },
  {
    name: 'updateBrokerConfig',
    desc: "Update broker's config.",
    options: [o('b', 'brokerAddr', true), o('c', 'clusterName', true), o('a', 'updateAllBroker', true), o('k', 'key', true, true), o('v', 'value', true, true)],
    async run(admin, p, out) {
      const props = { [str(p, 'k')!]: str(p, 'v')! };
      for (const addr of await targets(admin, str(p, 'b'), str(p, 'c'), 'updateBrokerConfig')) {
        await admin.updateBrokerConfig(addr, props);
        out(jformat('update broker config success, %s\n', addr));
      }
    },
  },
  ...(['wipeWritePerm', 'addWritePerm'] as const).map(
    (name): CompatCommand => ({
      name,
      desc: `${name === 'wipeWritePerm' ? 'Wipe' : 'Add'} write perm of broker in all name server you defined in the -n param.`,
      options: [o('b', 'brokerName', true, true)],
      async run(admin, p, out) {
        const b = str(p, 'b')!;
        const counts = name === 'wipeWritePerm' ? await admin.wipeWritePerm(b) : await admin.addWritePerm(b);
        const verb = name === 'wipeWritePerm' ? 'wipe' : 'add';
        for (const [ns, n] of Object.entries(counts)) out(jformat(`${verb} write perm of broker[%s] in name server[%s] OK, %d%n`, b, ns, n));
      },
    }),
  ),
  {
    name: 'getNamesrvConfig',
    desc: 'Get configs of name server.',
    options: [],
    async run(admin, _p, out) {
      for (const [addr, cfg] of Object.entries(await admin.getNamesrvConfig())) {
        out(`============${addr}============\n`);
        for (const k of javaPropertiesOrder(Object.keys(cfg))) out(`${jformat('%-50s=  %s', k, cfg[k])}\n`);
      }
    },
  },
  {
    name: 'updateNamesrvConfig',
    desc: 'Update configs of name server.',
    options: [o('k', 'key', true, true), o('v', 'value', true, true)],
    async run(admin, p, out) {
      const k = str(p, 'k')!;
      const v = str(p, 'v')!;
      await admin.updateNamesrvConfig({ [k]: v });
      out(jformat('update name server config success!%s\n%s : %s\n', `[${admin.namesrvAddrs.join(', ')}]`, k, v));
    },
  },
  {
    name: 'updateKvConfig',
    desc: 'Create or update KV config.',
    options: [o('s', 'namespace', true, true), o('k', 'key', true, true), o('v', 'value', true, true)],
    async run(admin, p, out) {
      await admin.putKvConfig(str(p, 's')!, str(p, 'k')!, str(p, 'v')!);
      out(jformat('create or update kv config to namespace success.%n'));
    },
  },
  {
    name: 'deleteKvConfig',
    desc: 'Delete KV config.',
    options: [o('s', 'namespace', true, true), o('k', 'key', true, true)],
    async run(admin, p, out) {
      await admin.deleteKvConfig(str(p, 's')!, str(p, 'k')!);
      out(jformat('delete kv config from namespace success.%n'));
    },
  },
  {
    name: 'cleanExpiredCQ',
    desc: 'Clean expired ConsumeQueue on broker.',
    options: [o('b', 'brokerAddr', true), o('c', 'cluster', true)],
    async run(admin, p, out) {
      const b = str(p, 'b');
      const c = str(p, 'c');
      const addrs = b || c ? await targets(admin, b, c, 'cleanExpiredCQ') : (await admin.masterAddrs()).map((m) => m.addr);
      let ok = true;
      for (const a of addrs) ok = (await admin.cleanExpiredConsumeQueue(a)) && ok;
      out(ok ? 'success' : 'false');
    },
  },
  {
    name: 'statsAll',
    desc: 'Topic and Consumer tps stats.',
    options: [o('a', 'activeTopic', false), o('t', 'topic', true)],
    async run(admin, p, out) {
      out(jformat('%-64s  %-64s %12s %11s %11s %14s %14s%n', '#Topic', '#Consumer Group', '#Accumulation', '#InTPS', '#OutTPS', '#InMsg24Hour', '#OutMsg24Hour'));
      const only = str(p, 't');
      const topics = only ? [only] : await admin.getTopicList();
      for (const topic of topics) {
        if (topic.startsWith('%RETRY%') || topic.startsWith('%DLQ%')) continue;
        let route;
        try {
          route = await admin.getTopicRoute(topic);
        } catch {
          continue;
        }
        const addrs = [...admin.routeBrokerAddrs(route).values()];
        let inTps = 0;
        let inMsg = 0;
        for (const a of addrs) {
          const st = await admin.viewBrokerStatsData(a, 'TOPIC_PUT_NUMS', topic);
          inTps += st?.statsMinute.tps ?? 0;
          inMsg += sum24h(st);
        }
        const groups = await admin.groupsOfTopic(topic).catch(() => [] as string[]);
        let any = false;
        for (const g of groups) {
          let accumulate = 0;
          try {
            const pr = await admin.consumerProgress(g, topic);
            accumulate = pr.queues.reduce((s, q) => s + (q.brokerOffset - q.consumerOffset), 0);
          } catch {
            continue;
          }
          let outTps = 0;
          let outMsg = 0;
          for (const a of addrs) {
            const st = await admin.viewBrokerStatsData(a, 'GROUP_GET_NUMS', `${topic}@${g}`);
            outTps += st?.statsMinute.tps ?? 0;
            outMsg += sum24h(st);
          }
          if (p.has('a') && accumulate === 0 && inMsg === 0 && outMsg === 0) continue;
          any = true;
          out(jformat('%-64s  %-64s %12d %11.2f %11.2f %14d %14d%n', front(topic, 64), front(g, 64), accumulate, inTps, outTps, inMsg, outMsg));
        }
        if (!any && !(p.has('a') && inMsg === 0)) out(jformat('%-64s  %-64s %12d %11.2f %11s %14d %14s%n', front(topic, 64), '', 0, inTps, '', inMsg, 'NO_CONSUMER'));
      }
    },
  },
];
