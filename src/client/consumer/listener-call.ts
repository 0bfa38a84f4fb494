// Calling the user's listener, shared by the concurrent and orderly consume services: a throwing listener
// counts as "no status" (logged), and CONSUME_MESSAGE_DIRECTLY maps the status onto its result codes.
import type { MessageExt } from '../../common/message.js';
import type { ConsumeMessageDirectlyResult } from '../../protocol/client.js';
import type { ConsumeServiceHost } from './service-host.js';

type Listener<S, C> = (msgs: MessageExt[], ctx: C) => S | null | undefined | Promise<S | null | undefined>;

/** The listener's status, or null when it returned none or threw. */
export async function callListener<S, C>(host: ConsumeServiceHost, listener: Listener<S, C>, msgs: MessageExt[], ctx: C): Promise<S | null> {
  try {
    return (await listener(msgs, ctx)) ?? null;
  } catch (e) {
    host.instance.logger.warn(`consumeMessage exception: ${(e as Error).message}, Group: ${host.group}`);
    return null;
  }
}

/** CONSUME_MESSAGE_DIRECTLY: run the listener on one message, report the outcome, commit nothing. */
export async function consumeDirectly<S, C>(
  host: ConsumeServiceHost,
  listener: Listener<S, C>,
  msg: MessageExt,
  ctx: C,
  statuses: { success: S; later: S; order: boolean },
): Promise<ConsumeMessageDirectlyResult> {
  host.prepareForConsume([msg]);
  const begin = Date.now();
  let consumeResult: ConsumeMessageDirectlyResult['consumeResult'];
  let remark: string | undefined;
  try {
    const s = await listener([msg], ctx);
    consumeResult = s === statuses.success ? 'CR_SUCCESS' : s === statuses.later ? 'CR_LATER' : 'CR_RETURN_NULL';
  } catch (e) {
    consumeResult = 'CR_THROW_EXCEPTION';
    remark = String((e as Error).stack ?? e);
  }
  return { order: statuses.order, autoCommit: true, consumeResult, remark, spentTimeMills: Date.now() - begin };
}
