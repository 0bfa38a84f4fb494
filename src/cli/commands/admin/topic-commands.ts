// mqadmin-compatible topic commands: updateTopic, deleteTopic, topicList, topicRoute, topicStatus,
// topicClusterList, allocateMQ.
import { perm2String } from '../../../common/perm.js';
import { isDLQTopic, isRetryTopic } from '../../../common/topics.js';
import { stringifyFastjson } from '../../../common/fastjson.js';
import { topicRouteDataToJson } from '../../../protocol/route.js';
import { usage } from '../../output/index.js';
import { bool, int, o, str } from './options.js';
import { front, javaDoubleToString, javaHumanTime, jformat } from './printf.js';
import type { CompatCommand } from './types.js';
import { javaHashOrder, javaMessageQueueHash, javaStringHash } from './java-order.js';

const t = (required = true) => o('t', 'topic', true, required, 'topic name');

export const topicCommands: CompatCommand[] = [
  {
    name: 'updateTopic',
    desc: 'Update or create topic.',
    options: [t(), o('b', 'brokerAddr', true), o('c', 'clusterName', true), o('r', 'readQueueNums', true), o('w', 'writeQueueNums', true), o('p', 'perm', true), o('o', 'order', true), o('u', 'unit', true), o('s', 'hasUnitSub', true), o('a', 'attributes', true)],
    async run(admin, p, out) {
      const b = str(p, 'b');
      const c = str(p, 'c');
      if (!b && !c) throw usage('mqadmin updateTopic: one of -b or -c is required');
      const attrs: Record<string, string> = {};
      for (const kv of (str(p, 'a') ?? '').split(',').filter(Boolean)) {
        const [k, v] = kv.replace(/^\+/, '').split('=');
        if (k && v !== undefined) attrs[k] = v;
      }
      const r = await admin.createOrUpdateTopicOn({
        topic: str(p, 't')!,
        broker: b,
        cluster: b ? undefined : c,
        readQueueNums: int(p, 'r', 'updateTopic') ?? 8,
        writeQueueNums: int(p, 'w', 'updateTopic') ?? 8,
        perm: int(p, 'p', 'updateTopic') ?? 6,
        order: bool(p, 'o') ?? false,
        attributes: attrs,
      });
      for (const x of r.brokers) out(jformat('create topic to %s success.%n', x.addr));
      const tc = r.topic;
      out(
        `TopicConfig [topicName=${tc.topicName}, readQueueNums=${tc.readQueueNums}, writeQueueNums=${tc.writeQueueNums}, perm=${perm2String(tc.perm)}, topicFilterType=${tc.topicFilterType}, topicSysFlag=${tc.topicSysFlag}, order=${tc.order}, attributes={${Object.entries(tc.attributes).map(([k, v]) => `${k}=${v}`).join(', ')}}]\n`,
      );
    },
  },
  {
    name: 'deleteTopic',
    desc: 'Delete topic from broker and NameServer.',
    options: [t(), o('c', 'clusterName', true, true)],
    async run(admin, p, out) {
      const topic = str(p, 't')!;
      const cluster = str(p, 'c')!;
      await admin.deleteTopic(topic, cluster);
      out(jformat('delete topic [%s] from cluster [%s] success.%n', topic, cluster));
      out(jformat('delete topic [%s] from NameServer success.%n', topic));
    },
  },
  {
    name: 'topicList',
    desc: 'Fetch all topic list from name server.',
    options: [o('c', 'clusterModel', false)],
    async run(admin, p, out) {
      const topics = await admin.getTopicList();
      if (!p.has('c')) {
        for (const x of topics) out(jformat('%s%n', x));
        return;
      }
      const ci = await admin.getClusterInfo();
      const clusterOf = new Map<string, string>();
      for (const [c, names] of Object.entries(ci.clusterAddrTable)) for (const n of names) clusterOf.set(n, c);
      out(jformat('%-20s  %-48s  %-48s%n', '#Cluster Name', '#Topic', '#Consumer Group'));
      for (const topic of topics) {
        if (isRetryTopic(topic) || isDLQTopic(topic)) continue;
        let cluster = '';
        let groups: string[] = [];
        try {
          const route = await admin.getTopicRoute(topic);
          cluster = clusterOf.get(route.brokerDatas[0]?.brokerName ?? '') ?? route.brokerDatas[0]?.cluster ?? '';
          groups = await admin.groupsOfTopic(topic);
        } catch {
          // mqadmin prints the topic with what it could learn
        }
        if (groups.length === 0) groups = [''];
        for (const g of groups) out(jformat('%-20s  %-64s  %-64s%n', front(cluster, 20), front(topic, 64), front(g, 64)));
      }
    },
  },
  {
    name: 'topicRoute',
    desc: 'Examine topic route info.',
    options: [t(), o('l', 'list', false)],
    async run(admin, p, out) {
      const route = await admin.getTopicRoute(str(p, 't')!);
      if (p.has('l')) {
        const F = '%-45s %-32s %-50s %-10s %-11s %-5s%n';
        out(jformat(F, '#ClusterName', '#BrokerName', '#BrokerAddrs', '#ReadQueue', '#WriteQueue', '#Perm'));
        let read = 0;
        let write = 0;
        const byName = new Map(route.queueDatas.map((q) => [q.brokerName, q]));
        for (const bd of [...route.brokerDatas].sort((a, b) => (a.brokerName < b.brokerName ? -1 : a.brokerName > b.brokerName ? 1 : 0))) {
          const q = byName.get(bd.brokerName);
          read += q?.readQueueNums ?? 0;
          write += q?.writeQueueNums ?? 0;
          const addrs = `{${[...bd.brokerAddrs].map(([id, a]) => `${id}=${a}`).join(', ')}}`;
          out(jformat(F, bd.cluster, bd.brokerName, addrs, q?.readQueueNums ?? 0, q?.writeQueueNums ?? 0, q?.perm ?? 0));
        }
        out('-'.repeat(158) + '\n');
        out(jformat(F, 'Total:', byName.size, '', read, write, ''));
        return;
      }
      out(stringifyFastjson(topicRouteDataToJson(route), { pretty: true }) + '\n');
    },
  },
  {
    name: 'topicStatus',
    desc: 'Examine topic Status info.',
    options: [t(), o('c', 'cluster', true)],
    async run(admin, p, out) {
      const s = await admin.topicStatus(str(p, 't')!);
      out(jformat('%-32s  %-4s  %-20s  %-20s    %s%n', '#Broker Name', '#QID', '#Min Offset', '#Max Offset', '#Last Updated'));
      for (const q of s.queues) {
        out(jformat('%-32s  %-4d  %-20d  %-20d    %s%n', front(q.brokerName, 32), q.queueId, q.minOffset, q.maxOffset, javaHumanTime(q.lastUpdateTimestamp)));
      }
      out(jformat('%nTopic Put TPS: %s%n', javaDoubleToString(s.putTps)));
    },
  },
  {
    name: 'topicClusterList',
    desc: 'Get cluster info for topic.',
    options: [t()],
    async run(admin, p, out) {
      for (const c of await admin.topicClusters(str(p, 't')!)) out(jformat('%s%n', c));
    },
  },
  {
    name: 'allocateMQ',
    desc: 'Allocate MQ.',
    options: [t(), o('i', 'ipList', true, true)],
    async run(admin, p, out) {
      const topic = str(p, 't')!;
      const route = await admin.getTopicRoute(topic);
      // the queues as Java's HashSet holds them, the ips in the order given, the result map in HashMap order
      const mqs = javaHashOrder(
        route.queueDatas.filter((q) => (q.perm & 4) === 4).flatMap((q) => Array.from({ length: q.readQueueNums }, (_, i) => ({ brokerName: q.brokerName, queueId: i, topic }))),
        javaMessageQueueHash,
      );
      const ips = str(p, 'i')!.split(',');
      const result = new Map<string, unknown[]>();
      for (const ip of javaHashOrder([...new Set(ips)], javaStringHash)) {
        // AllocateMessageQueueAveragely
        const index = ips.indexOf(ip);
        const mod = mqs.length % ips.length;
        const avg = mqs.length <= ips.length ? 1 : mod > 0 && index < mod ? Math.floor(mqs.length / ips.length) + 1 : Math.floor(mqs.length / ips.length);
        const start = mod > 0 && index < mod ? index * avg : index * avg + mod;
        const range = Math.min(avg, mqs.length - start);
        result.set(ip, range > 0 ? mqs.slice(start, start + range) : []);
      }
      out(stringifyFastjson({ result }) + '\n');
    },
  },
];
