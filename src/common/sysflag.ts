/** MessageSysFlag bits (storage.md §4). */
export const SysFlag = {
  COMPRESSED: 0x1,
  MULTI_TAGS: 0x2,
  TRANSACTION_NOT_TYPE: 0x0,
  TRANSACTION_PREPARED_TYPE: 0x4,
  TRANSACTION_COMMIT_TYPE: 0x8,
  TRANSACTION_ROLLBACK_TYPE: 0xc,
  BORNHOST_V6: 0x10,
  STOREHOSTADDRESS_V6: 0x20,
  NEED_UNWRAP: 0x40,
  INNER_BATCH: 0x80,
  COMPRESSION_LZ4: 0x100,
  COMPRESSION_ZSTD: 0x200,
  COMPRESSION_ZLIB: 0x300,
} as const;

export const TRANSACTION_MASK = 0xc;
export const COMPRESSION_TYPE_MASK = 0x700;

export function transactionType(sysFlag: number): number {
  return sysFlag & TRANSACTION_MASK;
}

export function resetTransactionType(sysFlag: number, type: number): number {
  return (sysFlag & ~TRANSACTION_MASK) | type;
}

/** Compression type of a compressed body: 1 LZ4, 2 ZSTD, 3 ZLIB; 0 (older producers) means ZLIB. */
export function compressionType(sysFlag: number): 'ZLIB' | 'LZ4' | 'ZSTD' {
  const t = (sysFlag & COMPRESSION_TYPE_MASK) >> 8;
  return t === 1 ? 'LZ4' : t === 2 ? 'ZSTD' : 'ZLIB';
}

/** Records that get consume-queue units: NOT_TYPE and COMMIT_TYPE. */
export function isDispatchedType(sysFlag: number): boolean {
  const t = sysFlag & TRANSACTION_MASK;
  return t === SysFlag.TRANSACTION_NOT_TYPE || t === SysFlag.TRANSACTION_COMMIT_TYPE;
}
