// Turning a PULL_MESSAGE answer into messages (Apache PullAPIWrapper.processPullResult): decode the records
// (inflating compressed bodies), keep only exactly matching tags, add MIN_OFFSET / MAX_OFFSET.
import type { MessageExt } from '../../common/message.js';
import { MessageConst } from '../../common/message-const.js';
import { decodeMessages } from '../../common/record-codec.js';
import type { SubscriptionData } from '../../protocol/heartbeat.js';
import type { PullResponse } from '../api.js';
import { filterByTags } from './subscription.js';

export function messagesOfPull(res: PullResponse, sub: SubscriptionData | undefined): MessageExt[] {
  if (res.status !== 'FOUND' || !res.body) return [];
  let msgs = decodeMessages(res.body, { copyBody: true });
  if (sub) msgs = filterByTags(msgs, sub);
  const min = String(res.minOffset);
  const max = String(res.maxOffset);
  for (const m of msgs) {
    m.properties[MessageConst.MIN_OFFSET] = min;
    m.properties[MessageConst.MAX_OFFSET] = max;
  }
  return msgs;
}
