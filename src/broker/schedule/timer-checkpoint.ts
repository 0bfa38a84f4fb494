/**
 * Durable progress of the timer wheel, <root>/config/timerWheel.json (own format; Apache's binary
 * `timercheck` is not reproduced):
 *  - enqueueOffset: entries of rmq_sys_wheel_timer queue 0 below it have been loaded into the wheel;
 *  - minPendingOffset: every entry below it has been delivered;
 *  - lastDeliveredSlotMs: every slot up to this time has been delivered.
 * On restart entries in [minPendingOffset, enqueueOffset) whose slot is ≤ lastDeliveredSlotMs are known to be
 * delivered; all others go back into the wheel.
 */
import path from 'node:path';
import type { Logger } from '../../common/logger.js';
import { loadConfigFile, writeConfigFileAtomic, writeConfigFileAtomicAsync } from '../config-file.js';

export interface TimerProgress {
  enqueueOffset: number;
  minPendingOffset: number;
  lastDeliveredSlotMs: number;
}

export class TimerCheckpoint {
  readonly file: string;
  constructor(storePathRootDir: string, private readonly logger?: Logger) {
    this.file = path.join(storePathRootDir, 'config', 'timerWheel.json');
  }

  load(): TimerProgress | undefined {
    return loadConfigFile(this.file, (t) => {
      const o = JSON.parse(t) as Partial<TimerProgress>;
      const n = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
      return { enqueueOffset: n(o.enqueueOffset), minPendingOffset: n(o.minPendingOffset), lastDeliveredSlotMs: n(o.lastDeliveredSlotMs) };
    }, this.logger);
  }

  save(p: TimerProgress): void {
    writeConfigFileAtomic(this.file, JSON.stringify(p, null, 2));
  }

  /** The same write on the thread pool (the wheel's periodic saves). */
  saveAsync(p: TimerProgress): Promise<void> {
    return writeConfigFileAtomicAsync(this.file, JSON.stringify(p, null, 2));
  }
}
