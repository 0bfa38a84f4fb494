// A transactional send whose local transaction ends with a chosen outcome (mqctl send --transaction):
// commit / rollback end it at once; unknown leaves it to the broker's check-back, answered with commit, and
// waits for that check (transactionTimeOut 6 s, then the next check round) before returning.
import type { Message } from '../../common/message.js';
import type { ProducerOptions } from './producer.js';
import { TransactionProducer, type LocalTransactionState, type TransactionSendResult } from './transaction-producer.js';

export type TransactionOutcome = 'commit' | 'rollback' | 'unknown';

export interface OutcomeSendResult extends TransactionSendResult {
  /** For 'unknown': whether the broker's check-back arrived (and was answered with commit) in time. */
  checkedBack?: boolean;
}

const STATE: Record<TransactionOutcome, LocalTransactionState> = {
  commit: 'COMMIT_MESSAGE', rollback: 'ROLLBACK_MESSAGE', unknown: 'UNKNOW',
};

export function parseTransactionOutcome(s: string): TransactionOutcome {
  const v = s.toLowerCase();
  if (v !== 'commit' && v !== 'rollback' && v !== 'unknown') throw new Error(`--transaction must be commit, rollback or unknown, got '${s}'`);
  return v;
}

/**
 * Sends each message as a transaction with the given outcome; with 'unknown' waits up to `checkWaitMs`
 * (default 60 s) for the check-back of every message. The producer is started and shut down here.
 */
export async function sendWithTransactionOutcome(opts: ProducerOptions, msgs: Message[], outcome: TransactionOutcome,
  checkWaitMs = 60_000): Promise<OutcomeSendResult[]> {
  const checked = new Set<string>();
  let wake: (() => void) | undefined;
  const producer = new TransactionProducer({
    ...opts,
    transactionListener: {
      executeLocalTransaction: () => STATE[outcome],
      checkLocalTransaction: (m) => {
        checked.add(m.properties.UNIQ_KEY ?? m.msgId);
        wake?.();
        return 'COMMIT_MESSAGE';
      },
    },
  });
  await producer.start();
  try {
    const results: OutcomeSendResult[] = [];
    for (const m of msgs) results.push(await producer.sendMessageInTransaction(m));
    if (outcome === 'unknown') {
      const end = Date.now() + checkWaitMs;
      while (results.some((r) => !checked.has(r.msgId)) && Date.now() < end) {
        await new Promise<void>((res) => {
          wake = res;
          setTimeout(res, Math.min(500, Math.max(0, end - Date.now())));
        });
      }
      // The answer to the last check is a oneway END_TRANSACTION: give it a moment on the wire.
      await new Promise((r) => setTimeout(r, 200));
      for (const r of results) r.checkedBack = checked.has(r.msgId);
    }
    return results;
  } finally {
    await producer.shutdown();
  }
}
