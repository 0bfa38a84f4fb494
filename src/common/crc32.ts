import zlib from 'node:zlib';

/** CRC32 as Java's java.util.zip.CRC32 (zlib polynomial). */
export function crc32(buf: Uint8Array, initial = 0): number {
  return zlib.crc32(buf, initial) >>> 0;
}

/** Slicing-by-8 tables of the zlib polynomial (0xEDB88320), for small inputs. */
const T = new Int32Array(256 * 8);
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  T[n] = c;
}
for (let n = 0; n < 256; n++) for (let t = 1; t < 8; t++) T[t * 256 + n] = (T[(t - 1) * 256 + n]! >>> 8) ^ T[T[(t - 1) * 256 + n]! & 0xff]!;

/**
 * CRC32 in JavaScript: for a few hundred bytes the native call's fixed cost is larger than the work
 * (measured: 100 B ≈ 110 ns here vs ≈ 235 ns through zlib.crc32; zlib wins from about 300 B).
 */
function crc32Small(b: Uint8Array): number {
  let c = -1;
  let i = 0;
  const n = b.length;
  for (; i + 8 <= n; i += 8) {
    const a = c ^ (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24));
    c = T[1792 + (a & 0xff)]! ^ T[1536 + ((a >>> 8) & 0xff)]! ^ T[1280 + ((a >>> 16) & 0xff)]! ^ T[1024 + (a >>> 24)]! ^
      T[768 + b[i + 4]!]! ^ T[512 + b[i + 5]!]! ^ T[256 + b[i + 6]!]! ^ T[b[i + 7]!]!;
  }
  for (; i < n; i++) c = T[(c ^ b[i]!) & 0xff]! ^ (c >>> 8);
  return c ^ -1;
}

/** The BODYCRC field of a commitlog record: CRC32(body) & 0x7FFFFFFF. */
export function bodyCrc(body: Uint8Array): number {
  return ((body.length <= 256 ? crc32Small(body) : zlib.crc32(body)) & 0x7fffffff) >>> 0;
}
