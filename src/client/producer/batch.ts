// Batch body of SEND_BATCH_MESSAGE (requests.md §3): per message TOTALSIZE, MAGIC 0, BODYCRC 0, FLAG,
// int32 body length + body, int16 properties length + properties (Apache MessageDecoder.encodeMessage).
import type { Message } from '../../common/message.js';
import { messageProperties2String } from '../../common/properties.js';
import { MessageConst } from '../../common/message-const.js';
import { isRetryTopic } from '../../common/topics.js';

export function encodeBatchEntry(m: Message): Buffer {
  const props = Buffer.from(messageProperties2String(m.properties), 'utf8');
  if (props.length > 32767) throw new Error(`properties of a batched message exceed 32767 bytes (${props.length})`);
  const body = m.body ?? Buffer.alloc(0);
  const size = 4 + 4 + 4 + 4 + 4 + body.length + 2 + props.length;
  const buf = Buffer.allocUnsafe(size);
  let p = 0;
  buf.writeInt32BE(size, p); p += 4;
  buf.writeInt32BE(0, p); p += 4;
  buf.writeInt32BE(0, p); p += 4;
  buf.writeInt32BE(m.flag | 0, p); p += 4;
  buf.writeInt32BE(body.length, p); p += 4;
  body.copy(buf, p); p += body.length;
  buf.writeInt16BE(props.length, p); p += 2;
  props.copy(buf, p);
  return buf;
}

export function encodeBatch(msgs: Message[]): Buffer {
  return Buffer.concat(msgs.map(encodeBatchEntry));
}

/** Decodes a batch body (used by tests and tools); stops at the first malformed entry. */
export function decodeBatch(buf: Buffer): Array<{ flag: number; body: Buffer; properties: string }> {
  const out: Array<{ flag: number; body: Buffer; properties: string }> = [];
  let p = 0;
  while (buf.length - p >= 22) {
    const size = buf.readInt32BE(p);
    if (size < 22 || p + size > buf.length) break;
    const flag = buf.readInt32BE(p + 12);
    const bodyLen = buf.readInt32BE(p + 16);
    if (bodyLen < 0 || 22 + bodyLen > size) break;
    const body = buf.subarray(p + 20, p + 20 + bodyLen);
    const propLen = buf.readInt16BE(p + 20 + bodyLen);
    const properties = buf.toString('utf8', p + 22 + bodyLen, p + 22 + bodyLen + propLen);
    out.push({ flag, body, properties });
    p += size;
  }
  return out;
}

/** MessageBatch.generateFromList checks: not empty, one topic, no delay, not a retry topic. */
export function validateBatch(msgs: Message[]): void {
  if (msgs.length === 0) throw new Error('batch is empty');
  const topic = msgs[0].topic;
  for (const m of msgs) {
    if (m.properties[MessageConst.DELAY_TIME_LEVEL] && m.properties[MessageConst.DELAY_TIME_LEVEL] !== '0') {
      throw new Error('TimeDelayLevel is not supported for batching');
    }
    if (isRetryTopic(m.topic)) throw new Error('Retry Group is not supported for batching');
    if (m.topic !== topic) throw new Error('The topic of the messages in one batch should be the same');
  }
}
