import { describe, expect, it } from 'vitest';
import { allocateAveragely, allocateAveragelyByCircle, allocateStrategyByName } from '../../../src/client/consumer/allocate.js';
import type { MessageQueue } from '../../../src/protocol/admin.js';

const mqs = (n: number): MessageQueue[] => [...Array(n).keys()].map((i) => ({ topic: 'T', brokerName: 'b', queueId: i }));
const ids = (l: MessageQueue[]): number[] => l.map((q) => q.queueId);

describe('allocate averagely', () => {
  it('gives contiguous blocks, the first clients one extra', () => {
    const all = mqs(8);
    const cids = ['c1', 'c2', 'c3'];
    expect(ids(allocateAveragely.allocate('G', 'c1', all, cids))).toEqual([0, 1, 2]);
    expect(ids(allocateAveragely.allocate('G', 'c2', all, cids))).toEqual([3, 4, 5]);
    expect(ids(allocateAveragely.allocate('G', 'c3', all, cids))).toEqual([6, 7]);
  });
  it('more clients than queues: one each, the rest nothing', () => {
    const all = mqs(2);
    const cids = ['a', 'b', 'c'];
    expect(ids(allocateAveragely.allocate('G', 'a', all, cids))).toEqual([0]);
    expect(ids(allocateAveragely.allocate('G', 'b', all, cids))).toEqual([1]);
    expect(ids(allocateAveragely.allocate('G', 'c', all, cids))).toEqual([]);
  });
  it('a client not in the list gets nothing', () => {
    expect(allocateAveragely.allocate('G', 'x', mqs(4), ['a'])).toEqual([]);
  });
  it('every queue is assigned exactly once for any split', () => {
    for (let q = 1; q <= 9; q++) {
      for (let c = 1; c <= 5; c++) {
        const cids = [...Array(c).keys()].map((i) => `c${i}`);
        const got = cids.flatMap((id) => ids(allocateAveragely.allocate('G', id, mqs(q), cids)));
        expect(got.sort((a, b) => a - b)).toEqual([...Array(q).keys()]);
      }
    }
  });
});

describe('allocate by circle', () => {
  it('queue i goes to client i % n', () => {
    const all = mqs(7);
    expect(ids(allocateAveragelyByCircle.allocate('G', 'b', all, ['a', 'b', 'c']))).toEqual([1, 4]);
    expect(ids(allocateAveragelyByCircle.allocate('G', 'a', all, ['a', 'b', 'c']))).toEqual([0, 3, 6]);
  });
  it('is found by name', () => {
    expect(allocateStrategyByName('AVG_BY_CIRCLE')).toBe(allocateAveragelyByCircle);
    expect(allocateStrategyByName('avg')).toBe(allocateAveragely);
    expect(() => allocateStrategyByName('nope')).toThrow(/unknown/);
  });
});
