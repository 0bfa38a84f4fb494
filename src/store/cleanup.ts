import fs from 'node:fs';
import type { CommitLog } from './commitlog/commitlog.js';
import type { Dispatcher } from './dispatcher.js';
import type { IndexService } from './index/index-service.js';
import type { ResolvedConfig } from './types.js';

/** Disk usage (0..1) of the file system holding `path`. */
export function diskUsageOf(path: string): number {
  try {
    const s = fs.statfsSync(path);
    const total = s.blocks * s.bsize;
    if (total <= 0) return 0;
    return (total - s.bavail * s.bsize) / total;
  } catch {
    return 0;
  }
}

export interface CleanupRound {
  usage: number;
  diskFull: boolean;
  cleanImmediately: boolean;
  commitLogDeleted: number;
  consumeQueueSegmentsDeleted: number;
  indexFilesDeleted: number;
}

/**
 * Expired-file cleanup (storage.md §12): commitlog segments older than fileReservedTime are deleted at the
 * deleteWhen hours, or at any hour once disk usage passes diskMaxUsedSpaceRatio; past
 * diskSpaceCleanForciblyRatio segments go even when not expired; past diskSpaceWarningLevelRatio the store
 * refuses writes. Consume queues and index files that point below the new commitlog min offset follow.
 */
export class CleanupService {
  diskFull = false;
  lastUsage = 0;
  private manualRounds = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(private cfg: ResolvedConfig, private cl: CommitLog, private disp: Dispatcher, private index: IndexService | null) {}

  start(): void {
    this.checkDisk();
    this.timer = setInterval(() => this.run(), this.cfg.cleanResourceInterval);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  usage(): number {
    const f = this.cfg.diskUsage ?? diskUsageOf;
    return f(this.cfg.storePathCommitLog);
  }

  /** Updates the disk-full flag; returns the usage ratio (percent). */
  checkDisk(): number {
    const pct = this.usage() * 100;
    this.lastUsage = pct;
    this.diskFull = pct > this.cfg.diskSpaceWarningLevelRatio;
    return pct;
  }

  /** DELETE_EXPIRED_COMMITLOG: the next 20 rounds delete regardless of the hour. */
  executeDeleteFilesManually(): void {
    this.manualRounds = 20;
  }

  private isTimeToDelete(now: number): boolean {
    const hour = new Date(now).getHours();
    return this.cfg.deleteWhen.split(';').some((h) => h.trim() !== '' && Number(h) === hour);
  }

  run(): CleanupRound {
    const now = this.cfg.now();
    const pct = this.checkDisk();
    const cleanImmediately = pct > this.cfg.diskSpaceCleanForciblyRatio;
    const spaceFull = pct > this.cfg.diskMaxUsedSpaceRatio;
    const manual = this.manualRounds > 0;
    if (manual) this.manualRounds--;
    let commitLogDeleted = 0;
    if (this.isTimeToDelete(now) || spaceFull || manual) {
      const expiredBefore = now - this.cfg.fileReservedTime * 3600 * 1000;
      commitLogDeleted = this.cl.deleteExpired(expiredBefore, cleanImmediately, this.cfg.deleteFileBatchMax);
    }
    const minPhy = this.cl.minOffset();
    let consumeQueueSegmentsDeleted = 0;
    for (const cq of this.disp.cqs.values()) consumeQueueSegmentsDeleted += cq.deleteExpired(minPhy);
    const indexFilesDeleted = this.index ? this.index.deleteExpired(minPhy) : 0;
    return { usage: pct, diskFull: this.diskFull, cleanImmediately, commitLogDeleted, consumeQueueSegmentsDeleted, indexFilesDeleted };
  }
}
