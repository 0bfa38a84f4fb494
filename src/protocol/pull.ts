/** Consuming by pull (requests.md §4): PULL_MESSAGE / LITE_PULL_MESSAGE headers and the pull sysFlag bits. */
import { type DecodeOptions, defineHeader } from './header.js';
import { type RpcHeaderBase, RPC_BASE_SPEC } from './rpc.js';

/** PullSysFlag bits. */
export const PullSysFlag = {
  COMMIT_OFFSET: 0x1,
  SUSPEND: 0x2,
  SUBSCRIPTION: 0x4,
  CLASS_FILTER: 0x8,
  LITE_PULL: 0x10,
} as const;

export function buildPullSysFlag(f: { commitOffset?: boolean; suspend?: boolean; subscription?: boolean; classFilter?: boolean; litePull?: boolean }): number {
  let flag = 0;
  if (f.commitOffset) flag |= PullSysFlag.COMMIT_OFFSET;
  if (f.suspend) flag |= PullSysFlag.SUSPEND;
  if (f.subscription) flag |= PullSysFlag.SUBSCRIPTION;
  if (f.classFilter) flag |= PullSysFlag.CLASS_FILTER;
  if (f.litePull) flag |= PullSysFlag.LITE_PULL;
  return flag;
}
export const hasCommitOffsetFlag = (f: number): boolean => (f & PullSysFlag.COMMIT_OFFSET) !== 0;
export const hasSuspendFlag = (f: number): boolean => (f & PullSysFlag.SUSPEND) !== 0;
export const hasSubscriptionFlag = (f: number): boolean => (f & PullSysFlag.SUBSCRIPTION) !== 0;
export const hasClassFilterFlag = (f: number): boolean => (f & PullSysFlag.CLASS_FILTER) !== 0;
export const hasLitePullFlag = (f: number): boolean => (f & PullSysFlag.LITE_PULL) !== 0;
/** The commit bit is cleared when pulling from a slave. */
export const clearCommitOffsetFlag = (f: number): number => f & ~PullSysFlag.COMMIT_OFFSET;

export interface PullMessageRequestHeader extends RpcHeaderBase {
  consumerGroup?: string;
  topic?: string;
  queueId?: number;
  queueOffset?: number;
  maxMsgNums?: number;
  sysFlag?: number;
  commitOffset?: number;
  suspendTimeoutMillis?: number;
  subscription?: string;
  subVersion?: number;
  expressionType?: string;
  maxMsgBytes?: number;
  requestSource?: number;
  proxyFrowardClientId?: string;
}
const PULL_CODEC = defineHeader<PullMessageRequestHeader>({
  consumerGroup: { type: 'string', required: true },
  topic: { type: 'string', required: true },
  queueId: { type: 'int', required: true },
  queueOffset: { type: 'long', required: true },
  maxMsgNums: { type: 'int', required: true },
  sysFlag: { type: 'int', required: true },
  commitOffset: { type: 'long', required: true },
  suspendTimeoutMillis: { type: 'long', required: true },
  subscription: 'string',
  subVersion: { type: 'long', required: true },
  expressionType: 'string',
  maxMsgBytes: 'int',
  requestSource: 'int',
  proxyFrowardClientId: 'string',
  ...RPC_BASE_SPEC,
});
/** FastCodesHeader: decoding is strict by default (a bad number escapes as an error, like Java). */
export const PullMessageRequestHeader = {
  ...PULL_CODEC,
  fromFields(ext: Record<string, string> | undefined | null, opts: DecodeOptions = { strict: true }): PullMessageRequestHeader {
    return PULL_CODEC.fromFields(ext, opts);
  },
};

export interface PullMessageResponseHeader {
  suggestWhichBrokerId?: number;
  nextBeginOffset?: number;
  minOffset?: number;
  maxOffset?: number;
  offsetDelta?: number;
  topicSysFlag?: number;
  groupSysFlag?: number;
  forbiddenType?: number;
}
const PULL_RESP_CODEC = defineHeader<PullMessageResponseHeader>({
  suggestWhichBrokerId: { type: 'long', required: true },
  nextBeginOffset: { type: 'long', required: true },
  minOffset: { type: 'long', required: true },
  maxOffset: { type: 'long', required: true },
  offsetDelta: 'long',
  topicSysFlag: 'int',
  groupSysFlag: 'int',
  forbiddenType: 'int',
});
export const PullMessageResponseHeader = {
  ...PULL_RESP_CODEC,
  fromFields(ext: Record<string, string> | undefined | null, opts: DecodeOptions = { strict: true }): PullMessageResponseHeader {
    return PULL_RESP_CODEC.fromFields(ext, opts);
  },
};

/** forbiddenType values sent with NO_PERMISSION (5.x). */
export const ForbiddenType = { BROKER: 1, GROUP: 2, TOPIC: 3, BROADCASTING_DISABLE: 4, SUBSCRIPTION: 5 } as const;

/** 5.x requestSource values. */
export const RequestSource = { SDK: -1, PROXY_FOR_ORDER: 0, PROXY_FOR_BROADCAST: 1, PROXY_FOR_STREAM: 2 } as const;
