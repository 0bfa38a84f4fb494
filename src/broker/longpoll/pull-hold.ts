/**
 * Long polling (semantics.md §9, Apache PullRequestHoldService): a pull that found nothing is held under
 * "topic@queueId" until a matching message is dispatched to that queue, its suspend time runs out, a periodic
 * scan sees the queue moved past it, its connection closes, or the broker shuts down. The processor awaits
 * `hold()` and then runs the pull again without suspension.
 */
import type { Logger } from '../../common/logger.js';

/** Why a held pull was released. */
export type WakeReason = 'arrived' | 'timeout' | 'scan' | 'closed' | 'shutdown';

export interface HoldRequest {
  topic: string;
  queueId: number;
  /** Offset the pull asked for; a new max offset above it may answer it. */
  offset: number;
  timeoutMs: number;
  /** Whether a newly arrived unit can satisfy this pull (tag hash / property filter). */
  matches(tagsCode: number | bigint, properties: Record<string, string>): boolean;
  /** Resolves early (reason 'closed') when this fires, e.g. the channel closing. */
  onClose?(cb: () => void): () => void;
}

interface Held {
  req: HoldRequest;
  deadline: number;
  done(reason: WakeReason): void;
}

const MAX_HOLD_MS = 2147483647;

export class PullHoldService {
  private readonly table = new Map<string, Set<Held>>();
  private scanTimer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly maxOffset: (topic: string, queueId: number) => number,
    private readonly logger: Logger,
    private readonly scanIntervalMs = 5000,
  ) {}

  start(): void {
    this.scanTimer = setInterval(() => this.scan(), Math.min(this.scanIntervalMs, 1000));
    this.scanTimer.unref();
  }

  /** Number of pulls currently held. */
  size(): number {
    let n = 0;
    for (const s of this.table.values()) n += s.size;
    return n;
  }

  hold(req: HoldRequest): Promise<WakeReason> {
    if (this.stopped) return Promise.resolve('shutdown');
    const key = `${req.topic}@${req.queueId}`;
    return new Promise<WakeReason>((resolve) => {
      let set = this.table.get(key);
      if (!set) {
        set = new Set();
        this.table.set(key, set);
      }
      let finished = false;
      let unsubscribe: (() => void) | undefined;
      // a client may ask for any hold time; Node timers cap at 2^31-1 ms (~24.8 days)
      const timeoutMs = Math.min(Math.max(0, req.timeoutMs), MAX_HOLD_MS);
      const timer = setTimeout(() => held.done('timeout'), timeoutMs);
      const held: Held = {
        req,
        deadline: Date.now() + timeoutMs,
        done: (reason) => {
          if (finished) return;
          finished = true;
          clearTimeout(timer);
          unsubscribe?.();
          const s = this.table.get(key);
          if (s) {
            s.delete(held);
            if (s.size === 0) this.table.delete(key);
          }
          resolve(reason);
        },
      };
      set.add(held);
      unsubscribe = req.onClose?.(() => held.done('closed'));
    });
  }

  /** A message was dispatched: wake held pulls on its queue that it can answer. */
  notifyMessageArriving(topic: string, queueId: number, maxOffset: number, tagsCode?: number | bigint, properties?: Record<string, string>): void {
    if (this.table.size === 0) return; // nothing held (a send-only load): no key string per message
    const set = this.table.get(`${topic}@${queueId}`);
    if (!set) return;
    for (const h of [...set]) {
      if (maxOffset <= h.req.offset) continue;
      let match = true;
      if (tagsCode !== undefined) {
        try {
          match = h.req.matches(tagsCode, properties ?? {});
        } catch (e) {
          this.logger.warn(`long-poll filter failed: ${(e as Error).message}`);
        }
      }
      if (match) h.done('arrived');
    }
  }

  /** Periodic check against the current max offsets (catches anything a notification missed). */
  private scan(): void {
    const now = Date.now();
    for (const [key, set] of [...this.table]) {
      const at = key.lastIndexOf('@');
      const topic = key.slice(0, at);
      const queueId = Number(key.slice(at + 1));
      let max: number;
      try {
        max = this.maxOffset(topic, queueId);
      } catch {
        continue;
      }
      for (const h of [...set]) {
        if (max > h.req.offset) h.done('scan');
        else if (now >= h.deadline) h.done('timeout');
      }
    }
  }

  /** Release every held pull (shutdown). */
  shutdown(): void {
    this.stopped = true;
    if (this.scanTimer) clearInterval(this.scanTimer);
    for (const set of [...this.table.values()]) for (const h of [...set]) h.done('shutdown');
  }
}
