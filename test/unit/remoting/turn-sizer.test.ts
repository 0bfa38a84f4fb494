import { describe, expect, it } from 'vitest';
import { TurnSizer } from '../../../src/remoting/turn-sizer.js';

/** The synthetic clock (ms) of each sizer: runs on one sizer continue where the last one ended. */
const clocks = new WeakMap<TurnSizer, number>();

/**
 * A peer model: `step(whole)` gives the next read (frames, ms until the one after) for the mode the sizer is
 * in. Returns the share of reads handled whole over the last `tailMs` of a run of `ms`.
 */
function run(sizer: TurnSizer, ms: number, step: (whole: boolean) => { frames: number; gap: number }, tailMs = ms / 2): number {
  const start = clocks.get(sizer) ?? 0;
  const end = start + ms;
  let now = start;
  let whole = 0;
  let reads = 0;
  while (now < end) {
    const { frames, gap } = step(sizer.whole);
    sizer.onRead(frames, now);
    if (now >= end - tailMs) {
      reads++;
      if (sizer.whole) whole++;
    }
    now += gap;
  }
  clocks.set(sizer, now);
  return whole / reads;
}

// 32 in flight answered as soon as possible: split keeps two groups of 16 in motion (~46k/s), whole moves
// all 32 together at the pace of one round trip (~32k/s), as measured on loopback.
const closedLoop = (whole: boolean): { frames: number; gap: number } => (whole ? { frames: 32, gap: 1 } : { frames: 16, gap: 0.35 });
// 26k/s in 1 ms bursts, whatever this side does
const openLoop = (): { frames: number; gap: number } => ({ frames: 26, gap: 1 });

describe('TurnSizer', () => {
  it('starts split, as a fixed limit would', () => {
    const s = new TurnSizer(16);
    expect(s.perTurn).toBe(16);
    expect(s.whole).toBe(false);
  });

  it('keeps a closed loop split: its rate shows the split is faster', () => {
    const s = new TurnSizer(16);
    // after the first probe nearly every read is split; probes in whole take a few per cent of the time
    expect(run(s, 30_000, closedLoop)).toBeLessThan(0.1);
    expect(s.whole).toBe(false);
  });

  it('handles an open loop whole: the rate is the same either way and whole is cheaper', () => {
    const s = new TurnSizer(16);
    expect(run(s, 30_000, openLoop)).toBeGreaterThan(0.9);
  });

  it('follows a peer that changes from a closed loop to paced sends and back', () => {
    const s = new TurnSizer(16);
    run(s, 10_000, closedLoop);
    expect(s.whole).toBe(false);
    // the paced phase's rate is far below the closed loop's: the drift check probes again at once
    expect(run(s, 2_000, openLoop, 1_000)).toBeGreaterThan(0.9);
    expect(run(s, 3_000, closedLoop, 1_000)).toBeLessThan(0.2);
  });

  it('a trickle too small to measure stays split; reads never above a group go whole', () => {
    const slow = new TurnSizer(16);
    run(slow, 30_000, () => ({ frames: 1, gap: 5 })); // 200/s: a probe of 100 ms sees 20 frames
    expect(slow.whole).toBe(false);
    const small = new TurnSizer(16);
    expect(run(small, 30_000, () => ({ frames: 8, gap: 1 }))).toBeGreaterThan(0.9); // 8k/s in reads of 8
  });
});
