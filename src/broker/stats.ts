/**
 * Broker counters for runtime info and consume stats: totals, per-topic puts, per group@topic gets, and TPS
 * over sliding windows (10 s, 60 s, 600 s) from one-second samples of the counters.
 */

export interface StatSample {
  t: number;
  put: number;
  getFound: number;
  getTransferred: number;
  getMiss: number;
  getTotal: number;
}

interface KeyedCounter {
  total: number;
  bytes: number;
  /** Value of `total` at each of the last samples (one per second, up to 61). */
  ring: number[];
}

const RING = 601;

function newCounter(): KeyedCounter {
  return { total: 0, bytes: 0, ring: [] };
}

function rate(ring: number[], current: number, seconds: number): number {
  if (ring.length === 0) return 0;
  const back = Math.min(seconds, ring.length);
  const past = ring[ring.length - back];
  return (current - past) / back;
}

export class BrokerStats {
  putTotal = 0;
  putBytesTotal = 0;
  putTimesTotal = 0;
  getFoundTotal = 0;
  getTransferredTotal = 0;
  getMissTotal = 0;
  getTotal = 0;
  /** Put latency histogram in ms buckets [0,1), [1,5), [5,10), [10,50), [50,100), [100,500), [500,∞). */
  readonly putLatencyBuckets = [0, 0, 0, 0, 0, 0, 0];
  readonly putLatencyBounds = [1, 5, 10, 50, 100, 500];
  /** Last 10,000 put latencies (ring). */
  private readonly latencies = new Float64Array(10000);
  private latencyCount = 0;

  private readonly topicPuts = new Map<string, KeyedCounter>();
  private readonly groupGets = new Map<string, KeyedCounter>();
  private readonly samples: StatSample[] = [];
  private timer?: NodeJS.Timeout;

  /** Totals at local midnight (today) and at the midnight before (yesterday). */
  putTotalTodayMorning = 0;
  putTotalYesterdayMorning = 0;
  getTotalTodayMorning = 0;
  getTotalYesterdayMorning = 0;
  private day = new Date().getDate();

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.sample(), 1000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  incPut(topic: string, msgs: number, bytes: number, latencyMs: number): void {
    this.putTotal += msgs;
    this.putBytesTotal += bytes;
    this.putTimesTotal++;
    let c = this.topicPuts.get(topic);
    if (!c) this.topicPuts.set(topic, (c = newCounter()));
    c.total += msgs;
    c.bytes += bytes;
    let i = 0;
    while (i < this.putLatencyBounds.length && latencyMs >= this.putLatencyBounds[i]) i++;
    this.putLatencyBuckets[i]++;
    this.latencies[this.latencyCount++ % this.latencies.length] = latencyMs;
  }

  incGet(group: string, topic: string, found: number, bytes: number): void {
    this.getTotal++;
    if (found > 0) {
      this.getFoundTotal += found;
      this.getTransferredTotal += found;
      const key = `${topic}@${group}`;
      let c = this.groupGets.get(key);
      if (!c) this.groupGets.set(key, (c = newCounter()));
      c.total += found;
      c.bytes += bytes;
    } else {
      this.getMissTotal++;
    }
  }

  private sample(): void {
    const now = Date.now();
    const d = new Date(now).getDate();
    if (d !== this.day) {
      this.day = d;
      this.putTotalYesterdayMorning = this.putTotalTodayMorning;
      this.putTotalTodayMorning = this.putTotal;
      this.getTotalYesterdayMorning = this.getTotalTodayMorning;
      this.getTotalTodayMorning = this.getFoundTotal;
    }
    this.samples.push({ t: now, put: this.putTotal, getFound: this.getFoundTotal, getTransferred: this.getTransferredTotal, getMiss: this.getMissTotal, getTotal: this.getTotal });
    if (this.samples.length > RING) this.samples.shift();
    for (const c of this.topicPuts.values()) {
      c.ring.push(c.total);
      if (c.ring.length > 61) c.ring.shift();
    }
    for (const c of this.groupGets.values()) {
      c.ring.push(c.total);
      if (c.ring.length > 61) c.ring.shift();
    }
  }

  private windowRate(pick: (s: StatSample) => number, current: number, seconds: number): number {
    if (this.samples.length === 0) return 0;
    const back = Math.min(seconds, this.samples.length);
    return (current - pick(this.samples[this.samples.length - back])) / back;
  }

  /** "x y z": TPS over 10 s, 60 s, 600 s (the format of runtime info's putTps etc.). */
  tpsTriple(kind: 'put' | 'getFound' | 'getTransferred' | 'getMiss' | 'getTotal'): string {
    const current = { put: this.putTotal, getFound: this.getFoundTotal, getTransferred: this.getTransferredTotal, getMiss: this.getMissTotal, getTotal: this.getTotal }[kind];
    return [10, 60, 600].map((s) => this.windowRate((x) => x[kind], current, s).toFixed(2)).join(' ');
  }

  putTps(seconds = 10): number {
    return this.windowRate((s) => s.put, this.putTotal, seconds);
  }

  topicPutTps(topic: string, seconds = 10): number {
    const c = this.topicPuts.get(topic);
    return c ? rate(c.ring, c.total, seconds) : 0;
  }

  topicPutTotal(topic: string): number {
    return this.topicPuts.get(topic)?.total ?? 0;
  }

  groupGetTps(group: string, topic: string, seconds = 10): number {
    const c = this.groupGets.get(`${topic}@${group}`);
    return c ? rate(c.ring, c.total, seconds) : 0;
  }

  groupGetTotal(group: string, topic: string): number {
    return this.groupGets.get(`${topic}@${group}`)?.total ?? 0;
  }

  /** Put latency percentile (ms) over the last 10,000 puts. */
  putLatencyPercentile(p: number): number {
    const n = Math.min(this.latencyCount, this.latencies.length);
    if (n === 0) return 0;
    const sorted = this.latencies.slice(0, n).sort();
    return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
  }

  /** putMessageDistributeTime text: put counts per latency range. */
  putDistributeText(): string {
    const labels = ['[0~1ms]', '[1~5ms]', '[5~10ms]', '[10~50ms]', '[50~100ms]', '[100~500ms]', '[500ms~]'];
    return labels.map((l, i) => `${l}:${this.putLatencyBuckets[i] ?? 0}`).join(' ');
  }
}
