/**
 * Installs SQL92 property filtering into a broker: the pull hook (compiled selector per expression, cached)
 * and CHECK_CLIENT_CONFIG, which refuses a bad expression with SUBSCRIPTION_PARSE_FAILED (23) and the parse
 * error as remark, as Apache does when a consumer subscribes.
 */
import { RequestCode, ResponseCode } from '../../protocol/codes.js';
import { decodeCheckClientConfigBody } from '../../protocol/heartbeat.js';
import { RemotingCommand } from '../../remoting/command.js';
import type { BrokerContext } from '../context.js';
import { compileSql92, Sql92CompileError } from './sql92.js';

function isTagType(t: string | undefined | null): boolean {
  return !t || t.toUpperCase() === 'TAG';
}

export function installFilter(ctx: BrokerContext): void {
  ctx.messageFilterFor = (req) => {
    if (req.expressionType.toUpperCase() !== 'SQL92') return undefined;
    try {
      const sel = compileSql92(req.expression);
      return { filter: (props) => sel.matches(props) };
    } catch (e) {
      if (e instanceof Sql92CompileError) {
        return { errorCode: ResponseCode.SUBSCRIPTION_PARSE_FAILED, errorRemark: `parse the consumer's subscription failed: ${e.message}` };
      }
      throw e;
    }
  };

  ctx.server.registerProcessor(RequestCode.CHECK_CLIENT_CONFIG, (req) => {
    let sub;
    try {
      sub = decodeCheckClientConfigBody(req.body ?? Buffer.alloc(0)).subscriptionData;
    } catch (e) {
      return RemotingCommand.createResponse(ResponseCode.SYSTEM_ERROR, `bad CheckClientRequestBody: ${(e as Error).message}`);
    }
    if (!sub || isTagType(sub.expressionType)) return RemotingCommand.createResponse(ResponseCode.SUCCESS);
    if (!ctx.config.enablePropertyFilter) {
      return RemotingCommand.createResponse(ResponseCode.SYSTEM_ERROR, `The broker does not support consumer to filter message by ${sub.expressionType}`);
    }
    if (sub.expressionType.toUpperCase() !== 'SQL92') {
      return RemotingCommand.createResponse(ResponseCode.SUBSCRIPTION_PARSE_FAILED, `unknown expression type ${sub.expressionType}`);
    }
    try {
      compileSql92(sub.subString);
    } catch (e) {
      return RemotingCommand.createResponse(ResponseCode.SUBSCRIPTION_PARSE_FAILED, (e as Error).message);
    }
    return RemotingCommand.createResponse(ResponseCode.SUCCESS);
  });
}
