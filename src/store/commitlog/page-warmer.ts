import { Worker } from 'node:worker_threads';

/** What the warmer reads: a segment's open file and how far its blocks are reserved. */
export interface Warmable {
  readonly fd: number;
  readonly fileSize: number;
  readonly allocatedPosition: number;
}

/**
 * Which range to read next, from where the writer is and how far blocks are reserved: a block of `block`
 * bytes at a time once the writer has left that much room within `distance`, each block in `chunk`-sized
 * reads from its end backwards, leaving its first page unread (see PageWarmer for why). Self-contained (no
 * imports, no outer names): the worker thread runs it from its source text.
 */
export class WarmPlan {
  static readonly PAGE = 4096;
  /** Set by next(): where the read starts. */
  from = 0;
  private fd = -1;
  private failedFd = -1;
  /** Everything of the segment below this is read (or behind the writer). */
  pos = 0;
  private writePos = 0;
  private reserved = 0;
  /** The block being read, from `blockEnd` down to `pos` + one page; `cursor` is where the next read ends. */
  private blockEnd = 0;
  private cursor = -1;

  constructor(
    readonly distance: number,
    readonly block: number,
    readonly chunk: number,
    /**
     * How far above the writer reads stay (see PageWarmer: a read just above cached pages sets off the
     * kernel's readahead). 0: right above it.
     */
    readonly margin = 0,
  ) {}

  /** The writer's state: its segment's descriptor and size, reserved and written positions in it. */
  update(fd: number, fileSize: number, allocatedPosition: number, writePos: number): void {
    if (fd !== this.fd) {
      this.fd = fd;
      this.failedFd = -1;
      this.pos = 0;
      this.cursor = -1;
    }
    this.writePos = writePos;
    this.reserved = Math.min(allocatedPosition, fileSize);
    // Never read behind the writer (those pages are written already), nor within `margin` above it: the page
    // left unread at a block's start must still be uncached when the block's lowest chunk is read, and the
    // writer moves on while the block is read. Checked before every read: a block the writer comes near is
    // left, part read, to the writer, and reading goes on from above what was read of it — never from a page
    // the warmer has read (moving to just above the writer, as before, could land inside the block's read top).
    const guard = Math.ceil((writePos + this.margin) / WarmPlan.PAGE) * WarmPlan.PAGE;
    if (this.pos < guard) {
      this.pos = this.cursor >= 0 && this.blockEnd > guard ? this.blockEnd : guard;
      this.cursor = -1;
    }
  }

  /**
   * Whether a read is due: a whole block of room between `pos` and the writer's distance, or, where the
   * reserved end comes first, more than a page up to it. Shared by the thread's plan and the broker's side,
   * which wakes the thread only then.
   */
  static due(pos: number, reserved: number, writePos: number, distance: number, block: number): boolean {
    const limit = Math.min(reserved, writePos + distance);
    // whole blocks only while the writer's distance is the limit: every append moves it by a few KB
    return limit < reserved ? limit - pos >= block : limit - pos > WarmPlan.PAGE;
  }

  /** A read of this descriptor failed (closed meanwhile: shutdown): nothing more from it until the writer moves on. */
  failed(fd: number): void {
    this.failedFd = fd;
  }

  /** The length of the next read, starting at `from`, taken as done; 0: nothing to read now. */
  next(): number {
    if (this.fd < 0 || this.fd === this.failedFd) return 0;
    const page = WarmPlan.PAGE;
    if (this.cursor < 0) {
      if (!WarmPlan.due(this.pos, this.reserved, this.writePos, this.distance, this.block)) return 0;
      this.blockEnd = Math.min(this.pos + this.block, this.reserved, this.writePos + this.distance);
      this.cursor = this.blockEnd;
    }
    const floor = this.pos + page;
    const from = Math.max(floor, this.cursor - this.chunk);
    const len = this.cursor - from;
    this.from = from;
    this.cursor = from;
    if (from === floor) {
      this.pos = this.blockEnd;
      this.cursor = -1;
    }
    return len;
  }
}

/** Shared state slots (Int32Array): written by the broker's thread, read by the warmer's. */
const SLOT = {
  SEQ: 0, // odd while the broker writes the next four
  FD: 1,
  SIZE: 2,
  ALLOC: 3,
  WRITE: 4,
  STOP: 5,
  WAKE: 6, // bumped on every update; the warmer sleeps on it
  SLEEPING: 7,
  READS: 8, // reads done (tests, diagnostics)
  WARMED: 9, // the plan's `pos` when the warmer last went to sleep
} as const;
const SLOTS = 10;

interface WarmerData {
  shared: SharedArrayBuffer;
  slots: typeof SLOT;
  distance: number;
  block: number;
  chunk: number;
  margin: number;
  plan: string;
}

/**
 * The warmer thread's loop. Runs from its source text in a worker (CommonJS eval: `require`, no imports).
 * Its reads are blocking, one chunk at a time, at the lowest CPU priority of this one thread.
 */
function warmLoop(d: WarmerData): void {
  const fs = require('node:fs') as typeof import('node:fs');
  const os = require('node:os') as typeof import('node:os');
  // (0, eval): the class from its source text, in this thread's global scope
  const Plan = (0, eval)(`(${d.plan})`) as typeof WarmPlan;
  const s = new Int32Array(d.shared);
  const { SEQ, FD, SIZE, ALLOC, WRITE, STOP, WAKE, SLEEPING, READS, WARMED } = d.slots;
  try {
    // this thread only: /proc/thread-self names its task id, and setpriority on a task id sets that thread's
    const tid = Number(fs.readlinkSync('/proc/thread-self').split('/').pop());
    os.setPriority(tid, 19);
    // better still SCHED_IDLE (util-linux chrt, like the reserver's fallocate): a thread waking up on this
    // core preempts it at once, where a nice 19 thread may still run out its time slice
    require('node:child_process').execFileSync('chrt', ['--idle', '--pid', '0', String(tid)], { stdio: 'ignore', timeout: 5000 });
  } catch {
    // not Linux, no chrt, or not allowed: nice 19, or normal priority
  }
  const plan = new Plan(d.distance, d.block, d.chunk, d.margin);
  const buf = Buffer.allocUnsafe(d.chunk);
  while (Atomics.load(s, STOP) === 0) {
    const seen = Atomics.load(s, WAKE);
    let seq: number;
    let fd: number, size: number, alloc: number, write: number;
    do {
      seq = Atomics.load(s, SEQ);
      fd = Atomics.load(s, FD);
      size = Atomics.load(s, SIZE);
      alloc = Atomics.load(s, ALLOC);
      write = Atomics.load(s, WRITE);
    } while ((seq & 1) === 1 || seq !== Atomics.load(s, SEQ));
    plan.update(fd, size, alloc, write);
    const len = plan.next();
    if (len === 0) {
      Atomics.store(s, WARMED, plan.pos);
      Atomics.store(s, SLEEPING, 1);
      if (Atomics.load(s, WAKE) === seen) Atomics.wait(s, WAKE, seen, 1000);
      Atomics.store(s, SLEEPING, 0);
      continue;
    }
    try {
      // A positioned read (pread): should the segment have been closed meanwhile and its number reused, a
      // socket or pipe refuses it (ESPIPE) instead of losing bytes to it, and another file is only read.
      fs.readSync(fd, buf, 0, len, plan.from);
      Atomics.add(s, READS, 1);
    } catch {
      plan.failed(fd);
    }
  }
}

/**
 * Keeps the commitlog's next few MB in the page cache ahead of the writer, by reading them on a thread of its
 * own — the page-cache counterpart of Apache's warmMapedFileEnable, which touches every page of a new mapped
 * file.
 *
 * Why: a `write()` into a page that is not cached makes the kernel allocate one inside the call. On this
 * project's VM (a Firecracker guest whose freed memory goes back to the host, with DAMON paging out cold page
 * cache) a fresh page costs ~16 µs once ~2 GB have been written: the broker's writes went from 0.9 to 4.5 µs
 * per KB, 150–230 ms of every second of event loop at 35 MB/s. Reading the range first moves that cost off the
 * event loop. Only blocks already reserved (BlockReserver, fallocate) are read: that costs no disk I/O and
 * leaves zeroed pages.
 *
 * The cost is CPU, so it must come in small, preemptible pieces: a vCPU taken for tens of milliseconds is an
 * episode of 10–60 ms sends for the broker and its clients sharing the other one.
 * - Reading each 64 MB window at once (`dd`, the first version) took 100–230 ms every 64 MB: one read() call
 *   of 64 KB sets off the kernel's sequential readahead (8 MB on this VM's disk), done inside that call, and
 *   this kernel (PREEMPT_NONE) does not preempt a thread inside a system call — `nice` did not help.
 * - So each 2 MB block is read in 64 KB chunks from its end backwards, leaving its first page to the writer:
 *   the kernel treats a read as part of a sequential stream, and reads ahead, when the pages just before it
 *   are cached; with that page missing each read is a "random" one, and only the pages asked for are read
 *   (~0.25 ms for 64 KB: a thread that wakes waits at most that long for the core).
 * - And no read may start just above cached pages, the writer's or its own. Once one did (the writer had
 *   passed the warmer, which went on from the page above the writer: a page it had read), the kernel took it
 *   for a sequential stream and read 1 MB ahead, leaving a readahead mark; every later read that touched a
 *   mark read the next 8 MB ahead, in folios growing to 2 MB, for the rest of the segment. Traced (ftrace
 *   readahead and filemap events) in runs at 25k sends/s: ~80 readaheads, ~145 folios of 2 MB per 10 s, the
 *   warmer's CPU 1.0–1.1 s against 0.15 s, and p99 21–40 ms against 3–4 ms; in runs without that first
 *   trigger, none. Pages the writer is about to reach are therefore left to it (`margin`, WarmPlan).
 * - The thread runs SCHED_IDLE (nice 19 without `chrt`): while the broker and its clients keep every core busy
 *   it mostly waits (the writes then allocate their own pages, as without it).
 * Under ASYNC_FLUSH only (with the BlockReserver). Best effort: without worker threads the writes allocate
 * their pages as before; after a read error the thread leaves that segment alone.
 */
export class PageWarmer {
  private readonly shared = new SharedArrayBuffer(SLOTS * 4);
  private readonly s = new Int32Array(this.shared);
  private worker: Worker | null = null;
  private disabled = false;
  private lastFd = -1;

  constructor(
    /** How far ahead of the writer pages are kept: ~0.3 s of writes at 50 MB/s. */
    private readonly distance = 16 * 1024 * 1024,
    private readonly block = 2 * 1024 * 1024,
    /** 16 pages: each read is a system call the kernel does not preempt, ~0.25 ms on this VM. */
    private readonly chunk = 64 * 1024,
    /** Reads stay this far above the writer (WarmPlan): ~10 ms of writes at 50 MB/s, several reads' time. */
    private readonly margin = 512 * 1024,
  ) {
    Atomics.store(this.s, SLOT.FD, -1); // no segment yet
  }

  /** After an append up to `writePos` in `seg`: the warmer reads on until `distance` ahead. */
  ahead(seg: Warmable, writePos: number): void {
    if (this.disabled) return;
    // started by the first reserved blocks ahead of a write, not with the store: an idle broker, or a store
    // whose segments are too small to be reserved (tests), does not carry the thread
    if (!this.worker && (seg.allocatedPosition <= writePos || !this.start())) return;
    const s = this.s;
    const { SEQ, FD, SIZE, ALLOC, WRITE, WAKE, SLEEPING, WARMED } = SLOT;
    Atomics.add(s, SEQ, 1);
    Atomics.store(s, FD, seg.fd);
    Atomics.store(s, SIZE, Math.min(seg.fileSize, 0x7fffffff));
    Atomics.store(s, ALLOC, Math.min(seg.allocatedPosition, 0x7fffffff));
    Atomics.store(s, WRITE, Math.min(writePos, 0x7fffffff));
    Atomics.add(s, SEQ, 1);
    Atomics.add(s, WAKE, 1);
    // Wake the thread only when it has a block to read: a wake-up per append (every millisecond at 28k sends/s)
    // would cost a context switch — on a VM, often waking an idle vCPU — for nothing.
    if (Atomics.load(s, SLEEPING) === 1) {
      const warmed = Atomics.load(s, WARMED);
      if (seg.fd !== this.lastFd || writePos > warmed ||
        WarmPlan.due(warmed, Math.min(seg.allocatedPosition, seg.fileSize), writePos, this.distance, this.block)) {
        Atomics.notify(s, WAKE, 1);
      }
    }
    this.lastFd = seg.fd;
  }

  /** Reads done so far. */
  get reads(): number {
    return Atomics.load(this.s, SLOT.READS);
  }

  /** Stops the thread (store shutdown). */
  close(): void {
    this.disabled = true;
    Atomics.store(this.s, SLOT.STOP, 1);
    Atomics.add(this.s, SLOT.WAKE, 1);
    Atomics.notify(this.s, SLOT.WAKE);
    this.worker = null;
  }

  private start(): boolean {
    const data: WarmerData = { shared: this.shared, slots: SLOT, distance: this.distance, block: this.block, chunk: this.chunk, margin: this.margin, plan: WarmPlan.toString() };
    try {
      const w = new Worker(`(${warmLoop.toString()})(require('node:worker_threads').workerData)`, {
        eval: true,
        workerData: data,
        // its heap holds a plan and a 64 KB buffer: about the smallest limits a worker starts with
        resourceLimits: { maxOldGenerationSizeMb: 8, maxYoungGenerationSizeMb: 1, stackSizeMb: 1 },
        stdout: false,
        stderr: false,
      });
      // e.g. out of its memory limit: writes allocate their own pages again, as without it
      w.on('error', () => this.close());
      w.on('exit', () => this.close());
      w.unref();
      this.worker = w;
      return true;
    } catch {
      this.disabled = true;
      return false;
    }
  }
}
