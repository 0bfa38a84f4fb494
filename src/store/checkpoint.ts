import fs from 'node:fs';
import { readLong } from '../common/record-codec.js';
import { readAt } from './file-util.js';
import { putLong } from '../common/bytes.js';

export const CHECKPOINT_SIZE = 4096;

/** The 4096-byte checkpoint file (storage.md §10). */
export class Checkpoint {
  physicMsgTimestamp = 0;
  logicsMsgTimestamp = 0;
  indexMsgTimestamp = 0;
  masterFlushedOffset = 0;
  confirmPhyOffset = 0;
  private fd: number;

  constructor(readonly file: string) {
    const exists = fs.existsSync(file);
    this.fd = fs.openSync(file, exists ? 'r+' : 'w+');
    if (!exists || fs.fstatSync(this.fd).size < 40) {
      fs.ftruncateSync(this.fd, CHECKPOINT_SIZE);
      return;
    }
    const b = readAt(this.fd, 0, 40);
    this.physicMsgTimestamp = readLong(b, 0);
    this.logicsMsgTimestamp = readLong(b, 8);
    this.indexMsgTimestamp = readLong(b, 16);
    this.masterFlushedOffset = readLong(b, 24);
    this.confirmPhyOffset = readLong(b, 32);
  }

  static read(file: string): { physicMsgTimestamp: number; logicsMsgTimestamp: number; indexMsgTimestamp: number;
    masterFlushedOffset: number; confirmPhyOffset: number; size: number } {
    const b = fs.readFileSync(file);
    const at = (o: number) => (b.length >= o + 8 ? readLong(b, o) : 0);
    return { physicMsgTimestamp: at(0), logicsMsgTimestamp: at(8), indexMsgTimestamp: at(16), masterFlushedOffset: at(24),
      confirmPhyOffset: at(32), size: b.length };
  }

  /** max(0, min(physic, logics) − 3000). */
  minTimestamp(): number {
    return Math.max(0, Math.min(this.physicMsgTimestamp, this.logicsMsgTimestamp) - 3000);
  }

  minTimestampIndex(): number {
    return Math.min(this.minTimestamp(), this.indexMsgTimestamp);
  }

  flush(): void {
    this.write();
    fs.fdatasyncSync(this.fd);
  }

  flushAsync(): Promise<void> {
    this.write();
    return new Promise((resolve, reject) => fs.fdatasync(this.fd, (err) => (err ? reject(err) : resolve())));
  }

  private write(): void {
    const b = Buffer.alloc(40);
    putLong(b, 0, this.physicMsgTimestamp);
    putLong(b, 8, this.logicsMsgTimestamp);
    putLong(b, 16, this.indexMsgTimestamp);
    putLong(b, 24, this.masterFlushedOffset);
    putLong(b, 32, this.confirmPhyOffset);
    fs.writeSync(this.fd, b, 0, 40, 0);
  }

  close(): void {
    try { fs.closeSync(this.fd); } catch { /* already closed */ }
  }
}
