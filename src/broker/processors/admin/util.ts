/** Small helpers shared by the admin processors. */
import { RemotingCommand } from '../../../remoting/command.js';
import { ResponseCode } from '../../../protocol/codes.js';
import type { MessageQueue } from '../../../protocol/admin.js';
import type { Processor } from '../../../remoting/server.js';
import type { AdminDeps } from './deps.js';

/** Handler of one request code, given the deps. */
export type AdminHandler = (deps: AdminDeps) => Processor;

/** SUCCESS with an optional body and header fields. */
export function ok(body?: Buffer, fields?: Record<string, unknown>): RemotingCommand {
  const r = RemotingCommand.createResponse(ResponseCode.SUCCESS, undefined, fields);
  if (body && body.length > 0) r.body = body;
  return r;
}

export function fail(code: number, remark: string): RemotingCommand {
  return RemotingCommand.createResponse(code, remark);
}

export function mq(deps: AdminDeps, topic: string, queueId: number): MessageQueue {
  return { topic, brokerName: deps.brokerName, queueId };
}

/** Java's `long` values clamp at 0 for the offsets Apache reports (negative = unknown). */
export function nonNegative(n: number): number {
  return n < 0 ? 0 : n;
}

/** Java `String.isBlank`-ish: null, empty or whitespace only. */
export function isBlank(s: string | undefined | null): boolean {
  return s === undefined || s === null || s.trim() === '';
}
