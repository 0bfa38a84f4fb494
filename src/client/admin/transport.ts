// How the admin client reaches servers: one RemotingClient; name server calls go to the first name server that
// answers (the others are tried when one cannot be reached, as Java's client does); responses are checked
// here so every caller gets an AdminError with the response code and remark, or the decoded body.
import { RemotingClient } from '../../remoting/client.js';
import { RemotingCommand } from '../../remoting/command.js';
import { RemotingConnectError, RemotingTimeoutError } from '../../remoting/errors.js';
import { ResponseCode } from '../../protocol/codes.js';
import { AdminError, NotFoundError, describeFailure } from './errors.js';

export interface TransportOptions {
  /** "host:port;host:port" (mqadmin's -n syntax); commas are accepted too. */
  namesrv: string;
  timeoutMs?: number;
  client?: RemotingClient;
}

export interface ExpectOptions {
  /** Response codes meaning "not found" (exit code 4 in the CLI). */
  notFound?: number[];
  /** Response codes that are not errors (returned as-is). */
  accept?: number[];
}

export function splitNamesrv(addr: string): string[] {
  return addr
    .split(/[;,]/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

export class AdminTransport {
  readonly namesrvAddrs: string[];
  readonly timeoutMs: number;
  readonly remoting: RemotingClient;
  private readonly ownsClient: boolean;
  private preferred = 0;

  constructor(opts: TransportOptions) {
    this.namesrvAddrs = splitNamesrv(opts.namesrv);
    if (this.namesrvAddrs.length === 0) throw new AdminError('no name server address given');
    this.timeoutMs = opts.timeoutMs ?? 5000;
    this.ownsClient = !opts.client;
    this.remoting = opts.client ?? new RemotingClient({ connectTimeoutMs: Math.min(3000, this.timeoutMs) });
  }

  close(): void {
    if (this.ownsClient) this.remoting.close();
  }

  /** Send to a name server, failing over to the next one when a server cannot be reached. */
  async callNamesrv(code: number, fields?: Record<string, unknown>, body?: Buffer): Promise<RemotingCommand> {
    let lastErr: unknown;
    for (let i = 0; i < this.namesrvAddrs.length; i++) {
      const idx = (this.preferred + i) % this.namesrvAddrs.length;
      try {
        const resp = await this.remoting.invoke(this.namesrvAddrs[idx], RemotingCommand.createRequest(code, fields, body), this.timeoutMs);
        this.preferred = idx;
        return resp;
      } catch (e) {
        if (!(e instanceof RemotingConnectError) && !(e instanceof RemotingTimeoutError)) throw e;
        lastErr = e;
      }
    }
    throw lastErr;
  }

  /** Send the same request to every name server (write operations mqadmin applies to all of them). */
  async callAllNamesrv(code: number, fields?: Record<string, unknown>, body?: Buffer): Promise<Array<{ addr: string; resp: RemotingCommand }>> {
    const out: Array<{ addr: string; resp: RemotingCommand }> = [];
    for (const addr of this.namesrvAddrs) {
      out.push({ addr, resp: await this.remoting.invoke(addr, RemotingCommand.createRequest(code, fields, body), this.timeoutMs) });
    }
    return out;
  }

  callBroker(addr: string, code: number, fields?: Record<string, unknown>, body?: Buffer, timeoutMs = this.timeoutMs): Promise<RemotingCommand> {
    return this.remoting.invoke(addr, RemotingCommand.createRequest(code, fields, body), timeoutMs);
  }

  /** Throw unless the response is SUCCESS (or an accepted code). */
  expect(resp: RemotingCommand, what: string, opts: ExpectOptions = {}): RemotingCommand {
    if (resp.code === ResponseCode.SUCCESS || opts.accept?.includes(resp.code)) return resp;
    const msg = describeFailure(what, resp.code, resp.remark);
    if (opts.notFound?.includes(resp.code)) throw new NotFoundError(msg, resp.code, resp.remark);
    throw new AdminError(msg, resp.code, resp.remark);
  }

  /** The response body, or an error naming what was asked when there is none. */
  bodyOf(resp: RemotingCommand, what: string): Buffer {
    if (!resp.body || resp.body.length === 0) throw new AdminError(`${what}: response has no body`, resp.code, resp.remark);
    return resp.body;
  }
}
