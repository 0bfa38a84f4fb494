// Runs an incoming request through a processor table and writes the answer back on the same connection,
// with the rules of remoting.md §10–11: unknown code -> REQUEST_CODE_NOT_SUPPORTED, a throwing processor ->
// SYSTEM_ERROR with its message, oneway requests never answered, the response in the request's serialize type.
import { RemotingCommand } from './command.js';
import { notSupportedRemark, RemotingSysResponseCode } from './codes.js';
import type { Connection } from './connection.js';
import type { Logger } from '../common/logger.js';

export type Handler<C> = (req: RemotingCommand, ctx: C) => Promise<RemotingCommand | null | void> | RemotingCommand | null | void;

export class ProcessorTable<C> {
  private readonly table = new Map<number, Handler<C>>();
  private fallback?: Handler<C>;

  register(code: number, h: Handler<C>): void {
    this.table.set(code, h);
  }

  registerDefault(h: Handler<C>): void {
    this.fallback = h;
  }

  has(code: number): boolean {
    return this.table.has(code);
  }

  dispatch(req: RemotingCommand, conn: Connection, ctx: C, logger: Logger): void {
    const h = this.table.get(req.code) ?? this.fallback;
    const reply = (resp: RemotingCommand | null | void): void => {
      if (!resp || req.isOneway()) return;
      resp.opaque = req.opaque;
      resp.markResponse();
      resp.serializeType = req.serializeType;
      conn.write(resp);
    };
    if (!h) {
      reply(RemotingCommand.createResponse(RemotingSysResponseCode.REQUEST_CODE_NOT_SUPPORTED, notSupportedRemark(req.code)));
      return;
    }
    const onError = (e: unknown): void => {
      const msg = e instanceof Error ? e.message : String(e);
      logger.warn(`processor for code ${req.code} from ${conn.remoteAddr} failed: ${msg}`);
      reply(RemotingCommand.createResponse(RemotingSysResponseCode.SYSTEM_ERROR, msg));
    };
    let result: ReturnType<Handler<C>>;
    try {
      result = h(req, ctx);
    } catch (e) {
      onError(e);
      return;
    }
    if (result && typeof (result as Promise<unknown>).then === 'function') {
      (result as Promise<RemotingCommand | null | void>).then(reply, onError);
    } else {
      reply(result as RemotingCommand | null | void);
    }
  }
}
