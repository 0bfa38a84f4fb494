// The remoting layer's own response codes (RemotingSysResponseCode). Business codes live in protocol/codes.ts.
export const RemotingSysResponseCode = {
  SUCCESS: 0,
  SYSTEM_ERROR: 1,
  SYSTEM_BUSY: 2,
  REQUEST_CODE_NOT_SUPPORTED: 3,
  TRANSACTION_FAILED: 4,
} as const;

/** Remark Apache's default processors answer for a code nobody handles (note the leading space). */
export function notSupportedRemark(code: number): string {
  return ` request type ${code} not supported`;
}
