// TCP client: one reused connection per "host:port", created on first use and again after it closes.
// Requests time out with an error naming address, code and timeout; in-flight requests fail at once when
// their connection drops. Servers may send requests back on the same connection (processors below).
import { EventEmitter } from 'node:events';
import net from 'node:net';
import { RemotingCommand } from './command.js';
import { Connection } from './connection.js';
import { ProcessorTable, type Handler } from './dispatch.js';
import { RemotingConnectError, RemotingSendError, RemotingTimeoutError } from './errors.js';
import { DEFAULT_MAX_FRAME_SIZE } from './frame.js';
import { silentLogger, type Logger } from '../common/logger.js';

export type ClientProcessor = Handler<string>;

export interface RemotingClientOptions {
  connectTimeoutMs?: number;
  maxFrameSize?: number;
  logger?: Logger;
  defaultTimeoutMs?: number;
}

export function splitAddr(addr: string): { host: string; port: number } {
  const i = addr.lastIndexOf(':');
  if (i <= 0) throw new RemotingConnectError(addr, 'address must be host:port');
  let host = addr.slice(0, i);
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  const port = Number(addr.slice(i + 1));
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new RemotingConnectError(addr, 'bad port');
  return { host, port };
}

export class RemotingClient extends EventEmitter {
  private readonly conns = new Map<string, Connection>();
  private readonly connecting = new Map<string, Promise<Connection>>();
  private readonly processors = new ProcessorTable<string>();
  private readonly logger: Logger;
  private closed = false;

  constructor(private readonly opts: RemotingClientOptions = {}) {
    super();
    this.logger = opts.logger ?? silentLogger;
  }

  registerProcessor(code: number, p: ClientProcessor): void {
    this.processors.register(code, p);
  }

  private getConnection(addr: string, deadline: number): Promise<Connection> {
    const existing = this.conns.get(addr);
    if (existing && !existing.closed) return Promise.resolve(existing);
    const inProgress = this.connecting.get(addr);
    if (inProgress) return inProgress;
    if (this.closed) return Promise.reject(new RemotingConnectError(addr, 'client closed'));
    const p = new Promise<Connection>((resolve, reject) => {
      let target: { host: string; port: number };
      try {
        target = splitAddr(addr);
      } catch (e) {
        reject(e);
        return;
      }
      const timeoutMs = Math.max(1, Math.min(this.opts.connectTimeoutMs ?? 3000, deadline - Date.now()));
      const socket = net.connect({ host: target.host, port: target.port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new RemotingConnectError(addr, `timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      socket.once('error', (err) => {
        clearTimeout(timer);
        reject(new RemotingConnectError(addr, err.message));
      });
      socket.once('connect', () => {
        clearTimeout(timer);
        const conn = new Connection(socket, {
          maxFrameSize: this.opts.maxFrameSize ?? DEFAULT_MAX_FRAME_SIZE,
          logger: this.logger,
          onRequest: (req, c) => this.processors.dispatch(req, c, addr, this.logger),
        });
        conn.on('close', () => {
          if (this.conns.get(addr) === conn) this.conns.delete(addr);
          this.emit('disconnect', addr);
        });
        this.conns.set(addr, conn);
        if (this.closed) conn.close();
        resolve(conn);
      });
    });
    this.connecting.set(addr, p);
    const clear = (): void => {
      this.connecting.delete(addr);
    };
    p.then(clear, clear);
    return p;
  }

  invoke(addr: string, req: RemotingCommand, timeoutMs = this.opts.defaultTimeoutMs ?? 3000): Promise<RemotingCommand> {
    // an open connection: straight to it (no async frame, no extra promise or clock reads per request)
    const conn = this.conns.get(addr);
    if (conn !== undefined && !conn.closed) return conn.request(req, timeoutMs, addr, timeoutMs);
    return this.invokeConnecting(addr, req, timeoutMs);
  }

  private async invokeConnecting(addr: string, req: RemotingCommand, timeoutMs: number): Promise<RemotingCommand> {
    const start = Date.now();
    let conn: Connection;
    try {
      conn = await this.getConnection(addr, start + timeoutMs);
    } catch (e) {
      if (Date.now() - start >= timeoutMs) throw new RemotingTimeoutError(addr, req.code, timeoutMs);
      throw e;
    }
    const left = timeoutMs - (Date.now() - start);
    if (left <= 0) throw new RemotingTimeoutError(addr, req.code, timeoutMs);
    return conn.request(req, left, addr, timeoutMs);
  }

  invokeSync(addr: string, req: RemotingCommand, timeoutMs?: number): Promise<RemotingCommand> {
    return this.invoke(addr, req, timeoutMs);
  }

  invokeAsync(addr: string, req: RemotingCommand, timeoutMs?: number): Promise<RemotingCommand> {
    return this.invoke(addr, req, timeoutMs);
  }

  async invokeOneway(addr: string, req: RemotingCommand, timeoutMs = this.opts.defaultTimeoutMs ?? 3000): Promise<void> {
    const conn = await this.getConnection(addr, Date.now() + timeoutMs);
    try {
      await conn.oneway(req);
    } catch (e) {
      throw new RemotingSendError(addr, req.code, (e as Error).message);
    }
  }

  /** Addresses with an open connection. */
  connectedAddrs(): string[] {
    return [...this.conns.entries()].filter(([, c]) => !c.closed).map(([a]) => a);
  }

  closeConnection(addr: string): void {
    this.conns.get(addr)?.close();
  }

  close(): void {
    this.closed = true;
    for (const c of this.conns.values()) c.close();
    this.conns.clear();
  }
}
