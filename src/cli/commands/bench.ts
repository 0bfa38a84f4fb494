// mqctl bench produce|consume|e2e [-t TOPIC] [--size 1024] [--clients 4] [--inflight 32] [--duration 30s] [--rate N]:
// load from N producers/consumers (one client instance each), a live line on a TTY (msg/s, MB/s, p50, p99),
// a final report with a latency histogram (hdr-histogram-js), `--json` with tps, mbps and latency percentiles (ms).
import type { Command } from 'commander';
import * as hdr from 'hdr-histogram-js';
import { Producer, PushConsumer, createMessage } from '../../client/index.js';
import type { MessageExt } from '../../common/message.js';
import { validateTopic } from '../../common/topics.js';
import { globalsOf, resolveContext } from '../context.js';
import { CliError, ExitCode, printJsonLine, printTable } from '../output/index.js';
import { run } from '../run.js';

type Kind = 'produce' | 'consume' | 'e2e';

interface BenchFlags {
  topic: string;
  size: string;
  clients: string;
  inflight: string;
  duration: string;
  rate?: string;
  group?: string;
}

interface Settings {
  kind: Kind;
  topic: string;
  size: number;
  clients: number;
  inflight: number;
  durationMs: number;
  rate?: number;
  group: string;
  namesrv: string;
  json: boolean;
  timeoutMs: number;
}

/** "30s", "2m", "500ms", "1h" or plain seconds. */
export function parseDuration(v: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(v.trim());
  if (!m) throw new CliError(`--duration expects e.g. 30s, 2m, 500ms; got '${v}'`, ExitCode.USAGE);
  const n = Number(m[1]);
  const unit = m[2] ?? 's';
  return Math.round(n * (unit === 'ms' ? 1 : unit === 's' ? 1000 : unit === 'm' ? 60_000 : 3_600_000));
}

function intFlag(v: string, name: string, min: number): number {
  if (!/^\d+$/.test(v) || Number(v) < min) throw new CliError(`${name} must be an integer >= ${min}, got '${v}'`, ExitCode.USAGE);
  return Number(v);
}

const newHistogram = (): hdr.Histogram =>
  hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: 3 });

const now = (): number => performance.now();

/** Latencies in microseconds: the whole run, and the current second for the live line. */
class Meter {
  readonly total = newHistogram();
  private second = newHistogram();
  count = 0;
  bytes = 0;
  errors = 0;
  private lastCount = 0;
  private lastBytes = 0;
  private lastAt = now();

  record(latencyMs: number, bytes: number): void {
    const us = Math.max(1, Math.round(latencyMs * 1000));
    this.total.recordValue(us);
    this.second.recordValue(us);
    this.count++;
    this.bytes += bytes;
  }

  /** msg/s, MB/s, p50, p99 since the previous call. */
  tick(): string {
    const t = now();
    const secs = Math.max(0.001, (t - this.lastAt) / 1000);
    const tps = (this.count - this.lastCount) / secs;
    const mbps = (this.bytes - this.lastBytes) / secs / (1024 * 1024);
    const p50 = this.second.totalCount ? this.second.getValueAtPercentile(50) / 1000 : 0;
    const p99 = this.second.totalCount ? this.second.getValueAtPercentile(99) / 1000 : 0;
    this.lastAt = t;
    this.lastCount = this.count;
    this.lastBytes = this.bytes;
    this.second.reset();
    return `${Math.round(tps).toLocaleString('en-US')} msg/s  ${mbps.toFixed(2)} MB/s  p50 ${p50.toFixed(2)} ms  p99 ${p99.toFixed(2)} ms` +
      (this.errors ? `  errors ${this.errors}` : '');
  }

  latency(): Record<string, number> {
    const h = this.total;
    // hdr reports a bucket's highest equivalent value: never above the true maximum
    const at = (p: number): number => (h.totalCount ? Math.min(h.getValueAtPercentile(p), h.maxValue) / 1000 : 0);
    return { p50: at(50), p90: at(90), p99: at(99), p999: at(99.9), max: h.totalCount ? h.maxValue / 1000 : 0, mean: h.totalCount ? h.mean / 1000 : 0 };
  }
}

/** Shared pacing for --rate: the n-th send may start at start + n/rate seconds. */
class Pacer {
  private issued = 0;
  private readonly start = now();
  constructor(private readonly rate?: number) {}
  async acquire(): Promise<void> {
    if (!this.rate) return;
    const at = this.start + (this.issued++ * 1000) / this.rate;
    const wait = at - now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
  }
}

function liveLine(meter: Meter, label: string): () => void {
  if (!process.stderr.isTTY) return () => undefined;
  const t = setInterval(() => process.stderr.write(`\r\x1b[2K${label} ${meter.tick()}`), 1000);
  return () => {
    clearInterval(t);
    process.stderr.write('\r\x1b[2K');
  };
}

function body(size: number, stamp: boolean): Buffer {
  const b = Buffer.alloc(Math.max(size, stamp ? 8 : 1), 0x61);
  if (stamp) b.writeDoubleBE(now() + performance.timeOrigin, 0);
  return b;
}

async function produceLoad(s: Settings, meter: Meter, stamp: boolean, until: () => boolean): Promise<Producer[]> {
  const producers: Producer[] = [];
  for (let i = 0; i < s.clients; i++) {
    const p = new Producer({ namesrvAddr: s.namesrv, group: `${s.group}-P`, sendMsgTimeoutMs: s.timeoutMs });
    await p.start();
    producers.push(p);
  }
  const pacer = new Pacer(s.rate);
  const workers: Promise<void>[] = [];
  for (const p of producers) {
    for (let j = 0; j < s.inflight; j++) {
      workers.push((async () => {
        while (!until()) {
          await pacer.acquire();
          if (until()) break;
          const t0 = now();
          try {
            await p.sendAsync(createMessage({ topic: s.topic, body: body(s.size, stamp) }));
            meter.record(now() - t0, s.size);
          } catch {
            meter.errors++;
          }
        }
      })());
    }
  }
  await Promise.all(workers);
  return producers;
}

async function startConsumers(s: Settings, meter: Meter, stamped: boolean): Promise<PushConsumer[]> {
  const consumers: PushConsumer[] = [];
  for (let i = 0; i < s.clients; i++) {
    const c = new PushConsumer({
      namesrvAddr: s.namesrv, group: s.group, consumeFromWhere: 'CONSUME_FROM_LAST_OFFSET',
      consumeConcurrency: 64, consumeMessageBatchMaxSize: 32, pullBatchSize: 32,
    });
    c.subscribe(s.topic, '*');
    c.registerMessageListener((msgs: MessageExt[]) => {
      const t = now() + performance.timeOrigin;
      for (const m of msgs) {
        const sent = stamped && m.body.length >= 8 ? m.body.readDoubleBE(0) : m.bornTimestamp;
        meter.record(Math.max(0, t - sent), m.body.length);
      }
      return 'CONSUME_SUCCESS';
    });
    await c.start();
    consumers.push(c);
  }
  return consumers;
}

function report(s: Settings, meter: Meter, elapsedMs: number, extra: Record<string, unknown> = {}): void {
  const secs = elapsedMs / 1000;
  const tps = meter.count / secs;
  const mbps = meter.bytes / secs / (1024 * 1024);
  const latency = meter.latency();
  if (s.json) {
    printJsonLine({
      mode: s.kind, topic: s.topic, size: s.size, clients: s.clients, inflight: s.inflight, durationSec: secs,
      rate: s.rate ?? null, messages: meter.count, errors: meter.errors, tps, mbps, latency, ...extra,
    });
    return;
  }
  const what = s.kind === 'produce' ? 'send latency (send -> broker answer)' : s.kind === 'e2e' ? 'end-to-end latency (send -> listener)' : 'delivery latency (born -> listener)';
  process.stdout.write(`${s.kind}: ${meter.count.toLocaleString('en-US')} messages in ${secs.toFixed(1)} s, ${Math.round(tps).toLocaleString('en-US')} msg/s, ${mbps.toFixed(2)} MB/s` +
    `${meter.errors ? `, ${meter.errors} errors` : ''}${Object.entries(extra).map(([k, v]) => `, ${k} ${typeof v === 'number' ? Math.round(v).toLocaleString('en-US') : v}`).join('')}\n`);
  process.stdout.write(`${what}, ms:\n`);
  const h = meter.total;
  const rows: Array<[string, number]> = [['p50', 50], ['p75', 75], ['p90', 90], ['p95', 95], ['p99', 99], ['p99.9', 99.9], ['p99.99', 99.99], ['max', 100]];
  const maxCount = h.totalCount || 1;
  printTable(['Percentile', 'Latency (ms)', 'Count at or below', ''], rows.map(([name, p]) => {
    const v = h.totalCount ? (p === 100 ? h.maxValue : Math.min(h.getValueAtPercentile(p), h.maxValue)) : 0;
    const below = Math.round((h.totalCount * p) / 100);
    return [name, (v / 1000).toFixed(3), below.toLocaleString('en-US'), '#'.repeat(Math.max(1, Math.round((below / maxCount) * 40)))];
  }));
}

async function runBench(s: Settings): Promise<void> {
  const meter = new Meter();
  const deadline = { at: Infinity };
  const until = (): boolean => now() >= deadline.at;
  if (s.kind === 'produce') {
    const stopLive = liveLine(meter, 'produce');
    const t0 = now();
    deadline.at = t0 + s.durationMs;
    const producers = await produceLoad(s, meter, false, until);
    const elapsed = now() - t0;
    stopLive();
    await Promise.all(producers.map((p) => p.shutdown()));
    report(s, meter, elapsed);
    return;
  }
  if (s.kind === 'consume') {
    const consumers = await startConsumers(s, meter, false);
    const stopLive = liveLine(meter, 'consume');
    const t0 = now();
    await new Promise((r) => setTimeout(r, s.durationMs));
    const elapsed = now() - t0;
    stopLive();
    await Promise.all(consumers.map((c) => c.shutdown()));
    report(s, meter, elapsed);
    return;
  }
  // e2e: make sure the topic exists, let the consumers take their queues, then produce and measure delivery
  const warm = new Producer({ namesrvAddr: s.namesrv, group: `${s.group}-W`, sendMsgTimeoutMs: s.timeoutMs });
  await warm.start();
  let queues = 1;
  try {
    await warm.send(createMessage({ topic: s.topic, body: 'warm-up' }));
    queues = (await warm.fetchPublishMessageQueues(s.topic)).length;
  } finally {
    await warm.shutdown();
  }
  const sendMeter = new Meter();
  const consumers = await startConsumers(s, meter, true);
  const settle = now() + 5000;
  while (now() < settle) {
    const owned = consumers.reduce((n, c) => n + c.assignedQueues().filter((q) => q.topic === s.topic).length, 0);
    if (owned >= queues) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  await new Promise((r) => setTimeout(r, 300));
  meter.count = 0;
  meter.bytes = 0;
  meter.total.reset();
  const stopLive = liveLine(meter, 'e2e');
  const t0 = now();
  deadline.at = t0 + s.durationMs;
  const producers = await produceLoad(s, sendMeter, true, until);
  const drainUntil = now() + 10_000;
  while (meter.count < sendMeter.count && now() < drainUntil) await new Promise((r) => setTimeout(r, 50));
  const elapsed = now() - t0;
  stopLive();
  await Promise.all(producers.map((p) => p.shutdown()));
  await Promise.all(consumers.map((c) => c.shutdown()));
  report(s, meter, elapsed, { sent: sendMeter.count, produceTps: sendMeter.count / (s.durationMs / 1000) });
}

export function register(program: Command): void {
  const bench = program.command('bench').description('load benchmarks: produce, consume, e2e');
  for (const kind of ['produce', 'consume', 'e2e'] as Kind[]) {
    bench
      .command(kind)
      .description(kind === 'produce' ? 'send as fast as possible (or at --rate) and measure send latency'
        : kind === 'consume' ? 'consume a topic and measure delivery rate and latency'
          : 'produce and consume together and measure end-to-end latency')
      .option('-t, --topic <topic>', 'topic', 'mqctl-bench')
      .option('--size <bytes>', 'message body size', '1024')
      .option('--clients <n>', 'producers / consumers (one client instance each)', '4')
      .option('--inflight <n>', 'sends in flight per producer', '32')
      .option('--duration <d>', 'how long: 30s, 2m, 500ms', '30s')
      .option('--rate <n>', 'total messages per second (default: as fast as possible)')
      .option('-g, --group <group>', 'consumer group (default: a new one)')
      .action(run(async (f: BenchFlags, cmd: Command) => {
        const ctx = resolveContext(globalsOf(cmd));
        const bad = validateTopic(f.topic);
        if (bad) throw new CliError(bad, ExitCode.USAGE);
        const s: Settings = {
          kind,
          topic: f.topic,
          size: intFlag(f.size, '--size', 1),
          clients: intFlag(f.clients, '--clients', 1),
          inflight: intFlag(f.inflight, '--inflight', 1),
          durationMs: parseDuration(f.duration),
          rate: f.rate !== undefined ? intFlag(f.rate, '--rate', 1) : undefined,
          group: f.group ?? `mqctl-bench-${process.pid}-${Date.now().toString(36)}`,
          namesrv: ctx.namesrv,
          json: ctx.json,
          timeoutMs: ctx.timeoutMs,
        };
        await runBench(s);
      }));
  }
}
