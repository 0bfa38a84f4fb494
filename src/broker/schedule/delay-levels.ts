/** The messageDelayLevel table: level n (1-based) → delay in ms. */
import { parseDelayLevels } from '../config.js';

export const DEFAULT_MESSAGE_DELAY_LEVEL = '1s 5s 10s 30s 1m 2m 3m 4m 5m 6m 7m 8m 9m 10m 20m 30m 1h 2h';

export class DelayLevels {
  readonly delays: number[];
  constructor(text: string = DEFAULT_MESSAGE_DELAY_LEVEL) {
    this.delays = parseDelayLevels(text);
  }
  get maxLevel(): number {
    return this.delays.length;
  }
  /** Delay of a level; levels above the max are capped to the max (Apache). */
  delayOf(level: number): number {
    return this.delays[Math.min(Math.max(level, 1), this.maxLevel) - 1];
  }
}
