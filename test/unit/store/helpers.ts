import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { MessageExtBrokerInner } from '../../../src/common/message.js';

export function tmpStoreDir(tag = 'store'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `mqctl-${tag}-`));
}

export function rmDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

export function msg(topic: string, queueId: number, body: string | Buffer, props: Record<string, string> = {}, over: Partial<MessageExtBrokerInner> = {}): MessageExtBrokerInner {
  return {
    topic, queueId, flag: 0, body: Buffer.isBuffer(body) ? body : Buffer.from(body), properties: { WAIT: 'true', ...props },
    sysFlag: 0, bornTimestamp: Date.now(), bornHost: '127.0.0.1:50000', storeHost: '127.0.0.1:10911',
    reconsumeTimes: 0, preparedTransactionOffset: 0, ...over,
  };
}
