/** Installs CONSUMER_SEND_MSG_BACK (retry / dead-letter) into a broker. */
import { RequestCode } from '../../../protocol/codes.js';
import type { BrokerContext } from '../../context.js';
import { DelayLevels } from '../../schedule/delay-levels.js';
import { processSendMsgBack } from './send-back.js';

export function installRetry(ctx: BrokerContext): void {
  const levels = new DelayLevels(ctx.config.messageDelayLevel);
  ctx.server.registerProcessor(RequestCode.CONSUMER_SEND_MSG_BACK, (req) => processSendMsgBack(ctx, req, levels));
}
