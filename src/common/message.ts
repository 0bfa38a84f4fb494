/**
 * Message model. Hosts are "ip:port" strings (IPv6 "[addr]:port"). 64-bit fields are JS numbers
 * (offsets and timestamps stay far below 2^53).
 */
export interface Message {
  topic: string;
  flag: number;
  body: Buffer;
  properties: Record<string, string>;
}

/** What the broker hands to the store (Apache MessageExtBrokerInner). */
export interface MessageExtBrokerInner extends Message {
  queueId: number;
  sysFlag: number;
  bornTimestamp: number;
  bornHost: string;
  storeHost: string;
  reconsumeTimes: number;
  preparedTransactionOffset: number;
  /** Consume-queue tags code; computed from TAGS when absent. */
  tagsCode?: number;
  /** Store timestamp to use instead of "now" (e.g. replication / tests); normally absent. */
  storeTimestamp?: number;
}

/** A decoded record (Apache MessageExt). */
export interface MessageExt extends Message {
  queueId: number;
  storeSize: number;
  queueOffset: number;
  sysFlag: number;
  bornTimestamp: number;
  bornHost: string;
  storeTimestamp: number;
  storeHost: string;
  /** Offset message id (store host + commitlog offset). */
  msgId: string;
  commitLogOffset: number;
  bodyCRC: number;
  reconsumeTimes: number;
  preparedTransactionOffset: number;
  /** 1 for MAGIC v1, 2 for v2. */
  version: 1 | 2;
}

export function getTags(m: Message): string | undefined {
  return m.properties.TAGS;
}

export function getKeys(m: Message): string[] {
  const k = m.properties.KEYS;
  return k ? k.split(' ').filter((x) => x.length > 0) : [];
}

export function getUniqKey(m: Message): string | undefined {
  return m.properties.UNIQ_KEY;
}
