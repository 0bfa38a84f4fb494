// Per-topic consumption counters reported in GET_CONSUMER_RUNNING_INFO's statusTable.
import type { ConsumeStatus } from '../../protocol/client.js';

interface Counters {
  pulls: number;
  pullRtTotal: number;
  consumed: number;
  consumeRtTotal: number;
  ok: number;
  failed: number;
}

export class ConsumerStats {
  private readonly byTopic = new Map<string, Counters>();
  private readonly since = Date.now();

  private of(topic: string): Counters {
    let c = this.byTopic.get(topic);
    if (!c) {
      c = { pulls: 0, pullRtTotal: 0, consumed: 0, consumeRtTotal: 0, ok: 0, failed: 0 };
      this.byTopic.set(topic, c);
    }
    return c;
  }

  pulled(topic: string, rtMs: number): void {
    const c = this.of(topic);
    c.pulls++;
    c.pullRtTotal += rtMs;
  }

  consumedBatch(topic: string, rtMs: number, ok: number, failed: number): void {
    const c = this.of(topic);
    c.consumed++;
    c.consumeRtTotal += rtMs;
    c.ok += ok;
    c.failed += failed;
  }

  table(): Record<string, ConsumeStatus> {
    const secs = Math.max(1, (Date.now() - this.since) / 1000);
    const out: Record<string, ConsumeStatus> = {};
    for (const [t, c] of this.byTopic) {
      out[t] = {
        pullRT: c.pulls ? c.pullRtTotal / c.pulls : 0,
        pullTPS: c.pulls / secs,
        consumeRT: c.consumed ? c.consumeRtTotal / c.consumed : 0,
        consumeOKTPS: c.ok / secs,
        consumeFailedTPS: c.failed / secs,
        consumeFailedMsgs: c.failed,
      };
    }
    return out;
  }
}
