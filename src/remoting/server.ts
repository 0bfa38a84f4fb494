// TCP server: accepts connections, splits frames, dispatches requests to processors by code, and lets the
// owner send requests back to a connected client (transaction check-back, consumer-ids-changed, ...).
import { EventEmitter } from 'node:events';
import net from 'node:net';
import { RemotingCommand } from './command.js';
import { Connection } from './connection.js';
import { ProcessorTable, type Handler } from './dispatch.js';
import { DEFAULT_MAX_FRAME_SIZE } from './frame.js';
import { silentLogger, type Logger } from '../common/logger.js';

/** An accepted client connection as processors see it. Emits 'close'. */
export interface Channel extends EventEmitter {
  readonly id: string;
  readonly remoteAddr: string;
  readonly localAddr: string;
  readonly closed: boolean;
  invoke(req: RemotingCommand, timeoutMs: number): Promise<RemotingCommand>;
  invokeOneway(req: RemotingCommand): void;
  close(): void;
}

export type Processor = Handler<Channel>;

let channelSeq = 0;

class ServerChannel extends EventEmitter implements Channel {
  readonly id = `ch-${++channelSeq}`;
  constructor(readonly conn: Connection) {
    super();
    conn.on('close', () => this.emit('close'));
  }
  get remoteAddr(): string {
    return this.conn.remoteAddr;
  }
  get localAddr(): string {
    return this.conn.localAddr;
  }
  get closed(): boolean {
    return this.conn.closed;
  }
  invoke(req: RemotingCommand, timeoutMs: number): Promise<RemotingCommand> {
    return this.conn.request(req, timeoutMs);
  }
  invokeOneway(req: RemotingCommand): void {
    this.conn.oneway(req).catch(() => undefined);
  }
  close(): void {
    this.conn.close();
  }
}

export interface RemotingServerOptions {
  host?: string;
  port?: number;
  maxFrameSize?: number;
  logger?: Logger;
  name?: string;
  /**
   * Requests of one connection handled per event-loop turn when split (default 16): a client with many
   * requests in flight gets answers to the first group while the rest is worked on, so both sides stay busy.
   * Each connection measures whether its peer runs faster split or whole (TurnSizer) and keeps the faster.
   */
  requestsPerTurn?: number;
}

export class RemotingServer extends EventEmitter {
  readonly channels = new Set<Channel>();
  private readonly processors = new ProcessorTable<Channel>();
  private readonly server: net.Server;
  private readonly logger: Logger;
  private readonly maxFrameSize: number;
  private readonly requestsPerTurn: number;
  private boundPort = 0;

  constructor(private readonly opts: RemotingServerOptions = {}) {
    super();
    this.logger = opts.logger ?? silentLogger;
    this.maxFrameSize = opts.maxFrameSize ?? DEFAULT_MAX_FRAME_SIZE;
    this.requestsPerTurn = Math.max(1, opts.requestsPerTurn ?? 16);
    this.server = net.createServer((socket) => this.accept(socket));
    this.server.on('error', (err) => this.logger.error(`${opts.name ?? 'server'} error: ${err.message}`));
  }

  registerProcessor(code: number, p: Processor): void {
    this.processors.register(code, p);
  }

  registerDefaultProcessor(p: Processor): void {
    this.processors.registerDefault(p);
  }

  get port(): number {
    return this.boundPort;
  }

  listen(): Promise<{ host: string; port: number }> {
    const host = this.opts.host ?? '0.0.0.0';
    return new Promise((resolve, reject) => {
      const onError = (err: Error): void => reject(err);
      this.server.once('error', onError);
      this.server.listen(this.opts.port ?? 0, host, () => {
        this.server.off('error', onError);
        const a = this.server.address() as net.AddressInfo;
        this.boundPort = a.port;
        resolve({ host, port: a.port });
      });
    });
  }

  private accept(socket: net.Socket): void {
    const conn = new Connection(socket, {
      maxFrameSize: this.maxFrameSize,
      logger: this.logger,
      onRequest: (req, c) => this.processors.dispatch(req, c, channel, this.logger),
      requestsPerTurn: this.requestsPerTurn,
    });
    const channel = new ServerChannel(conn);
    this.channels.add(channel);
    channel.on('close', () => {
      this.channels.delete(channel);
      this.emit('disconnect', channel);
    });
    this.emit('connect', channel);
  }

  close(): Promise<void> {
    for (const ch of this.channels) ch.close();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
