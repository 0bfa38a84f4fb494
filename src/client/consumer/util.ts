// Small async helpers for the consumers: cancellable delays (so close() ends sleeps at once) and a
// concurrency limiter standing in for Java's consume thread pool.

/** Resolves after `ms`, or at once when the signal aborts; never rejects. */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

export class Limiter {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  private readonly tracked = new Set<Promise<void>>();

  constructor(private readonly max: number) {}

  /** Runs fn when a slot is free; errors are handed to onError. */
  run(fn: () => Promise<void>, onError: (e: unknown) => void): void {
    const p = (async () => {
      // start on a later tick: `p` must be tracked before fn runs (fn may wait for idle() itself)
      await null;
      if (this.active >= this.max) await new Promise<void>((r) => this.waiting.push(r));
      this.active++;
      try {
        await fn();
      } catch (e) {
        onError(e);
      } finally {
        this.active--;
        this.waiting.shift()?.();
      }
    })();
    this.tracked.add(p);
    void p.finally(() => this.tracked.delete(p));
  }

  get busy(): number {
    return this.tracked.size;
  }

  /** Waits until every task started so far has finished, or `ms` passed. */
  async idle(ms: number): Promise<boolean> {
    const deadline = Date.now() + ms;
    while (this.tracked.size > 0) {
      const left = deadline - Date.now();
      if (left <= 0) return false;
      let t: NodeJS.Timeout | undefined;
      await Promise.race([Promise.allSettled([...this.tracked]), new Promise((r) => (t = setTimeout(r, left)))]);
      if (t) clearTimeout(t);
    }
    return true;
  }
}
