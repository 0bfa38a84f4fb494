// mqadmin-compatible message commands: queryMsgById, queryMsgByKey, queryMsgByUniqueKey, queryMsgByOffset,
// printMsg, printMsgByQueue, sendMessage, consumeMessage.
import type { MQAdmin } from '../../../client/admin/index.js';
import { NotFoundError } from '../../../client/admin/index.js';
import type { MessageExt } from '../../../common/message.js';
import { parseTimeFlag, usage } from '../../output/index.js';
import { bool, int, o, str, type Parsed } from './options.js';
import { jformat } from './printf.js';
import { javaMessageExt, showMessage } from './show-message.js';
import type { CompatCommand, Out } from './types.js';
import { javaHashOrder, javaMessageQueueHash } from './java-order.js';

/** MessageClientExt.getMsgId: the unique key when there is one. */
const clientMsgId = (m: MessageExt): string => m.properties.UNIQ_KEY ?? m.msgId;

function time(p: Parsed, short: string): number | undefined {
  return parseTimeFlag(`-${short}`, str(p, short));
}

function printMessages(list: MessageExt[], brokerName: string, printBody: boolean, out: Out): void {
  for (const m of list) out(jformat('MSGID: %s %s BODY: %s%n', clientMsgId(m), javaMessageExt(m, brokerName), printBody ? m.body.toString('utf8') : 'NOT PRINT BODY'));
}

const mqString = (topic: string, brokerName: string, queueId: number): string => `MessageQueue [topic=${topic}, brokerName=${brokerName}, queueId=${queueId}]`;

/** Pull [min, max) of one queue and print like printMsg; returns nothing, prints as it goes. */
async function printQueue(admin: MQAdmin, addr: string, topic: string, brokerName: string, queueId: number, min: number, max: number, printBody: boolean, out: Out): Promise<void> {
  for (let offset = min; offset < max; ) {
    const r = await admin.pullMessage(addr, topic, queueId, offset, 32);
    const mq = mqString(topic, brokerName, queueId);
    offset = r.nextBeginOffset;
    if (r.status === 'FOUND') printMessages(r.messages, brokerName, printBody, out);
    else if (r.status === 'NO_MATCHED_MSG') out(jformat('%s no matched msg. status=%s, offset=%s%n', mq, r.status, offset));
    else {
      out(jformat('%s print msg finished. status=%s, offset=%s%n', mq, r.status, offset));
      break;
    }
  }
}

async function queueTargets(admin: MQAdmin, topic: string, brokerName?: string, queueId?: number): Promise<Array<{ addr: string; brokerName: string; queueId: number }>> {
  const route = await admin.getTopicRoute(topic);
  const addrs = admin.routeBrokerAddrs(route);
  const out: Array<{ addr: string; brokerName: string; queueId: number }> = [];
  for (const qd of route.queueDatas) {
    if (brokerName && qd.brokerName !== brokerName) continue;
    const addr = addrs.get(qd.brokerName);
    if (!addr) continue;
    for (let q = 0; q < qd.readQueueNums; q++) if (queueId === undefined || q === queueId) out.push({ addr, brokerName: qd.brokerName, queueId: q });
  }
  if (out.length === 0) throw new NotFoundError(`no queue of ${topic}${brokerName ? ` on ${brokerName}` : ''}${queueId !== undefined ? ` with id ${queueId}` : ''}`);
  // mqadmin walks the queues in the order of the HashSet the client library returns
  return javaHashOrder(out, (q) => javaMessageQueueHash({ topic, brokerName: q.brokerName, queueId: q.queueId }));
}

export const messageCommands: CompatCommand[] = [
  {
    name: 'queryMsgById',
    desc: 'Query Message by Id.',
    options: [o('t', 'topic', true, true), o('i', 'msgId', true, true), o('g', 'consumerGroup', true), o('d', 'clientId', true), o('s', 'sendMessage', true), o('u', 'unitName', true), o('f', 'bodyFormat', true), o('c', 'cluster', true)],
    async run(admin, p, out) {
      for (const id of str(p, 'i')!.split(',').map((x) => x.trim()).filter(Boolean)) {
        const m = await admin.findMessage(id, str(p, 't'));
        const g = str(p, 'g');
        if (g) {
          const r = await admin.resendMessage(m.msgId, g, { clientId: str(p, 'd') });
          out(`ConsumeMessageDirectlyResult [order=${r.order}, autoCommit=${r.autoCommit}, consumeResult=${r.consumeResult}, remark=${r.remark ?? null}, spentTimeMills=${r.spentTimeMills ?? 0}]`);
          continue;
        }
        await showMessage(admin, m, out, { offsetId: true });
      }
    },
  },
  {
    name: 'queryMsgByKey',
    desc: 'Query Message by Key.',
    options: [o('t', 'topic', true, true), o('k', 'msgKey', true, true), o('b', 'beginTimestamp', true), o('e', 'endTimestamp', true), o('m', 'maxNum', true), o('c', 'cluster', true)],
    async run(admin, p, out) {
      const list = await admin.queryMessagesByKey({
        topic: str(p, 't')!,
        key: str(p, 'k')!,
        beginTimestamp: time(p, 'b'),
        endTimestamp: time(p, 'e'),
        maxNum: int(p, 'm', 'queryMsgByKey'),
      });
      out(jformat('%-50s %4s %40s%n', '#Message ID', '#QID', '#Offset'));
      for (const m of list) out(jformat('%-50s %4d %40d%n', clientMsgId(m), m.queueId, m.queueOffset));
      if (list.length === 0) throw new NotFoundError(`no message with key ${str(p, 'k')} in ${str(p, 't')}`);
    },
  },
  {
    name: 'queryMsgByUniqueKey',
    desc: 'Query Message by Unique key.',
    options: [o('i', 'msgId', true, true), o('g', 'consumerGroup', true), o('d', 'clientId', true), o('t', 'topic', true, true), o('a', 'showAll', false), o('c', 'cluster', true)],
    async run(admin, p, out) {
      const id = str(p, 'i')!;
      const list = await admin.queryMessagesByUniqKey(str(p, 't')!, id);
      if (list.length === 0) throw new NotFoundError(`message ${id} not found in ${str(p, 't')}`);
      const g = str(p, 'g');
      if (g) {
        const r = await admin.resendMessage(list[0].msgId, g, { clientId: str(p, 'd') });
        out(`ConsumeMessageDirectlyResult [order=${r.order}, autoCommit=${r.autoCommit}, consumeResult=${r.consumeResult}, remark=${r.remark ?? null}, spentTimeMills=${r.spentTimeMills ?? 0}]`);
        return;
      }
      const n = p.has('a') ? list.length : 1;
      for (let i = 0; i < n; i++) await showMessage(admin, list[i], out, { bodyName: i === 0 ? id : `${id}_${i}` });
    },
  },
  {
    name: 'queryMsgByOffset',
    desc: 'Query Message by offset.',
    options: [o('t', 'topic', true, true), o('b', 'brokerName', true, true), o('i', 'queueId', true, true), o('o', 'offset', true, true), o('f', 'bodyFormat', true)],
    async run(admin, p, out) {
      const m = await admin.queryMessageByOffset(str(p, 't')!, str(p, 'b')!, int(p, 'i', 'queryMsgByOffset')!, int(p, 'o', 'queryMsgByOffset')!);
      await showMessage(admin, m, out, { offsetId: true });
    },
  },
  {
    name: 'printMsg',
    desc: 'Print Message Detail.',
    options: [o('t', 'topic', true, true), o('c', 'charsetName', true), o('s', 'subExpression', true), o('b', 'beginTimestamp', true), o('e', 'endTimestamp', true), o('d', 'printBody', true), o('l', 'lmqParentTopic', true)],
    async run(admin, p, out) {
      const topic = str(p, 't')!;
      const printBody = bool(p, 'd') ?? true;
      const begin = time(p, 'b');
      const end = time(p, 'e');
      for (const q of await queueTargets(admin, topic)) {
        let min = await admin.getMinOffset(q.addr, topic, q.queueId, q.brokerName);
        let max = await admin.getMaxOffset(q.addr, topic, q.queueId, q.brokerName);
        if (begin !== undefined) min = await admin.searchOffset(q.addr, topic, q.queueId, begin, q.brokerName);
        if (end !== undefined) max = await admin.searchOffset(q.addr, topic, q.queueId, end, q.brokerName);
        out(jformat('minOffset=%s, maxOffset=%s, %s%n', min, max, mqString(topic, q.brokerName, q.queueId)));
        await printQueue(admin, q.addr, topic, q.brokerName, q.queueId, min, max, printBody, out);
        out('--------------------------------------------------------\n');
      }
    },
  },
  {
    name: 'printMsgByQueue',
    desc: 'Print Message Detail by queueId.',
    options: [o('t', 'topic', true, true), o('a', 'brokerName', true, true), o('i', 'queueId', true, true), o('c', 'charsetName', true), o('s', 'subExpression', true), o('b', 'beginTimestamp', true), o('e', 'endTimestamp', true), o('p', 'print msg', true), o('d', 'printBody', true), o('f', 'calculate', true)],
    async run(admin, p, out) {
      const topic = str(p, 't')!;
      const [q] = await queueTargets(admin, topic, str(p, 'a')!, int(p, 'i', 'printMsgByQueue'));
      const begin = time(p, 'b');
      const end = time(p, 'e');
      const min = begin !== undefined ? await admin.searchOffset(q.addr, topic, q.queueId, begin, q.brokerName) : await admin.getMinOffset(q.addr, topic, q.queueId, q.brokerName);
      const max = end !== undefined ? await admin.searchOffset(q.addr, topic, q.queueId, end, q.brokerName) : await admin.getMaxOffset(q.addr, topic, q.queueId, q.brokerName);
      const printMsg = bool(p, 'p') ?? false;
      const printBody = bool(p, 'd') ?? false;
      const tagCount = new Map<string, number>();
      for (let offset = min; offset < max; ) {
        const r = await admin.pullMessage(q.addr, topic, q.queueId, offset, 32);
        if (r.status !== 'FOUND') break;
        offset = r.nextBeginOffset;
        for (const m of r.messages) {
          const tag = m.properties.TAGS ?? '';
          tagCount.set(tag, (tagCount.get(tag) ?? 0) + 1);
        }
        if (printMsg) printMessages(r.messages, q.brokerName, printBody, out);
      }
      if (bool(p, 'f')) {
        for (const [tag, count] of [...tagCount].sort((a, b) => b[1] - a[1])) out(jformat('Tag: %-30s Count: %s%n', tag, count));
      }
    },
  },
  {
    name: 'sendMessage',
    desc: 'Send a message.',
    options: [o('t', 'topic', true, true), o('p', 'body', true, true), o('k', 'key', true), o('c', 'tags', true), o('b', 'broker', true), o('i', 'qid', true), o('m', 'msgTraceEnable', true)],
    async run(admin, p, out) {
      const topic = str(p, 't')!;
      const route = await admin.getTopicRoute(topic);
      const addrs = admin.routeBrokerAddrs(route);
      const broker = str(p, 'b');
      const qid = int(p, 'i', 'sendMessage');
      if (qid !== undefined && !broker) throw usage('mqadmin sendMessage: -i needs -b');
      const qd = route.queueDatas.find((q) => (!broker || q.brokerName === broker) && (q.perm & 2) === 2);
      if (!qd || !addrs.get(qd.brokerName)) throw new NotFoundError(`no writable queue of ${topic}${broker ? ` on ${broker}` : ''}`);
      const queueId = qid ?? Math.floor(Math.random() * qd.writeQueueNums);
      const r = await admin.sendMessage(addrs.get(qd.brokerName)!, { topic, queueId, body: Buffer.from(str(p, 'p')!, 'utf8'), keys: str(p, 'k'), tags: str(p, 'c'), brokerName: qd.brokerName });
      out(jformat('%-32s  %-4s  %-20s    %s%n', '#Broker Name', '#QID', '#Send Result', '#MsgId'));
      out(jformat('%-32s  %-4s  %-20s    %s%n', qd.brokerName, r.queueId, r.status, r.msgId));
    },
  },
  {
    name: 'consumeMessage',
    desc: 'Consume message.',
    options: [o('t', 'topic', true, true), o('b', 'brokerName', true), o('i', 'queueId', true), o('o', 'offset', true), o('g', 'consumerGroup', true), o('s', 'beginTimestamp', true), o('e', 'endTimestamp', true), o('c', 'MessageNumber', true)],
    async run(admin, p, out) {
      const topic = str(p, 't')!;
      const count = int(p, 'c', 'consumeMessage') ?? 128;
      const broker = str(p, 'b');
      const queueId = int(p, 'i', 'consumeMessage');
      const startOffset = int(p, 'o', 'consumeMessage');
      if (queueId !== undefined && !broker) throw usage('mqadmin consumeMessage: Please set the brokerName before queueId!');
      if (startOffset !== undefined && queueId === undefined) throw usage('mqadmin consumeMessage: Please set queueId before offset!');
      const begin = time(p, 's') ?? 0;
      const end = time(p, 'e') ?? 0;
      const group = str(p, 'g');
      // the pull loop of mqadmin: [min, max] inclusive, asking for exactly what is left each time
      const pullRange = async (q: { addr: string; brokerName: string; queueId: number }, min: number, max: number): Promise<void> => {
        const mq = mqString(topic, q.brokerName, q.queueId);
        for (let offset = min; offset <= max; ) {
          const r = await admin.pullMessage(q.addr, topic, q.queueId, offset, Math.max(1, max - offset + 1), group);
          offset = r.nextBeginOffset;
          if (r.status === 'FOUND') {
            out('Consume ok\n');
            printMessages(r.messages, q.brokerName, true, out);
          } else if (r.status === 'NO_MATCHED_MSG') {
            out(jformat('%s no matched msg. status=%s, offset=%s\n', mq, r.status, offset));
          } else {
            out(jformat('%s print msg finished. status=%s, offset=%s\n', mq, r.status, offset));
            break;
          }
        }
      };
      const bounds = async (q: { addr: string; brokerName: string; queueId: number }): Promise<[number, number]> => [
        begin > 0 ? await admin.searchOffset(q.addr, topic, q.queueId, begin, q.brokerName) : await admin.getMinOffset(q.addr, topic, q.queueId, q.brokerName),
        end > 0 ? await admin.searchOffset(q.addr, topic, q.queueId, end, q.brokerName) : await admin.getMaxOffset(q.addr, topic, q.queueId, q.brokerName),
      ];
      if (queueId !== undefined) {
        const [q] = await queueTargets(admin, topic, broker, queueId);
        let [min, max] = await bounds(q);
        const offset = startOffset ?? 0;
        if (offset > max) {
          out(jformat('%s no matched msg, offset=%s\n', mqString(topic, q.brokerName, q.queueId), offset));
          return;
        }
        min = Math.max(min, offset);
        if (max - min > count) {
          out(jformat('The oldler %d message will be provided\n', count));
          max = min + count - 1;
        }
        await pullRange(q, min, max);
        return;
      }
      let left = count;
      for (const q of await queueTargets(admin, topic, broker)) {
        if (left === 0) return;
        let [min, max] = await bounds(q);
        if (max - min > left) {
          out(jformat('The older %d message of the %d queue will be provided\n', left, q.queueId));
          max = min + left - 1;
          left = 0;
        } else {
          left = left - (max - min) - 1;
        }
        await pullRange(q, min, max);
      }
    },
  },
];
