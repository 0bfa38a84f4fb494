import zlib from 'node:zlib';
import { bodyCrc } from './crc32.js';
import { parseHost, writeHost, readHost, hostLength, type HostParts } from './host.js';
import type { MessageExt, MessageExtBrokerInner } from './message.js';
import { offsetMsgIdFromHostBytes } from './msgid.js';
import { messageProperties2String, string2messageProperties } from './properties.js';
import { SysFlag, compressionType } from './sysflag.js';
import { put32, putLong } from './bytes.js';

/**
 * Commitlog record codec (storage.md §3). The same bytes are what pull/query responses carry.
 *
 * Encoding happens once, before the append lock is taken; the append then patches QUEUEOFFSET,
 * PHYSICALOFFSET and STORETIMESTAMP in place (`patchRecord`), so a batch is one contiguous buffer.
 */
export const MAGIC_V1 = -626843481; // 0xDAA320A7
export const MAGIC_V2 = -626843477; // 0xDAA320AB
export const BLANK_MAGIC = -875286124; // 0xCBD43194

export const POS_TOTALSIZE = 0;
export const POS_MAGIC = 4;
export const POS_BODYCRC = 8;
export const POS_QUEUEID = 12;
export const POS_FLAG = 16;
export const POS_QUEUEOFFSET = 20;
export const POS_PHYSICALOFFSET = 28;
export const POS_SYSFLAG = 36;
export const POS_BORNTIMESTAMP = 40;
export const POS_BORNHOST = 48;

export const MAX_PROPERTIES_LENGTH = 32767;

export class RecordEncodeError extends Error {
  constructor(readonly status: 'PROPERTIES_SIZE_EXCEEDED' | 'MESSAGE_ILLEGAL', message: string) {
    super(message);
    this.name = 'RecordEncodeError';
  }
}

/** Length of a record from its parts (bornHostLen/storeHostLen are 8 or 20). */
export function calcRecordLength(version: 1 | 2, bodyLen: number, topicLen: number, propsLen: number,
  bornHostLen = 8, storeHostLen = 8): number {
  return 4 + 4 + 4 + 4 + 4 + 8 + 8 + 4 + 8 + bornHostLen + 8 + storeHostLen + 4 + 8 +
    4 + bodyLen + (version === 2 ? 2 : 1) + topicLen + 2 + propsLen;
}

export interface EncodeOptions {
  /** Force the record version; default v2 only when the topic is longer than 127 bytes. */
  version?: 1 | 2;
  queueOffset?: number;
  physicalOffset?: number;
  storeTimestamp?: number;
  /** Properties string to store instead of serializing msg.properties. */
  propertiesString?: string;
  /** Where the record goes: returns a buffer of exactly `size` bytes (default: a fresh allocation). */
  alloc?: (size: number) => Buffer;
}

export function readLong(buf: Buffer, off: number): number {
  return buf.readInt32BE(off) * 4294967296 + buf.readUInt32BE(off + 4);
}

interface CachedHost extends HostParts {
  /** Address + int32 port as stored (8 or 20 bytes). */
  bytes: Buffer;
}
const hostCache = new Map<string, CachedHost>();
function hostOf(s: string): CachedHost {
  let h = hostCache.get(s);
  if (!h) {
    const parts = parseHost(s);
    const bytes = Buffer.alloc(hostLength(parts.v6));
    writeHost(bytes, 0, parts);
    h = { ...parts, bytes };
    if (hostCache.size > 4096) hostCache.clear();
    hostCache.set(s, h);
  }
  return h;
}

/** UTF-8 byte length, or -1 when the string is not pure ASCII (then use Buffer.byteLength/write). */
function asciiLength(s: string): number {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return -1;
  return s.length;
}

/** Writes a string known to be ASCII; a JS loop beats the native call for short strings. */
function writeAscii(buf: Buffer, s: string, off: number): void {
  if (s.length > 64) { buf.write(s, off, s.length, 'latin1'); return; }
  for (let i = 0; i < s.length; i++) buf[off + i] = s.charCodeAt(i);
}

let lastTopic = '';
let lastTopicAscii = 0;
/** ASCII length of a topic (-1 when not ASCII); puts come in runs of one topic, so the last answer is kept. */
function topicAsciiLength(topic: string): number {
  if (topic !== lastTopic) {
    lastTopicAscii = asciiLength(topic);
    lastTopic = topic;
  }
  return lastTopicAscii;
}

/**
 * Writes `k\u0001v\u0002` pairs from `off` while checking they are ASCII, stopping at `limit`.
 * Returns the bytes written, -1 at the first non-ASCII character, -2 when `limit` would be passed.
 */
function writeAsciiPropsChecked(buf: Buffer, props: Record<string, string | undefined | null> | undefined, off: number, limit: number): number {
  if (!props) return 0;
  const start = off;
  for (const k in props) {
    const v = props[k];
    if (v === undefined || v === null) continue;
    if (off + k.length + v.length + 2 > limit) return -2;
    for (let i = 0; i < k.length; i++) {
      const c = k.charCodeAt(i);
      if (c > 0x7f) return -1;
      buf[off++] = c;
    }
    buf[off++] = 1;
    for (let i = 0; i < v.length; i++) {
      const c = v.charCodeAt(i);
      if (c > 0x7f) return -1;
      buf[off++] = c;
    }
    buf[off++] = 2;
  }
  return off - start;
}

function propertiesTooLarge(len: number): RecordEncodeError {
  return new RecordEncodeError('PROPERTIES_SIZE_EXCEEDED', `properties size ${len} exceeds ${MAX_PROPERTIES_LENGTH}`);
}

/**
 * Encodes one record at `target[off]` and returns its length; when it does not fit, returns minus the room
 * it needs (the caller gets a bigger buffer and calls again). The V6 host bits of sysFlag are set from the
 * host addresses. ASCII properties are checked and written in one pass, straight into the record.
 */
export function encodeRecordInto(msg: MessageExtBrokerInner, target: Buffer, off: number, opts: EncodeOptions = {}): number {
  const born = hostOf(msg.bornHost);
  const store = hostOf(msg.storeHost);
  let sysFlag = msg.sysFlag & ~(SysFlag.BORNHOST_V6 | SysFlag.STOREHOSTADDRESS_V6);
  if (born.v6) sysFlag |= SysFlag.BORNHOST_V6;
  if (store.v6) sysFlag |= SysFlag.STOREHOSTADDRESS_V6;
  const topicAscii = topicAsciiLength(msg.topic);
  const topicLen = topicAscii >= 0 ? topicAscii : Buffer.byteLength(msg.topic);
  const version = opts.version ?? (topicLen > 127 ? 2 : 1);
  if (version === 1 && topicLen > 127) throw new RecordEncodeError('MESSAGE_ILLEGAL', `topic too long for a v1 record: ${topicLen}`);
  if (topicLen > 32767) throw new RecordEncodeError('MESSAGE_ILLEGAL', `topic too long: ${topicLen}`);
  const body = msg.body ?? EMPTY;
  const bornLen = born.bytes.length;
  const storeLen = store.bytes.length;
  const base = calcRecordLength(version, body.length, topicLen, 0, bornLen, storeLen);
  const propsAt = off + base;
  let propsLen = opts.propertiesString === undefined
    ? writeAsciiPropsChecked(target, msg.properties, propsAt, Math.min(target.length, propsAt + MAX_PROPERTIES_LENGTH + 1))
    : -1;
  if (propsLen === -2) {
    // out of room, or more than the limit: find out which
    if (propsAt + MAX_PROPERTIES_LENGTH + 1 > target.length) return -(base + MAX_PROPERTIES_LENGTH);
    throw propertiesTooLarge(Buffer.byteLength(messageProperties2String(msg.properties)));
  }
  if (propsLen === -1) {
    const props = opts.propertiesString ?? messageProperties2String(msg.properties);
    propsLen = Buffer.byteLength(props);
    if (propsLen > MAX_PROPERTIES_LENGTH) throw propertiesTooLarge(propsLen);
    if (propsAt + propsLen > target.length) return -(base + propsLen);
    target.write(props, propsAt, propsLen, 'utf8');
  }
  if (propsLen > MAX_PROPERTIES_LENGTH) throw propertiesTooLarge(propsLen);
  const total = base + propsLen;
  if (off + total > target.length) return -total;
  const buf = target;
  let p = off;
  put32(buf, p, total); p += 4;
  put32(buf, p, version === 2 ? MAGIC_V2 : MAGIC_V1); p += 4;
  put32(buf, p, bodyCrc(body)); p += 4;
  put32(buf, p, msg.queueId); p += 4;
  put32(buf, p, msg.flag | 0); p += 4;
  putLong(buf, p, opts.queueOffset ?? 0); p += 8;
  putLong(buf, p, opts.physicalOffset ?? 0); p += 8;
  put32(buf, p, sysFlag); p += 4;
  putLong(buf, p, msg.bornTimestamp); p += 8;
  buf.set(born.bytes, p); p += bornLen;
  putLong(buf, p, opts.storeTimestamp ?? msg.storeTimestamp ?? 0); p += 8;
  buf.set(store.bytes, p); p += storeLen;
  put32(buf, p, msg.reconsumeTimes | 0); p += 4;
  putLong(buf, p, msg.preparedTransactionOffset ?? 0); p += 8;
  put32(buf, p, body.length); p += 4;
  buf.set(body, p); p += body.length;
  if (version === 2) { buf[p++] = topicLen >>> 8; buf[p++] = topicLen; } else buf[p++] = topicLen;
  if (topicAscii >= 0) writeAscii(buf, msg.topic, p);
  else buf.write(msg.topic, p);
  p += topicLen;
  buf[p++] = propsLen >>> 8;
  buf[p++] = propsLen;
  return total;
}

const EMPTY = Buffer.alloc(0);
/** Largest record encodeRecord may need beyond its fixed part (properties at their limit). */
const RECORD_SCRATCH = 64 * 1024;
let scratch = Buffer.allocUnsafeSlow(RECORD_SCRATCH);

/** Encodes one record into a buffer of its own (or one from opts.alloc). */
export function encodeRecord(msg: MessageExtBrokerInner, opts: EncodeOptions = {}): Buffer {
  let n = encodeRecordInto(msg, scratch, 0, opts);
  if (n < 0) {
    scratch = Buffer.allocUnsafeSlow(Math.max(RECORD_SCRATCH, -n));
    n = encodeRecordInto(msg, scratch, 0, opts);
  }
  const out = opts.alloc ? opts.alloc(n) : Buffer.allocUnsafe(n);
  scratch.copy(out, 0, 0, n);
  return out;
}

/** Sets the fields only known at append time, in place; returns where the record's store host starts. */
export function patchRecord(buf: Buffer, at: number, queueOffset: number, physicalOffset: number, storeTimestamp: number): number {
  putLong(buf, at + POS_QUEUEOFFSET, queueOffset);
  putLong(buf, at + POS_PHYSICALOFFSET, physicalOffset);
  const bornLen = buf[at + POS_SYSFLAG + 3]! & SysFlag.BORNHOST_V6 ? 20 : 8;
  putLong(buf, at + POS_BORNHOST + bornLen, storeTimestamp);
  return at + POS_BORNHOST + bornLen + 8;
}

/** Store-host bytes (address + port) of a record, for the offset msgId. */
export function recordStoreHostBytes(buf: Buffer, at: number): Buffer {
  const sysFlag = buf.readInt32BE(at + POS_SYSFLAG);
  const bornLen = sysFlag & SysFlag.BORNHOST_V6 ? 20 : 8;
  const storeLen = sysFlag & SysFlag.STOREHOSTADDRESS_V6 ? 20 : 8;
  const s = at + POS_BORNHOST + bornLen + 8;
  return buf.subarray(s, s + storeLen);
}

/** Parsed header of a record, without copying the body (dispatch, recovery, verify). */
export interface RecordMeta {
  size: number;
  version: 1 | 2;
  bodyCRC: number;
  queueId: number;
  flag: number;
  queueOffset: number;
  physicalOffset: number;
  sysFlag: number;
  bornTimestamp: number;
  storeTimestamp: number;
  reconsumeTimes: number;
  preparedTransactionOffset: number;
  bodyStart: number;
  bodyLength: number;
  topic: string;
  propertiesString: string;
}

export type RecordCheck =
  | { kind: 'record'; meta: RecordMeta }
  | { kind: 'blank'; size: number }
  | { kind: 'invalid'; reason: 'magic' | 'size' | 'crc' | 'truncated'; detail: string };

/**
 * Validates the record at `at` (`end` = end of readable data), as CommitLog.checkMessageAndReturnSize:
 * magic, recomputed length = TOTALSIZE, optional body CRC. BLANK → end of the segment.
 */
export function checkRecord(buf: Buffer, at: number, end: number, checkCRC: boolean): RecordCheck {
  return parseRecord(buf, at, end, true, checkCRC);
}

/**
 * Shared parser. `strict` (store side): the record must lie within TOTALSIZE and its parts must add up to it.
 * Lenient (client side, as Java's MessageDecoder): fields are read one after another up to `end`; the record's
 * extent is what was parsed (some brokers write a TOTALSIZE that disagrees), `meta.size` keeps TOTALSIZE.
 */
function parseRecord(buf: Buffer, at: number, end: number, strict: boolean, checkCRC: boolean): RecordCheck & { parsed?: number } {
  if (end - at < 8) return { kind: 'invalid', reason: 'truncated', detail: 'fewer than 8 bytes left' };
  const size = buf.readInt32BE(at);
  const magic = buf.readInt32BE(at + 4);
  if (magic === BLANK_MAGIC) return { kind: 'blank', size };
  if (magic !== MAGIC_V1 && magic !== MAGIC_V2) {
    return { kind: 'invalid', reason: 'magic', detail: `bad magic 0x${(magic >>> 0).toString(16)}` };
  }
  const version = magic === MAGIC_V2 ? 2 : 1;
  if (strict) {
    if (size < calcRecordLength(version, 0, 0, 0)) return { kind: 'invalid', reason: 'size', detail: `total size ${size}` };
    if (size > end - at) return { kind: 'invalid', reason: 'truncated', detail: `total size ${size} beyond end of data` };
  }
  const lim = strict ? at + size : end;
  if (lim - at < POS_BORNHOST) return { kind: 'invalid', reason: 'truncated', detail: 'header beyond end of data' };
  const sysFlag = buf.readInt32BE(at + POS_SYSFLAG);
  const bornLen = sysFlag & SysFlag.BORNHOST_V6 ? 20 : 8;
  const storeLen = sysFlag & SysFlag.STOREHOSTADDRESS_V6 ? 20 : 8;
  let p = at + POS_BORNHOST + bornLen;
  if (p + 8 + storeLen + 16 > lim) return { kind: 'invalid', reason: strict ? 'size' : 'truncated', detail: 'header beyond record' };
  const storeTimestamp = readLong(buf, p); p += 8 + storeLen;
  const reconsumeTimes = buf.readInt32BE(p); p += 4;
  const preparedTransactionOffset = readLong(buf, p); p += 8;
  const bodyLength = buf.readInt32BE(p); p += 4;
  if (bodyLength < 0 || p + bodyLength > lim) return { kind: 'invalid', reason: 'size', detail: `body length ${bodyLength}` };
  const bodyStart = p; p += bodyLength;
  const topicLenBytes = version === 2 ? 2 : 1;
  if (p + topicLenBytes > lim) return { kind: 'invalid', reason: 'size', detail: 'topic length beyond record' };
  const topicLen = version === 2 ? buf.readInt16BE(p) : buf.readInt8(p);
  p += topicLenBytes;
  if (topicLen < 0 || p + topicLen + 2 > lim) return { kind: 'invalid', reason: 'size', detail: `topic length ${topicLen}` };
  const topic = buf.toString('utf8', p, p + topicLen); p += topicLen;
  const propsLen = buf.readInt16BE(p); p += 2;
  if (propsLen < 0 || p + propsLen > lim) return { kind: 'invalid', reason: 'size', detail: `properties length ${propsLen}` };
  const parsed = p + propsLen - at;
  if (strict && parsed !== size) return { kind: 'invalid', reason: 'size', detail: `total size ${size} != computed ${parsed}` };
  const propertiesString = propsLen ? buf.toString('utf8', p, p + propsLen) : '';
  const crc = buf.readInt32BE(at + POS_BODYCRC);
  if (checkCRC && crc !== bodyCrc(buf.subarray(bodyStart, bodyStart + bodyLength))) {
    return { kind: 'invalid', reason: 'crc', detail: `body CRC mismatch (stored ${crc})` };
  }
  return {
    kind: 'record',
    parsed,
    meta: {
      size, version, bodyCRC: crc, queueId: buf.readInt32BE(at + POS_QUEUEID), flag: buf.readInt32BE(at + POS_FLAG),
      queueOffset: readLong(buf, at + POS_QUEUEOFFSET), physicalOffset: readLong(buf, at + POS_PHYSICALOFFSET),
      sysFlag, bornTimestamp: readLong(buf, at + POS_BORNTIMESTAMP), storeTimestamp, reconsumeTimes,
      preparedTransactionOffset, bodyStart, bodyLength, topic, propertiesString,
    },
  };
}

export interface DecodeOptions {
  /** Require TOTALSIZE to match the parsed length (store side). Default false (client side, lenient). */
  strict?: boolean;
  /** Inflate ZLIB-compressed bodies and clear the COMPRESSED bit in the copy (default true). */
  decompress?: boolean;
  /** Reject records whose body CRC mismatches (default false: clients do not check). */
  checkCRC?: boolean;
  /** Copy the body out of the source buffer (default false: a view of it). */
  copyBody?: boolean;
}

/** Decodes the record at `at`; null when it is not a valid record. */
export function decodeRecord(buf: Buffer, at = 0, opts: DecodeOptions = {}): MessageExt | null {
  return decodeRecordAt(buf, at, opts)?.msg ?? null;
}

/** Decodes the record at `at`; also returns where the next record starts. */
export function decodeRecordAt(buf: Buffer, at: number, opts: DecodeOptions = {}): { msg: MessageExt; next: number } | null {
  const c = parseRecord(buf, at, buf.length, !!opts.strict, !!opts.checkCRC);
  if (c.kind !== 'record') return null;
  const m = c.meta;
  const bornLen = m.sysFlag & SysFlag.BORNHOST_V6 ? 20 : 8;
  const storeLen = m.sysFlag & SysFlag.STOREHOSTADDRESS_V6 ? 20 : 8;
  const storeHostAt = at + POS_BORNHOST + bornLen + 8;
  let body = buf.subarray(m.bodyStart, m.bodyStart + m.bodyLength);
  let sysFlag = m.sysFlag;
  if ((opts.decompress ?? true) && sysFlag & SysFlag.COMPRESSED && compressionType(sysFlag) === 'ZLIB') {
    try {
      body = zlib.inflateSync(body);
      sysFlag &= ~SysFlag.COMPRESSED;
    } catch {
      // Leave the body as stored: the caller sees COMPRESSED still set.
    }
  } else if (opts.copyBody) {
    body = Buffer.from(body);
  }
  const msg: MessageExt = {
    topic: m.topic, flag: m.flag, body, properties: string2messageProperties(m.propertiesString),
    queueId: m.queueId, storeSize: m.size, queueOffset: m.queueOffset, sysFlag,
    bornTimestamp: m.bornTimestamp, bornHost: readHost(buf, at + POS_BORNHOST, bornLen === 20),
    storeTimestamp: m.storeTimestamp, storeHost: readHost(buf, storeHostAt, storeLen === 20),
    msgId: offsetMsgIdFromHostBytes(buf.subarray(storeHostAt, storeHostAt + storeLen), m.physicalOffset),
    commitLogOffset: m.physicalOffset, bodyCRC: m.bodyCRC, reconsumeTimes: m.reconsumeTimes,
    preparedTransactionOffset: m.preparedTransactionOffset, version: m.version,
  };
  return { msg, next: at + (c.parsed ?? m.size) };
}

/**
 * Decodes records laid back to back (a pull/query response body). Like the Java client, decoding stops at
 * the first thing that is not a valid record; everything before it is returned.
 */
export function decodeMessages(buf: Buffer, opts: DecodeOptions = {}): MessageExt[] {
  const out: MessageExt[] = [];
  let at = 0;
  while (buf.length - at >= 8) {
    const r = decodeRecordAt(buf, at, opts);
    if (!r) break;
    out.push(r.msg);
    at = r.next;
  }
  return out;
}

/** Re-encodes a decoded message (e.g. CHECK_TRANSACTION_STATE bodies): magic v1 unless the topic needs v2. */
export function encodeMessageExt(m: MessageExt): Buffer {
  return encodeRecord(
    { ...m, preparedTransactionOffset: m.preparedTransactionOffset },
    { queueOffset: m.queueOffset, physicalOffset: m.commitLogOffset, storeTimestamp: m.storeTimestamp },
  );
}
