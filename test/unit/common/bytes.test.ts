import { describe, expect, it } from 'vitest';
import { get32, hex4, hex8, hex16, put16, put32, putLong } from '../../../src/common/bytes.js';

describe('big-endian byte helpers', () => {
  it('put32/get32 and putLong write what Buffer does, negative values included', () => {
    for (const v of [0, 1, -1, 0x7fffffff, -0x80000000, 123456789, -987654321, 0xffffffff]) {
      const a = Buffer.alloc(4);
      const b = Buffer.alloc(4);
      put32(a, 0, v);
      if (v > 0x7fffffff) b.writeUInt32BE(v, 0);
      else b.writeInt32BE(v, 0);
      expect(a).toEqual(b);
      expect(get32(a, 0)).toBe(v | 0);
    }
    for (const v of [0, 1, -1, 2 ** 32, 2 ** 53 - 1, -(2 ** 53) + 1, 1_700_000_000_000, -1_234_567_890_123]) {
      const a = Buffer.alloc(8);
      const b = Buffer.alloc(8);
      putLong(a, 0, v);
      b.writeBigInt64BE(BigInt(v), 0);
      expect(a).toEqual(b);
    }
    const s = Buffer.alloc(2);
    put16(s, 0, -2);
    expect(s.readInt16BE(0)).toBe(-2);
  });

  it('hex digits as Java prints offsets and unique ids: uppercase, zero-padded', () => {
    for (const v of [0, 1, 255, 4294967295, 4294967296, 123456789012, 2 ** 53 - 1]) {
      expect(hex16(v)).toBe(v.toString(16).toUpperCase().padStart(16, '0'));
    }
    expect(hex8(-1)).toBe('FFFFFFFF');
    expect(hex8(0x1a2b3c)).toBe('001A2B3C');
    expect(hex4(0xbeef)).toBe('BEEF');
    expect(hex4(0x1beef)).toBe('BEEF');
  });
});
