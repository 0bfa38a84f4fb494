// Message lookups: by offset message id, by unique key (UNIQ_KEY), by key through the index, by queue offset,
// printing a queue range, and re-delivering one message to a consumer client (CONSUME_MESSAGE_DIRECTLY).
import { decodeOffsetMsgId } from '../../common/msgid.js';
import type { MessageExt } from '../../common/message.js';
import { getKeys } from '../../common/message.js';
import { AdminError, NotFoundError } from './errors.js';
import type { MQAdminCore } from './core.js';
import { consumerConnection } from './groups.js';

/** Upper bound the broker applies to QUERY_MESSAGE anyway (maxMsgsNumBatch). */
export const MAX_QUERY_NUM = 64;

export function isOffsetMsgId(id: string): boolean {
  if (!/^[0-9A-Fa-f]+$/.test(id) || (id.length !== 32 && id.length !== 56)) return false;
  try {
    const port = Number(decodeOffsetMsgId(id).address.split(':').pop());
    return port > 0 && port <= 65535;
  } catch {
    return false;
  }
}

/** What the broker stored, by offset message id (store host + commitlog offset). */
export async function viewMessageByOffsetId(admin: MQAdminCore, msgId: string, topic?: string): Promise<MessageExt> {
  const { address, offset } = decodeOffsetMsgId(msgId);
  return admin.viewMessage(address, offset, topic);
}

export interface KeyQuery {
  topic: string;
  key: string;
  maxNum?: number;
  beginTimestamp?: number;
  endTimestamp?: number;
}

async function queryAllBrokers(admin: MQAdminCore, q: KeyQuery, uniqueKey: boolean): Promise<MessageExt[]> {
  const route = await admin.getTopicRoute(q.topic);
  const out: MessageExt[] = [];
  for (const addr of admin.routeBrokerAddrs(route).values()) {
    const found = await admin.queryMessageOnBroker(addr, {
      topic: q.topic,
      key: q.key,
      maxNum: Math.min(q.maxNum ?? MAX_QUERY_NUM, MAX_QUERY_NUM),
      beginTimestamp: q.beginTimestamp ?? 0,
      endTimestamp: q.endTimestamp ?? Number.MAX_SAFE_INTEGER,
      uniqueKey,
    });
    out.push(...found);
  }
  return out;
}

/** Messages whose KEYS contain the key (the index may return hash collisions: they are dropped). */
export async function queryMessagesByKey(admin: MQAdminCore, q: KeyQuery): Promise<MessageExt[]> {
  const hits = (await queryAllBrokers(admin, q, false)).filter((m) => m.topic === q.topic && getKeys(m).includes(q.key));
  return hits.sort((a, b) => a.storeTimestamp - b.storeTimestamp || a.commitLogOffset - b.commitLogOffset);
}

/** Messages carrying UNIQ_KEY = key (a retried message may be stored more than once). */
export async function queryMessagesByUniqKey(admin: MQAdminCore, topic: string, uniqKey: string): Promise<MessageExt[]> {
  const hits = (await queryAllBrokers(admin, { topic, key: uniqKey }, true)).filter((m) => m.topic === topic && m.properties.UNIQ_KEY === uniqKey);
  return hits.sort((a, b) => a.storeTimestamp - b.storeTimestamp);
}

/** By offset id, else by unique key (which needs the topic). */
export async function findMessage(admin: MQAdminCore, id: string, topic?: string): Promise<MessageExt> {
  if (isOffsetMsgId(id)) {
    try {
      return await viewMessageByOffsetId(admin, id, topic);
    } catch (e) {
      // a unique key is 32 hex digits too: with a topic, fall back to looking it up as one
      if (!topic || !(e instanceof Error)) throw e;
    }
  }
  if (!topic) throw new AdminError(`${id} is not an offset message id; give the topic (-t) to look it up as a unique key`);
  const hits = await queryMessagesByUniqKey(admin, topic, id);
  if (hits.length === 0) throw new NotFoundError(`message ${id} not found in topic ${topic}`);
  return hits[0];
}

async function brokerAddrOf(admin: MQAdminCore, topic: string, brokerName: string): Promise<string> {
  const route = await admin.getTopicRoute(topic);
  const addr = admin.routeBrokerAddrs(route).get(brokerName);
  if (!addr) throw new NotFoundError(`broker ${brokerName} does not serve topic ${topic}`);
  return addr;
}

export async function queryMessageByOffset(admin: MQAdminCore, topic: string, brokerName: string, queueId: number, offset: number): Promise<MessageExt> {
  const addr = await brokerAddrOf(admin, topic, brokerName);
  const r = await admin.pullMessage(addr, topic, queueId, offset, 1);
  const m = r.messages.find((x) => x.queueOffset === offset);
  if (!m) throw new NotFoundError(`no message at ${topic} ${brokerName}:${queueId} offset ${offset} (queue holds ${r.minOffset}..${r.maxOffset - 1})`);
  return m;
}

export interface PrintRange {
  topic: string;
  brokerName?: string;
  queueId?: number;
  beginTimestamp?: number;
  endTimestamp?: number;
  /** Stop after this many messages in total (default 1000). */
  limit?: number;
}

/** Messages of a topic (or one queue) whose store time is within [begin, end], in queue order. */
export async function printMessages(admin: MQAdminCore, r: PrintRange): Promise<MessageExt[]> {
  const route = await admin.getTopicRoute(r.topic);
  const limit = r.limit ?? 1000;
  const out: MessageExt[] = [];
  for (const qd of [...route.queueDatas].sort((a, b) => (a.brokerName < b.brokerName ? -1 : a.brokerName > b.brokerName ? 1 : 0))) {
    if (r.brokerName && qd.brokerName !== r.brokerName) continue;
    const addr = admin.routeBrokerAddrs(route).get(qd.brokerName);
    if (!addr) continue;
    for (let q = 0; q < qd.readQueueNums; q++) {
      if (r.queueId !== undefined && q !== r.queueId) continue;
      let offset = r.beginTimestamp !== undefined ? await admin.searchOffset(addr, r.topic, q, r.beginTimestamp, qd.brokerName) : await admin.getMinOffset(addr, r.topic, q, qd.brokerName);
      const end = await admin.getMaxOffset(addr, r.topic, q, qd.brokerName);
      while (offset < end && out.length < limit) {
        const res = await admin.pullMessage(addr, r.topic, q, offset, Math.min(32, limit - out.length));
        if (res.status !== 'FOUND') {
          if (res.status === 'OFFSET_ILLEGAL' && res.nextBeginOffset > offset) {
            offset = res.nextBeginOffset;
            continue;
          }
          break;
        }
        let past = false;
        for (const m of res.messages) {
          if (r.beginTimestamp !== undefined && m.storeTimestamp < r.beginTimestamp) continue;
          if (r.endTimestamp !== undefined && m.storeTimestamp > r.endTimestamp) {
            past = true;
            break;
          }
          if (out.length < limit) out.push(m);
        }
        if (past || res.nextBeginOffset <= offset) break;
        offset = res.nextBeginOffset;
      }
      if (out.length >= limit) return out;
    }
  }
  return out;
}

export interface ResendResult {
  msgId: string;
  clientId: string;
  consumeResult: string;
  remark?: string;
  spentTimeMills?: number;
  order?: boolean;
  autoCommit?: boolean;
}

/** Hand one stored message to a consumer client of the group (the first online one unless given). */
export async function resendMessage(admin: MQAdminCore, id: string, group: string, opts: { clientId?: string; topic?: string } = {}): Promise<ResendResult> {
  const msg = await findMessage(admin, id, opts.topic);
  const storeAddr = msg.storeHost;
  let clientId = opts.clientId;
  const conn = await consumerConnection(admin, group, storeAddr);
  if (!conn) throw new NotFoundError(`consumer group ${group} has no client online on ${storeAddr}`);
  if (!clientId) clientId = conn.connectionSet[0].clientId;
  const r = await admin.consumeMessageDirectly(storeAddr, group, clientId, msg.msgId, { topic: msg.topic });
  return {
    msgId: msg.msgId,
    clientId,
    consumeResult: String(r.consumeResult ?? ''),
    remark: r.remark === undefined ? undefined : String(r.remark),
    spentTimeMills: typeof r.spentTimeMills === 'number' ? r.spentTimeMills : undefined,
    order: typeof r.order === 'boolean' ? r.order : undefined,
    autoCommit: typeof r.autoCommit === 'boolean' ? r.autoCommit : undefined,
  };
}
