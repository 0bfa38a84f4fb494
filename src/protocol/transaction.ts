/** Transactions (requests.md §3): END_TRANSACTION and the broker's CHECK_TRANSACTION_STATE callback. */
import { defineHeader } from './header.js';
import { type RpcHeaderBase, RPC_BASE_SPEC } from './rpc.js';

/** commitOrRollback values (MessageSysFlag transaction types). */
export const TransactionType = { NOT_TYPE: 0, PREPARED: 4, COMMIT: 8, ROLLBACK: 12 } as const;

export interface EndTransactionRequestHeader extends RpcHeaderBase {
  producerGroup?: string;
  tranStateTableOffset?: number;
  commitLogOffset?: number;
  commitOrRollback?: number;
  fromTransactionCheck?: boolean;
  msgId?: string;
  transactionId?: string;
  topic?: string;
}
const END_CODEC = defineHeader<EndTransactionRequestHeader>({
  producerGroup: { type: 'string', required: true },
  tranStateTableOffset: { type: 'long', required: true },
  commitLogOffset: { type: 'long', required: true },
  commitOrRollback: { type: 'int', required: true },
  fromTransactionCheck: 'boolean',
  msgId: { type: 'string', required: true },
  transactionId: 'string',
  topic: 'string',
  ...RPC_BASE_SPEC,
});

/** Java checkFields(): commitOrRollback must be 0, 8 or 12, else "commitOrRollback field wrong". */
export function checkEndTransactionHeader(h: EndTransactionRequestHeader): void {
  const v = h.commitOrRollback;
  if (v !== TransactionType.NOT_TYPE && v !== TransactionType.COMMIT && v !== TransactionType.ROLLBACK) {
    throw new Error('commitOrRollback field wrong');
  }
}

export const EndTransactionRequestHeader = { ...END_CODEC, check: checkEndTransactionHeader };

export interface CheckTransactionStateRequestHeader extends RpcHeaderBase {
  tranStateTableOffset?: number;
  commitLogOffset?: number;
  msgId?: string;
  transactionId?: string;
  offsetMsgId?: string;
  topic?: string;
}
export const CheckTransactionStateRequestHeader = defineHeader<CheckTransactionStateRequestHeader>({
  tranStateTableOffset: { type: 'long', required: true },
  commitLogOffset: { type: 'long', required: true },
  msgId: 'string',
  transactionId: 'string',
  offsetMsgId: 'string',
  topic: 'string',
  ...RPC_BASE_SPEC,
});
