// Big-endian integer stores and loads by single byte accesses. Buffer's writeInt32BE and friends check the
// value's range and the offset on every call; on the per-message paths (frame prefixes, record fields,
// consume-queue and index entries) the callers' values are in range by construction, and typed-array stores
// simply keep the low byte.

/** Low 16 bits of `v` at `off`. */
export function put16(buf: Uint8Array, off: number, v: number): void {
  buf[off] = v >>> 8;
  buf[off + 1] = v;
}

/** Low 32 bits of `v` at `off` (signed or unsigned input alike). */
export function put32(buf: Uint8Array, off: number, v: number): void {
  buf[off] = v >>> 24;
  buf[off + 1] = v >>> 16;
  buf[off + 2] = v >>> 8;
  buf[off + 3] = v;
}

/** Signed int32 at `off`. */
export function get32(buf: Uint8Array, off: number): number {
  return (buf[off]! << 24) | (buf[off + 1]! << 16) | (buf[off + 2]! << 8) | buf[off + 3]!;
}

/** A Java long at `off`, as two 32-bit halves: faster than BigInt and exact for |v| < 2^53. */
export function putLong(buf: Uint8Array, off: number, v: number): void {
  const hi = Math.floor(v / 4294967296);
  put32(buf, off, hi);
  put32(buf, off + 4, v - hi * 4294967296);
}

const HEX_CODES = Array.from('0123456789ABCDEF', (c) => c.charCodeAt(0));

/** Low 32 bits of `v` as 8 uppercase hex digits (one flat string, no number-to-string and case conversion). */
export function hex8(v: number): string {
  const h = HEX_CODES;
  return String.fromCharCode(h[v >>> 28]!, h[(v >>> 24) & 15]!, h[(v >>> 20) & 15]!, h[(v >>> 16) & 15]!,
    h[(v >>> 12) & 15]!, h[(v >>> 8) & 15]!, h[(v >>> 4) & 15]!, h[v & 15]!);
}

/** A non-negative long below 2^53 as 16 uppercase hex digits, as Java's offset msgId prints it. */
export function hex16(v: number): string {
  return hex8(Math.floor(v / 4294967296)) + hex8(v >>> 0);
}

/** Low 16 bits of `v` as 4 uppercase hex digits. */
export function hex4(v: number): string {
  const h = HEX_CODES;
  return String.fromCharCode(h[(v >>> 12) & 15]!, h[(v >>> 8) & 15]!, h[(v >>> 4) & 15]!, h[v & 15]!);
}
