/**
 * Admin requests the broker relays to one consumer client and whose answer it returns unchanged:
 * GET_CONSUMER_RUNNING_INFO (307) and CONSUME_MESSAGE_DIRECTLY (309, body = the stored record named by
 * msgId). The client is found by clientId among the group's channels; 10 s to answer (timeout → 207).
 * requests.md §4.
 */
import { RequestCode, ResponseCode } from '../../../protocol/codes.js';
import { decodeRequired } from '../../../protocol/header.js';
import { decodeOffsetMsgId } from '../../../common/msgid.js';
import { RemotingCommand } from '../../../remoting/command.js';
import { RemotingTimeoutError } from '../../../remoting/errors.js';
import type { Processor } from '../../../remoting/server.js';
import type { AdminDeps } from './deps.js';
import { ConsumeMessageDirectlyRequestHeader, GetConsumerRunningInfoRequestHeader } from './headers.js';
import { fail } from './util.js';

/** MQVersion ordinal of V3_1_8_SNAPSHOT, the first client able to answer these requests. */
const MIN_CLIENT_VERSION = 62;
export const CALL_CLIENT_TIMEOUT_MS = 10000;

async function callConsumer(deps: AdminDeps, code: number, req: RemotingCommand, group: string,
  clientId: string | undefined): Promise<RemotingCommand> {
  const client = deps.consumers.group(group)?.clients.find((c) => c.clientId === clientId);
  if (!client) return fail(ResponseCode.SYSTEM_ERROR, `The Consumer <${group}> <${clientId}> not online`);
  if (client.version < MIN_CLIENT_VERSION) {
    return fail(ResponseCode.SYSTEM_ERROR,
      `The Consumer <${clientId}> Version <${client.version}> too low to finish, please upgrade it to V3_1_8_SNAPSHOT`);
  }
  const forward = RemotingCommand.createRequest(code, undefined, req.body);
  forward.extFields = { ...(req.extFields ?? {}) };
  try {
    return await client.channel.invoke(forward, CALL_CLIENT_TIMEOUT_MS);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    if (e instanceof RemotingTimeoutError) {
      return fail(ResponseCode.CONSUME_MSG_TIMEOUT, `consumer <${group}> <${clientId}> Timeout: ${msg}`);
    }
    return fail(ResponseCode.SYSTEM_ERROR, `invoke consumer <${group}> <${clientId}> Exception: ${msg}`);
  }
}

export function getConsumerRunningInfo(deps: AdminDeps): Processor {
  return (req) => {
    const h = decodeRequired(GetConsumerRunningInfoRequestHeader, req.extFields);
    return callConsumer(deps, RequestCode.GET_CONSUMER_RUNNING_INFO, req, h.consumerGroup!, h.clientId);
  };
}

export function consumeMessageDirectly(deps: AdminDeps): Processor {
  return async (req) => {
    const h = decodeRequired(ConsumeMessageDirectlyRequestHeader, req.extFields);
    const ext: Record<string, string> = { ...(req.extFields ?? {}), brokerName: deps.brokerName };
    if (h.topic) {
      const tc = deps.topics.get(h.topic);
      if (tc) ext.topicSysFlag = String(tc.topicSysFlag);
    }
    const gc = deps.groups.get(h.consumerGroup!);
    if (gc) ext.groupSysFlag = String(gc.groupSysFlag);
    if (!h.msgId) return fail(ResponseCode.SYSTEM_ERROR, 'msgId is null');
    const { offset } = decodeOffsetMsgId(h.msgId);
    const record = await deps.store.readRecord(offset);
    if (!record) return fail(ResponseCode.SYSTEM_ERROR, `can not find message by the offset, ${offset}`);
    const forward = new RemotingCommand();
    forward.extFields = ext;
    forward.body = record;
    return callConsumer(deps, RequestCode.CONSUME_MESSAGE_DIRECTLY, forward, h.consumerGroup!, h.clientId);
  };
}
