/** Public types of the message store facade. */

export interface MessageStoreConfig {
  storePathRootDir: string;
  storePathCommitLog?: string;
  /** Commitlog segment size; default 1 GiB. */
  mappedFileSizeCommitLog?: number;
  /** Consume queue segment size in bytes (multiple of 20); default 300,000 units. */
  mappedFileSizeConsumeQueue?: number;
  flushDiskType?: 'ASYNC_FLUSH' | 'SYNC_FLUSH';
  flushIntervalCommitLog?: number;
  flushCommitLogLeastPages?: number;
  flushCommitLogThoroughInterval?: number;
  flushIntervalConsumeQueue?: number;
  syncFlushTimeout?: number;
  maxMessageSize?: number;
  fileReservedTime?: number;
  deleteWhen?: string;
  diskMaxUsedSpaceRatio?: number;
  diskSpaceCleanForciblyRatio?: number;
  diskSpaceWarningLevelRatio?: number;
  deleteFileBatchMax?: number;
  cleanResourceInterval?: number;
  messageIndexEnable?: boolean;
  maxHashSlotNum?: number;
  maxIndexNum?: number;
  checkCRCOnRecover?: boolean;
  brokerRole?: string;
  /** Max bytes / messages returned by one getMessage (Apache's in-memory transfer limits). */
  maxTransferBytesOnMessageInMemory?: number;
  maxTransferCountOnMessageInMemory?: number;
  /** Disk usage (0..1) of the store's file system; defaults to statfs. Lets tests simulate a full disk. */
  diskUsage?: (path: string) => number;
  /** Clock for store timestamps and cleanup decisions (default Date.now). */
  now?: () => number;
}

export type ResolvedConfig = Required<Omit<MessageStoreConfig, 'diskUsage' | 'now'>> & {
  diskUsage?: (path: string) => number;
  now: () => number;
};

export function resolveConfig(c: MessageStoreConfig): ResolvedConfig {
  const root = c.storePathRootDir;
  return {
    storePathRootDir: root,
    storePathCommitLog: c.storePathCommitLog ?? `${root}/commitlog`,
    mappedFileSizeCommitLog: c.mappedFileSizeCommitLog ?? 1024 * 1024 * 1024,
    mappedFileSizeConsumeQueue: Math.floor((c.mappedFileSizeConsumeQueue ?? 300000 * 20) / 20) * 20,
    flushDiskType: c.flushDiskType ?? 'ASYNC_FLUSH',
    flushIntervalCommitLog: c.flushIntervalCommitLog ?? 500,
    flushCommitLogLeastPages: c.flushCommitLogLeastPages ?? 4,
    flushCommitLogThoroughInterval: c.flushCommitLogThoroughInterval ?? 10000,
    flushIntervalConsumeQueue: c.flushIntervalConsumeQueue ?? 1000,
    syncFlushTimeout: c.syncFlushTimeout ?? 5000,
    maxMessageSize: c.maxMessageSize ?? 4 * 1024 * 1024,
    fileReservedTime: c.fileReservedTime ?? 72,
    deleteWhen: c.deleteWhen ?? '04',
    diskMaxUsedSpaceRatio: c.diskMaxUsedSpaceRatio ?? 75,
    diskSpaceCleanForciblyRatio: c.diskSpaceCleanForciblyRatio ?? 85,
    diskSpaceWarningLevelRatio: c.diskSpaceWarningLevelRatio ?? 90,
    deleteFileBatchMax: c.deleteFileBatchMax ?? 10,
    cleanResourceInterval: c.cleanResourceInterval ?? 10000,
    messageIndexEnable: c.messageIndexEnable ?? true,
    maxHashSlotNum: c.maxHashSlotNum ?? 5000000,
    maxIndexNum: c.maxIndexNum ?? 5000000 * 4,
    checkCRCOnRecover: c.checkCRCOnRecover ?? true,
    brokerRole: c.brokerRole ?? 'ASYNC_MASTER',
    maxTransferBytesOnMessageInMemory: c.maxTransferBytesOnMessageInMemory ?? 256 * 1024,
    maxTransferCountOnMessageInMemory: c.maxTransferCountOnMessageInMemory ?? 32,
    diskUsage: c.diskUsage,
    now: c.now ?? Date.now,
  };
}

export type PutMessageStatus =
  | 'PUT_OK'
  | 'FLUSH_DISK_TIMEOUT'
  | 'FLUSH_SLAVE_TIMEOUT'
  | 'SLAVE_NOT_AVAILABLE'
  | 'SERVICE_NOT_AVAILABLE'
  | 'CREATE_MAPPED_FILE_FAILED'
  | 'MESSAGE_ILLEGAL'
  | 'PROPERTIES_SIZE_EXCEEDED'
  | 'OS_PAGE_CACHE_BUSY'
  | 'UNKNOWN_ERROR';

export interface AppendMessageResult {
  /** Commitlog offset of the (first) record. */
  wroteOffset: number;
  wroteBytes: number;
  /** Offset msgId; for a batch the ids joined with ','. */
  msgId: string;
  /** Queue offset of the (first) message. */
  queueOffset: number;
  /** Same as queueOffset (Apache's name). */
  logicsOffset: number;
  storeTimestamp: number;
  msgNum: number;
}

export interface PutMessageResult {
  status: PutMessageStatus;
  appendResult: AppendMessageResult | null;
  /** Human-readable reason for a non-OK status. */
  remark?: string;
}

export function isPutOk(r: PutMessageResult): boolean {
  return r.status === 'PUT_OK' || r.status === 'FLUSH_DISK_TIMEOUT' || r.status === 'FLUSH_SLAVE_TIMEOUT' ||
    r.status === 'SLAVE_NOT_AVAILABLE';
}

export type GetMessageStatus =
  | 'FOUND'
  | 'NO_MATCHED_MESSAGE'
  | 'MESSAGE_WAS_REMOVING'
  | 'OFFSET_FOUND_NULL'
  | 'OFFSET_OVERFLOW_BADLY'
  | 'OFFSET_OVERFLOW_ONE'
  | 'OFFSET_TOO_SMALL'
  | 'NO_MATCHED_LOGIC_QUEUE'
  | 'NO_MESSAGE_IN_QUEUE';

export interface GetMessageResult {
  status: GetMessageStatus;
  nextBeginOffset: number;
  minOffset: number;
  maxOffset: number;
  /** Raw records, each a view of one commitlog record. */
  messages: Buffer[];
  /** Queue offsets of `messages`, same order. */
  queueOffsets: number[];
  bufferTotalSize: number;
  messageCount: number;
  suggestPullingFromSlave: boolean;
}

/** Filter applied to consume-queue units before the commitlog is read. */
export type UnitFilter = (tagsCode: bigint | number, unit: { phyOffset: number; size: number }) => boolean;

export type ArrivedListener = (topic: string, queueId: number, queueOffset: number, tagsCode: number | bigint,
  storeTimestamp: number, properties: Record<string, string>) => void;
