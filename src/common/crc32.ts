import zlib from 'node:zlib';

/** CRC32 as Java's java.util.zip.CRC32 (zlib polynomial). */
export function crc32(buf: Uint8Array, initial = 0): number {
  return zlib.crc32(buf, initial) >>> 0;
}

/** The BODYCRC field of a commitlog record: CRC32(body) & 0x7FFFFFFF. */
export function bodyCrc(body: Uint8Array): number {
  return (zlib.crc32(body) & 0x7fffffff) >>> 0;
}
