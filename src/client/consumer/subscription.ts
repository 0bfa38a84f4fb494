// Subscriptions: the SubscriptionData a consumer registers (tag expression -> tagsSet/codeSet) and the exact
// tag check the client applies to pulled messages (the broker filters by hash only; semantics.md §5).
import type { MessageExt } from '../../common/message.js';
import { MessageConst } from '../../common/message-const.js';
import { parseTagExpression } from '../../common/tags.js';
import type { SubscriptionData } from '../../protocol/heartbeat.js';

export const SUB_ALL = '*';

let lastSubVersion = 0;
/** Subscription versions are ms timestamps, strictly increasing within the process. */
function nextSubVersion(): number {
  lastSubVersion = Math.max(Date.now(), lastSubVersion + 1);
  return lastSubVersion;
}

export function buildSubscriptionData(topic: string, expression: string | undefined, expressionType = 'TAG'): SubscriptionData {
  const expr = expression === undefined || expression.trim() === '' ? SUB_ALL : expression.trim();
  if (expressionType !== 'TAG') {
    return { topic, subString: expr, tagsSet: [], codeSet: [], subVersion: nextSubVersion(), expressionType, classFilterMode: false };
  }
  const parsed = parseTagExpression(expr);
  return {
    topic,
    subString: parsed.all ? SUB_ALL : expr,
    tagsSet: [...parsed.tags],
    codeSet: [...parsed.codes],
    subVersion: nextSubVersion(),
    expressionType: 'TAG',
    classFilterMode: false,
  };
}

/** Keeps only messages whose TAGS is in the subscription's tag set (all of them for `*` or SQL92). */
export function filterByTags(msgs: MessageExt[], sub: SubscriptionData): MessageExt[] {
  if (sub.tagsSet.length === 0 || sub.classFilterMode || sub.expressionType !== 'TAG') return msgs;
  const set = new Set(sub.tagsSet);
  return msgs.filter((m) => {
    const t = m.properties[MessageConst.TAGS];
    return t !== undefined && set.has(t);
  });
}
