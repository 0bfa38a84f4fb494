// Building outgoing messages the way Apache's Message class does: tags, keys, delay level and user
// properties become entries of the properties map; WAIT=true unless told otherwise.
import type { Message } from '../../common/message.js';
import { MessageConst } from '../../common/message-const.js';

export interface MessageInit {
  topic: string;
  body: Buffer | string;
  tags?: string;
  /** One key or several (joined with spaces, the KEYS property). */
  keys?: string | string[];
  /** Delay level 1..18 (0 = none). */
  delayLevel?: number;
  flag?: number;
  properties?: Record<string, string>;
  /** WAIT property: wait for flush/replication under SYNC modes (default true). */
  waitStoreMsgOK?: boolean;
}

/** Property names a user may not set (Apache MessageConst.STRING_HASH_SET). */
const RESERVED = new Set<string>(Object.values(MessageConst));

export function isReservedProperty(name: string): boolean {
  return RESERVED.has(name);
}

export function createMessage(init: MessageInit): Message {
  const properties: Record<string, string> = {};
  for (const [k, v] of Object.entries(init.properties ?? {})) {
    if (isReservedProperty(k)) throw new Error(`The Property<${k}> is used by system, input another please`);
    if (v === undefined || v === null || v === '') continue;
    properties[k] = String(v);
  }
  if (init.tags) properties[MessageConst.TAGS] = init.tags;
  const keys = Array.isArray(init.keys) ? init.keys.join(' ') : init.keys;
  if (keys && keys.trim()) properties[MessageConst.KEYS] = keys;
  if (init.delayLevel && init.delayLevel > 0) properties[MessageConst.DELAY_TIME_LEVEL] = String(init.delayLevel);
  properties[MessageConst.WAIT_STORE_MSG_OK] = String(init.waitStoreMsgOK ?? true);
  return {
    topic: init.topic,
    flag: init.flag ?? 0,
    body: typeof init.body === 'string' ? Buffer.from(init.body, 'utf8') : init.body,
    properties,
  };
}
