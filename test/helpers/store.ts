// Reading a store queue back in tests: every message of one consume queue, decoded, from offset 0.
import type { MessageExt } from '../../src/common/message.js';
import { decodeRecord } from '../../src/common/record-codec.js';
import type { MessageStore } from '../../src/store/message-store.js';

export async function readQueue(store: MessageStore, topic: string, queueId: number): Promise<MessageExt[]> {
  const out: MessageExt[] = [];
  let off = 0;
  for (;;) {
    const r = await store.getMessage('G', topic, queueId, off, 32);
    if (r.messageCount === 0) return out;
    for (const b of r.messages) out.push(decodeRecord(b)!);
    off = r.nextBeginOffset;
  }
}
