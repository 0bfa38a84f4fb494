// One TCP connection carrying RemotingCommands both ways: frames in, frames out, a table of requests
// awaiting their response (by opaque), and incoming requests handed to the owner. Used by the server for
// each accepted socket and by the client for each address. Bad bytes close this connection only.
import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { RemotingCommand } from './command.js';
import { RemotingSendError, RemotingTimeoutError } from './errors.js';
import { decodeFrameContent, encodeFrame, FrameSplitter } from './frame.js';
import type { Logger } from '../common/logger.js';

interface Pending {
  resolve(cmd: RemotingCommand): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
  code: number;
}

export type RequestHandler = (req: RemotingCommand, conn: Connection) => void;

export function formatAddr(host: string | undefined, port: number | undefined): string {
  let h = host ?? 'unknown';
  if (h.startsWith('::ffff:')) h = h.slice(7);
  return `${h}:${port ?? 0}`;
}

export class Connection extends EventEmitter {
  readonly remoteAddr: string;
  readonly localAddr: string;
  private readonly splitter: FrameSplitter;
  private readonly pending = new Map<number, Pending>();
  private isClosed = false;

  constructor(
    readonly socket: Socket,
    private readonly opts: { maxFrameSize: number; logger: Logger; onRequest: RequestHandler; label?: string; requestsPerTurn?: number },
  ) {
    super();
    this.remoteAddr = formatAddr(socket.remoteAddress, socket.remotePort);
    this.localAddr = formatAddr(socket.localAddress, socket.localPort);
    this.splitter = new FrameSplitter(opts.maxFrameSize);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err) => {
      opts.logger.debug(`connection ${this.remoteAddr} error: ${err.message}`);
    });
    socket.on('close', () => this.onClose());
  }

  get closed(): boolean {
    return this.isClosed;
  }

  private onData(chunk: Buffer): void {
    if (this.isClosed) return;
    let frames: Buffer[];
    try {
      frames = this.splitter.push(chunk);
    } catch (e) {
      this.fail(e as Error);
      return;
    }
    if (this.backlog.length > 0) {
      // earlier frames still wait for their turn: keep the order
      for (const f of frames) this.backlog.push(f);
      return;
    }
    this.handleFrames(frames, 0);
  }

  /** Frames read but not yet handled (more requests arrived in one read than one turn takes). */
  private backlog: Buffer[] = [];

  /**
   * Handles frames from `from`. At most `requestsPerTurn` requests run per event-loop turn: what their
   * processors start (one store round, one socket write of the answers) completes before the next group is
   * taken, so the peer gets the first answers and sends more while this side works on the rest — two
   * processes on two cores overlap instead of taking turns with one big batch each.
   */
  private handleFrames(frames: Buffer[], from: number): void {
    const limit = this.opts.requestsPerTurn ?? Infinity;
    let requests = 0;
    for (let i = from; i < frames.length; i++) {
      let cmd: RemotingCommand;
      try {
        cmd = decodeFrameContent(frames[i]!);
      } catch (e) {
        this.fail(e as Error);
        return;
      }
      if (cmd.isResponse()) this.onResponse(cmd);
      else {
        try {
          this.opts.onRequest(cmd, this);
        } catch (e) {
          this.opts.logger.error(`request handler threw for ${cmd.describe()} from ${this.remoteAddr}: ${(e as Error).message}`);
        }
        if (++requests >= limit && i + 1 < frames.length) {
          this.backlog = frames.slice(i + 1);
          setImmediate(this.resume);
          return;
        }
      }
      if (this.isClosed) return;
    }
  }

  private readonly resume = (): void => {
    const frames = this.backlog;
    this.backlog = [];
    if (this.isClosed || frames.length === 0) return;
    // a second immediate: work the first group started with setImmediate (the store round) goes first
    this.handleFrames(frames, 0);
  };

  private fail(err: Error): void {
    this.opts.logger.warn(`closing connection ${this.remoteAddr}: ${err.message}`);
    this.close();
  }

  private onResponse(cmd: RemotingCommand): void {
    const p = this.pending.get(cmd.opaque);
    if (!p) {
      this.opts.logger.debug(`response with unknown opaque ${cmd.opaque} from ${this.remoteAddr} dropped`);
      return;
    }
    this.pending.delete(cmd.opaque);
    clearTimeout(p.timer);
    p.resolve(cmd);
  }

  private onClose(): void {
    if (!this.isClosed) this.isClosed = true;
    for (const [opaque, p] of this.pending) {
      clearTimeout(p.timer);
      this.pending.delete(opaque);
      p.reject(new RemotingSendError(this.remoteAddr, p.code, 'connection closed'));
    }
    this.emit('close');
  }

  /** Write a command; false when the connection is already closed. */
  write(cmd: RemotingCommand): boolean {
    if (this.isClosed || this.socket.destroyed) return false;
    // frames written in one burst of callbacks (e.g. every send answered by one store round) leave as one
    // buffer in one syscall once the current tick's work is done: one stream write instead of one per frame
    this.outFrames.push(encodeFrame(cmd));
    if (this.outFrames.length === 1) process.nextTick(this.flushOut);
    return true;
  }

  /** Writes the frames collected this tick (a no-op when already written). */
  private readonly flushOut = (): void => {
    const frames = this.outFrames;
    if (frames.length === 0) return;
    this.outFrames = [];
    if (this.socket.destroyed) return;
    if (frames.length === 1) { this.socket.write(frames[0]!); return; }
    let total = 0;
    for (const f of frames) total += f.length;
    if (total <= 256 * 1024) { this.socket.write(Buffer.concat(frames, total)); return; }
    // big frames (pull results): no copy, still one writev
    this.socket.cork();
    for (const f of frames) this.socket.write(f);
    this.socket.uncork();
  };

  private outFrames: Buffer[] = [];

  request(cmd: RemotingCommand, timeoutMs: number, addrLabel = this.remoteAddr, reportedTimeoutMs = timeoutMs): Promise<RemotingCommand> {
    return new Promise((resolve, reject) => {
      if (this.isClosed) {
        reject(new RemotingSendError(addrLabel, cmd.code, 'connection closed'));
        return;
      }
      const timer = setTimeout(() => {
        if (this.pending.delete(cmd.opaque)) reject(new RemotingTimeoutError(addrLabel, cmd.code, reportedTimeoutMs));
      }, timeoutMs);
      this.pending.set(cmd.opaque, { resolve, reject, timer, code: cmd.code });
      this.write(cmd);
    });
  }

  oneway(cmd: RemotingCommand): Promise<void> {
    cmd.markOneway();
    return new Promise((resolve, reject) => {
      if (this.isClosed || this.socket.destroyed) {
        reject(new RemotingSendError(this.remoteAddr, cmd.code, 'connection closed'));
        return;
      }
      this.flushOut(); // keep frame order: anything written earlier in this tick goes first
      this.socket.write(encodeFrame(cmd), (err) => (err ? reject(new RemotingSendError(this.remoteAddr, cmd.code, err.message)) : resolve()));
    });
  }

  get inFlight(): number {
    return this.pending.size;
  }

  close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.socket.destroy();
  }
}
