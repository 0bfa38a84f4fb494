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

/**
 * MQVersion.getVersionDesc for releases from V4_9_4 (ordinal 401) on: from there every x.y.z (z 0..9, y 0..9)
 * has a SNAPSHOT ordinal and a release ordinal (V5_0_0 = 413, V5_3_3 = 479). Older ordinals print as numbers.
 */
export function versionDesc(ordinal: number): string {
  if (!Number.isInteger(ordinal) || ordinal < 401) return String(ordinal);
  const snapshot = (ordinal - 401) % 2 === 1;
  const idx = Math.ceil((ordinal - 401) / 2) + 494; // 4.9.4 is the 494th x.y.z counted from 0.0.0
  const major = Math.floor(idx / 100);
  const minor = Math.floor((idx % 100) / 10);
  const patch = idx % 10;
  return `V${major}_${minor}_${patch}${snapshot ? '_SNAPSHOT' : ''}`;
}
