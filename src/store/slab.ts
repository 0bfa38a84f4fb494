/**
 * Memory the store encodes records into before they are written: records of a round lie back to back in
 * one slab, so the commitlog write takes a view instead of a copy. A slab is refilled from its start only
 * when no round still being written refers to it (rounds written on the thread pool keep theirs busy).
 */
export class Slab {
  pos = 0;
  /** Rounds in flight whose records live here. */
  busy = 0;
  constructor(readonly buf: Buffer) {}
}

const SLAB_SIZE = 4 * 1024 * 1024;
/** Slabs kept for reuse; more are allocated (and dropped) only while that many rounds are in flight. */
const POOL = 4;

export class SlabPool {
  private readonly pool: Slab[] = [];
  current: Slab;

  constructor() {
    this.current = this.fresh(SLAB_SIZE);
  }

  /** A slab with at least `size` bytes free after its pos (the current one is left when it has not). */
  next(size: number): Slab {
    const free = size <= SLAB_SIZE ? this.pool.find((s) => s !== this.current && s.busy === 0) : undefined;
    if (free) {
      free.pos = 0;
      this.current = free;
    } else {
      this.current = this.fresh(Math.max(SLAB_SIZE, size));
    }
    return this.current;
  }

  /** Called when nothing is pending or in flight: start the current slab over. */
  rewind(): void {
    if (this.current.busy === 0) this.current.pos = 0;
  }

  private fresh(size: number): Slab {
    const s = new Slab(Buffer.allocUnsafeSlow(size));
    if (size === SLAB_SIZE && this.pool.length < POOL) this.pool.push(s);
    return s;
  }
}
