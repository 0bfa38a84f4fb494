// One TCP connection carrying RemotingCommands both ways: frames in, frames out, a table of requests
// awaiting their response (by opaque), and incoming requests handed to the owner. Used by the server for
// each accepted socket and by the client for each address. Bad bytes close this connection only.
import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { RemotingCommand } from './command.js';
import { RemotingSendError, RemotingTimeoutError } from './errors.js';
import { decodeFrameContent, encodeFrame, FrameSplitter } from './frame.js';
import { PendingTable } from './pending-table.js';
import { TurnSizer } from './turn-sizer.js';
import type { Logger } from '../common/logger.js';

/** A request awaiting its response. */
class Pending {
  constructor(
    readonly resolve: (cmd: RemotingCommand) => void,
    readonly reject: (err: Error) => void,
    /** performance.now() by which the response must have come */
    readonly deadline: number,
    readonly code: number,
    readonly addrLabel: string,
    readonly reportedTimeoutMs: number,
  ) {}
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
  private readonly pending = new PendingTable<Pending>();
  private isClosed = false;
  /**
   * One timer per connection instead of one per request: armed for the earliest deadline known when it was
   * set; when it fires it fails every request past its deadline and re-arms for the earliest remaining one.
   * Answered requests leave the table without touching the timer, so a stream of requests with the same
   * timeout costs a table scan once per timeout period rather than a timer insert and removal per request.
   */
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Infinity;
  /** Requests per turn when a limit is set: split or whole, whichever the peer's traffic runs faster with. */
  private readonly sizer: Pick<TurnSizer, 'perTurn' | 'onRead'> | null;

  constructor(
    readonly socket: Socket,
    private readonly opts: {
      maxFrameSize: number; logger: Logger; onRequest: RequestHandler; label?: string; requestsPerTurn?: number;
      /** Instead of a TurnSizer of `requestsPerTurn` (tests). */
      sizer?: Pick<TurnSizer, 'perTurn' | 'onRead'>;
    },
  ) {
    super();
    this.remoteAddr = formatAddr(socket.remoteAddress, socket.remotePort);
    this.localAddr = formatAddr(socket.localAddress, socket.localPort);
    this.splitter = new FrameSplitter(opts.maxFrameSize);
    const limit = opts.requestsPerTurn ?? Infinity;
    this.sizer = opts.sizer ?? (limit === Infinity ? null : new TurnSizer(limit));
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
    if (this.sizer !== null && frames.length > 0) this.sizer.onRead(frames.length, performance.now());
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
   * Handles frames from `from`. At most `requestsPerTurn` requests run per event-loop turn while the
   * TurnSizer keeps the connection split (a peer that answers each reply with a new request): what their
   * processors start (one store round, one socket write of the answers) completes before the next group is
   * taken, so the peer gets the first answers and sends more while this side works on the rest — two
   * processes on two cores overlap instead of taking turns with one big batch each.
   */
  private handleFrames(frames: Buffer[], from: number): void {
    const limit = this.sizer === null ? Infinity : this.sizer.perTurn;
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
    const p = this.pending.take(cmd.opaque);
    if (!p) {
      this.opts.logger.debug(`response with unknown opaque ${cmd.opaque} from ${this.remoteAddr} dropped`);
      return;
    }
    p.resolve(cmd);
  }

  private armTimer(deadline: number): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timerAt = deadline;
    // libuv's loop clock may lag performance.now(): an early wake finds nothing due and re-arms
    this.timer = setTimeout(this.onTimer, Math.max(1, Math.ceil(deadline - performance.now())));
  }

  private readonly onTimer = (): void => {
    this.timer = undefined;
    this.timerAt = Infinity;
    const now = performance.now();
    let next = Infinity;
    for (const [opaque, p] of this.pending.entries()) {
      if (p.deadline <= now) {
        this.pending.take(opaque);
        p.reject(new RemotingTimeoutError(p.addrLabel, p.code, p.reportedTimeoutMs));
      } else if (p.deadline < next) {
        next = p.deadline;
      }
    }
    if (next !== Infinity && !this.isClosed) this.armTimer(next);
  };

  private onClose(): void {
    if (!this.isClosed) this.isClosed = true;
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.timerAt = Infinity;
    }
    for (const [opaque, p] of this.pending.entries()) {
      this.pending.take(opaque);
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
    const n = frames.length;
    let prev = frames[0]!;
    if (n === 1) { this.socket.write(prev); return; }
    // frames encoded one after another are adjacent slices of encodeFrame's arena: one slice covers them all
    let total = prev.length;
    let adjacent = true;
    for (let i = 1; i < n; i++) {
      const f = frames[i]!;
      total += f.length;
      if (adjacent && (f.buffer !== prev.buffer || f.byteOffset !== prev.byteOffset + prev.length)) adjacent = false;
      prev = f;
    }
    if (adjacent) {
      const first = frames[0]!;
      this.socket.write(Buffer.from(first.buffer, first.byteOffset, total));
      return;
    }
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
      // encoded first: a command that cannot be encoded rejects here and leaves nothing pending
      this.write(cmd);
      // what setTimeout does with a delay outside 1..2^31-1 ms (NaN, negative, huge): 1 ms, as before
      const deadline = performance.now() + (timeoutMs >= 1 && timeoutMs <= 0x7fffffff ? timeoutMs : 1);
      this.pending.set(cmd.opaque, new Pending(resolve, reject, deadline, cmd.code, addrLabel, reportedTimeoutMs));
      if (deadline < this.timerAt) this.armTimer(deadline);
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
