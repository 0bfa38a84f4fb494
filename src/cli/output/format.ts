// Human formatting of times and the stable JSON shape of a message.
import type { MessageExt } from '../../common/message.js';

/** Local time as mqadmin prints it (UtilAll.timeMillisToHumanString2: yyyy-MM-dd HH:mm:ss,SSS). */
export function humanTime(ms: number): string {
  if (!ms || ms <= 0) return '-';
  const d = new Date(ms);
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())},${p(d.getMilliseconds(), 3)}`;
}

export interface MessageJson {
  msgId: string;
  uniqKey?: string;
  topic: string;
  tags?: string;
  keys?: string;
  queueId: number;
  queueOffset: number;
  commitLogOffset: number;
  reconsumeTimes: number;
  bornTimestamp: number;
  storeTimestamp: number;
  bornHost: string;
  storeHost: string;
  sysFlag: number;
  bodyCRC: number;
  properties: Record<string, string>;
  bodyLength: number;
  body: string;
}

/** The JSON every msg command prints per message (field names are part of mqctl's documented interface). */
export function messageToJson(m: MessageExt): MessageJson {
  return {
    msgId: m.msgId,
    uniqKey: m.properties.UNIQ_KEY,
    topic: m.topic,
    tags: m.properties.TAGS,
    keys: m.properties.KEYS,
    queueId: m.queueId,
    queueOffset: m.queueOffset,
    commitLogOffset: m.commitLogOffset,
    reconsumeTimes: m.reconsumeTimes,
    bornTimestamp: m.bornTimestamp,
    storeTimestamp: m.storeTimestamp,
    bornHost: m.bornHost,
    storeHost: m.storeHost,
    sysFlag: m.sysFlag,
    bodyCRC: m.bodyCRC,
    properties: m.properties,
    bodyLength: m.body.length,
    body: m.body.toString('utf8'),
  };
}
