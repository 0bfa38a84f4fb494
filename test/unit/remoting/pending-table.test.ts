import { describe, expect, it } from 'vitest';
import { PendingTable } from '../../../src/remoting/pending-table.js';

describe('PendingTable', () => {
  it('keeps entries by opaque: set, get, take, size, entries in opaque order', () => {
    const t = new PendingTable<string>();
    expect(t.size).toBe(0);
    t.set(7, 'a');
    t.set(3, 'b');
    t.set(0x7ffffff0, 'c');
    t.set(-5, 'neg'); // peers may use any int32
    expect(t.size).toBe(4);
    t.set(7, 'a2'); // replacing does not count twice
    expect(t.size).toBe(4);
    expect(t.get(7)).toBe('a2');
    expect(t.get(8)).toBeUndefined();
    expect(t.entries().map(([k]) => k).sort((x, y) => x - y)).toEqual([-5, 3, 7, 0x7ffffff0]);
    expect(t.take(3)).toBe('b');
    expect(t.take(3)).toBeUndefined();
    expect(t.size).toBe(3);
    // entries() is a snapshot: taking while walking it is safe
    for (const [k] of t.entries()) t.take(k);
    expect(t.size).toBe(0);
    expect(t.entries()).toEqual([]);
  });

  it('churn of one insert and one take per request leaves nothing behind', () => {
    const t = new PendingTable<{ n: number }>();
    for (let i = 1; i <= 100_000; i++) {
      t.set(i, { n: i });
      if (i > 32) expect(t.take(i - 32)?.n).toBe(i - 32); // 32 in flight, answered in order
    }
    expect(t.size).toBe(32);
    expect(t.entries().map(([k]) => k)).toEqual(Array.from({ length: 32 }, (_, j) => 100_000 - 31 + j));
  });
});

describe('PendingTable slots and overflow', () => {
  it('keeps requests whose slot is taken by a newer one (a long poll outliving 1,024 others)', () => {
    const t = new PendingTable<string>();
    t.set(5, 'long-poll');
    t.set(5 + 1024, 'same slot');
    t.set(5 + 2048, 'same slot again');
    expect(t.size).toBe(3);
    expect(t.get(5)).toBe('long-poll');
    expect(t.get(5 + 1024)).toBe('same slot');
    expect(t.take(5)).toBe('long-poll');
    // the slot is free again: re-setting an overflowed opaque moves it without counting it twice
    t.set(5 + 1024, 'moved');
    expect(t.size).toBe(2);
    expect(t.get(5 + 1024)).toBe('moved');
    expect(t.entries().map(([k, v]) => `${k}=${v}`).sort()).toEqual(['1029=moved', '2053=same slot again']);
    expect(t.take(5 + 2048)).toBe('same slot again');
    expect(t.take(5 + 1024)).toBe('moved');
    expect(t.take(5 + 1024)).toBeUndefined();
    expect(t.size).toBe(0);
    expect(t.entries()).toEqual([]);
  });

  it('tells apart opaques that share low bits, negative ones included', () => {
    const t = new PendingTable<number>();
    const keys = [-1, 1023, -1025, 0x7fffffff, -0x80000000, 0];
    keys.forEach((k, i) => t.set(k, i));
    expect(t.size).toBe(keys.length);
    keys.forEach((k, i) => expect(t.get(k)).toBe(i));
    expect(t.get(2047)).toBeUndefined();
    keys.forEach((k, i) => expect(t.take(k)).toBe(i));
    expect(t.size).toBe(0);
  });
});
