// mqctl send -t TOPIC [-k KEYS] [--tag TAG] [-p key=value]... [--delay LEVEL | --deliver-at T | --delay-ms N]
// [--transaction commit|rollback|unknown] [--body TEXT | --file F | stdin,
// one message a line] [--async | --oneway] [--count N]: prints msgId, broker, queue and offset of each message.
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { Producer, createMessage, type SendResult } from '../../client/index.js';
import { parseTransactionOutcome, sendWithTransactionOutcome } from '../../client/producer/transaction-outcome.js';
import type { Message } from '../../common/message.js';
import { validateTopic } from '../../common/topics.js';
import { globalsOf, resolveContext } from '../context.js';
import { CliError, ExitCode, printJsonLine, printTable } from '../output/index.js';
import { run } from '../run.js';

interface SendFlags {
  topic: string;
  keys?: string;
  tag?: string;
  property: string[];
  delay?: string;
  deliverAt?: string;
  delayMs?: string;
  transaction?: string;
  body?: string;
  file?: string;
  async?: boolean;
  oneway?: boolean;
  count: string;
  group?: string;
}

function collect(v: string, prev: string[]): string[] {
  return [...prev, v];
}

function parseProperties(list: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of list) {
    const i = p.indexOf('=');
    if (i <= 0) throw new CliError(`-p expects key=value, got '${p}'`, ExitCode.USAGE);
    out[p.slice(0, i)] = p.slice(i + 1);
  }
  return out;
}

function positiveInt(v: string, name: string, min = 1): number {
  if (!/^\d+$/.test(v) || Number(v) < min) throw new CliError(`${name} must be an integer >= ${min}, got '${v}'`, ExitCode.USAGE);
  return Number(v);
}

async function* stdinLines(): AsyncGenerator<string> {
  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of rl) if (line.length > 0) yield line;
}

async function* bodies(f: SendFlags): AsyncGenerator<Buffer> {
  if (f.body !== undefined) yield Buffer.from(f.body, 'utf8');
  else if (f.file !== undefined) {
    try {
      yield readFileSync(f.file);
    } catch (e) {
      throw new CliError(`cannot read ${f.file}: ${(e as Error).message}`, ExitCode.USAGE);
    }
  } else {
    if (process.stdin.isTTY) process.stderr.write('reading messages from stdin, one a line (Ctrl-D to end)\n');
    for await (const line of stdinLines()) yield Buffer.from(line, 'utf8');
  }
}

interface Row {
  status: string;
  msgId: string;
  offsetMsgId: string;
  topic: string;
  brokerName: string;
  brokerAddr: string;
  queueId: number;
  queueOffset: number;
}

function toRow(r: SendResult, status?: string): Row {
  return {
    status: status ?? r.sendStatus,
    msgId: r.msgId,
    offsetMsgId: r.offsetMsgId,
    topic: r.messageQueue.topic,
    brokerName: r.messageQueue.brokerName,
    brokerAddr: r.brokerAddr,
    queueId: r.messageQueue.queueId,
    queueOffset: r.queueOffset,
  };
}

export function register(program: Command): void {
  program
    .command('send')
    .description('send messages: --body, --file, or one message per stdin line')
    .requiredOption('-t, --topic <topic>', 'topic')
    .option('-k, --keys <keys>', 'message keys (space separated)')
    .option('--tag <tag>', 'message tag')
    .option('-p, --property <key=value>', 'user property (repeatable)', collect, [])
    .option('--delay <level>', 'delay level 1..18')
    .option('--deliver-at <time>', 'deliver at this time (5.x timer, TIMER_DELIVER_MS): ISO-8601 or epoch ms')
    .option('--delay-ms <ms>', 'deliver after this many ms (5.x timer, TIMER_DELAY_MS)')
    .option('--transaction <outcome>', 'send as a transaction ending commit, rollback or unknown (unknown: committed at the broker check-back; waits for it)')
    .option('--body <text>', 'message body')
    .option('--file <path>', 'message body from a file')
    .option('--async', 'send asynchronously (all in flight at once, up to 64)')
    .option('--oneway', 'send oneway (no answer: no offset)')
    .option('--count <n>', 'send each message N times', '1')
    .option('-g, --group <group>', 'producer group', 'MQCTL_PRODUCER')
    .action(run(async (f: SendFlags, cmd: Command) => {
      const ctx = resolveContext(globalsOf(cmd));
      const bad = validateTopic(f.topic);
      if (bad) throw new CliError(bad, ExitCode.USAGE);
      if (f.body !== undefined && f.file !== undefined) throw new CliError('--body and --file are exclusive', ExitCode.USAGE);
      if (f.async && f.oneway) throw new CliError('--async and --oneway are exclusive', ExitCode.USAGE);
      const count = positiveInt(f.count, '--count');
      const delayLevel = f.delay !== undefined ? positiveInt(f.delay, '--delay') : undefined;
      if (delayLevel !== undefined && delayLevel > 18) throw new CliError('--delay must be 1..18', ExitCode.USAGE);
      if ([f.delay, f.deliverAt, f.delayMs].filter((x) => x !== undefined).length > 1) {
        throw new CliError('--delay, --deliver-at and --delay-ms are exclusive', ExitCode.USAGE);
      }
      const timer: Record<string, string> = {};
      if (f.delayMs !== undefined) timer.TIMER_DELAY_MS = String(positiveInt(f.delayMs, '--delay-ms'));
      if (f.deliverAt !== undefined) {
        const at = /^\d+$/.test(f.deliverAt) ? Number(f.deliverAt) : Date.parse(f.deliverAt);
        if (!Number.isFinite(at)) throw new CliError(`--deliver-at: cannot read '${f.deliverAt}' as a time`, ExitCode.USAGE);
        timer.TIMER_DELIVER_MS = String(at);
      }
      let outcome: ReturnType<typeof parseTransactionOutcome> | undefined;
      try {
        outcome = f.transaction !== undefined ? parseTransactionOutcome(f.transaction) : undefined;
      } catch (e) {
        throw new CliError((e as Error).message, ExitCode.USAGE);
      }
      if (outcome && (f.async || f.oneway)) throw new CliError('--transaction sends synchronously: drop --async/--oneway', ExitCode.USAGE);
      let properties: Record<string, string>;
      try {
        properties = parseProperties(f.property);
        createMessage({ topic: f.topic, body: 'x', properties });
      } catch (e) {
        throw new CliError((e as Error).message, ExitCode.USAGE);
      }
      const rows: Row[] = [];
      const emitRow = (row: Row): void => {
        if (ctx.json) printJsonLine(row);
        else rows.push(row);
      };
      const build = (body: Buffer): Message => {
        const m = createMessage({ topic: f.topic, body, tags: f.tag, keys: f.keys, delayLevel, properties });
        Object.assign(m.properties, timer);
        return m;
      };
      if (outcome) {
        const msgs: Message[] = [];
        for await (const body of bodies(f)) for (let i = 0; i < count; i++) msgs.push(build(body));
        const opts = { namesrvAddr: ctx.namesrv, group: f.group, sendMsgTimeoutMs: ctx.timeoutMs, requestTimeoutMs: ctx.timeoutMs };
        for (const r of await sendWithTransactionOutcome(opts, msgs, outcome)) {
          emitRow(toRow(r, `${r.localTransactionState}${r.checkedBack === undefined ? '' : r.checkedBack ? ' (checked back: commit)' : ' (no check-back yet)'}`));
        }
        if (!ctx.json) printTable(['#', 'Status', 'MsgId', 'Broker', 'Queue', 'Offset'], rows.map((r, i) => [i + 1, r.status, r.msgId, `${r.brokerName} (${r.brokerAddr})`, r.queueId, r.queueOffset]));
        return;
      }
      const producer = new Producer({ namesrvAddr: ctx.namesrv, group: f.group, sendMsgTimeoutMs: ctx.timeoutMs, requestTimeoutMs: ctx.timeoutMs });
      await producer.start();
      const inflight = new Set<Promise<void>>();
      let failures = 0;
      let firstError: unknown;
      try {
        for await (const body of bodies(f)) {
          for (let i = 0; i < count; i++) {
            const msg: Message = build(body);
            if (f.oneway) {
              const info = await producer.findPublishInfo(f.topic);
              const mq = info.selectOneMessageQueue();
              await producer.sendToQueue(msg, mq, ctx.timeoutMs, 'oneway').then((r) => emitRow(toRow(r, 'SENT_ONEWAY')));
            } else if (f.async) {
              const p = producer.sendAsync(msg).then((r) => emitRow(toRow(r)), (e) => {
                failures++;
                firstError ??= e;
                process.stderr.write(`send failed: ${(e as Error).message}\n`);
              });
              inflight.add(p);
              void p.finally(() => inflight.delete(p));
              if (inflight.size >= 64) await Promise.race(inflight);
            } else {
              emitRow(toRow(await producer.send(msg)));
            }
          }
        }
        await Promise.all(inflight);
      } finally {
        await producer.shutdown();
      }
      if (!ctx.json && rows.length > 0) {
        printTable(['#', 'Status', 'MsgId', 'Broker', 'Queue', 'Offset'],
          rows.map((r, i) => [i + 1, r.status, r.msgId, `${r.brokerName} (${r.brokerAddr})`, r.queueId, r.queueOffset < 0 ? '' : r.queueOffset]));
      }
      if (failures > 0) throw firstError instanceof Error ? firstError : new CliError(`${failures} message(s) failed`);
    }));
}
