// RemotingCommand: the unit both directions exchange (remoting.md §3). The header is encoded by
// header-json.ts or header-binary.ts according to serializeType; the body travels as raw bytes.
import { RemotingSysResponseCode } from './codes.js';

export const SerializeType = { JSON: 0, ROCKETMQ: 1 } as const;
export type SerializeTypeValue = (typeof SerializeType)[keyof typeof SerializeType];

/**
 * The type this process encodes its own commands with, as Apache's RemotingCommand chooses it: the
 * ROCKETMQ_SERIALIZE_TYPE environment variable (`JSON` or `ROCKETMQ`), JSON by default. A response to a
 * request takes the request's type instead (dispatch), as 4.9's servers do.
 */
export function serializeTypeFromEnv(value: string | undefined): SerializeTypeValue {
  return value !== undefined && value.trim().toUpperCase() === 'ROCKETMQ' ? SerializeType.ROCKETMQ : SerializeType.JSON;
}

const DEFAULT_SERIALIZE_TYPE = serializeTypeFromEnv(process.env.ROCKETMQ_SERIALIZE_TYPE);

export const FLAG_RESPONSE = 1;
export const FLAG_ONEWAY = 2;

/** MQVersion ordinal we speak as: V5_3_3 (remoting.md §7). */
export const CURRENT_VERSION = 479;

let nextOpaque = 0;
/** One process-wide counter, as the Java side (opaques are not per connection). */
export function newOpaque(): number {
  nextOpaque = (nextOpaque + 1) | 0;
  if (nextOpaque < 0) nextOpaque = 1;
  return nextOpaque;
}

const hasOwn = Object.prototype.hasOwnProperty;

/** Turn header values into extFields strings the way Java's makeCustomHeaderToNet does (nulls dropped). */
export function toExtFields(fields: Record<string, unknown> | undefined): Record<string, string> | undefined {
  if (!fields) return undefined;
  const out: Record<string, string> = {};
  // for-in over own keys: same keys and order as Object.entries without its array of pairs per call
  for (const k in fields) {
    if (!hasOwn.call(fields, k)) continue;
    const v = fields[k];
    if (v === undefined || v === null) continue;
    out[k] = typeof v === 'string' ? v : String(v);
  }
  return out;
}

export class RemotingCommand {
  code = 0;
  language = 'JAVA';
  version = CURRENT_VERSION;
  opaque = 0;
  flag = 0;
  remark?: string;
  extFields?: Record<string, string>;
  body?: Buffer;
  serializeType: SerializeTypeValue = DEFAULT_SERIALIZE_TYPE;

  static createRequest(code: number, fields?: Record<string, unknown>, body?: Buffer): RemotingCommand {
    const cmd = new RemotingCommand();
    cmd.code = code;
    cmd.opaque = newOpaque();
    cmd.extFields = toExtFields(fields);
    if (body && body.length > 0) cmd.body = body;
    return cmd;
  }

  static createResponse(code: number = RemotingSysResponseCode.SUCCESS, remark?: string, fields?: Record<string, unknown>): RemotingCommand {
    const cmd = new RemotingCommand();
    cmd.code = code;
    cmd.flag = FLAG_RESPONSE;
    if (remark !== undefined && remark !== null) cmd.remark = remark;
    cmd.extFields = toExtFields(fields);
    return cmd;
  }

  isResponse(): boolean {
    return (this.flag & FLAG_RESPONSE) === FLAG_RESPONSE;
  }

  isOneway(): boolean {
    return (this.flag & FLAG_ONEWAY) === FLAG_ONEWAY;
  }

  markOneway(): this {
    this.flag |= FLAG_ONEWAY;
    return this;
  }

  markResponse(): this {
    this.flag |= FLAG_RESPONSE;
    return this;
  }

  field(name: string): string | undefined {
    return this.extFields?.[name];
  }

  setField(name: string, value: unknown): this {
    if (value === undefined || value === null) return this;
    (this.extFields ??= {})[name] = String(value);
    return this;
  }

  /** Short description for logs and errors. */
  describe(): string {
    return `${this.isResponse() ? 'response' : 'request'} code=${this.code} opaque=${this.opaque}`;
  }
}
