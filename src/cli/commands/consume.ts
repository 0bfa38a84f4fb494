// mqctl consume -t TOPIC [-g GROUP] [--tag EXPR] [--from first|last|TIMESTAMP] [--broadcast] [--max N]
// [--timeout S] [--no-commit]: prints messages as they arrive; ends after N messages, S seconds or Ctrl-C,
// committing offsets (unless --no-commit) and printing the count on stderr.
import { join } from 'node:path';
import type { Command } from 'commander';
import { PushConsumer, parseConsumeTimestamp, type ConsumeFromWhere } from '../../client/index.js';
import type { MessageExt } from '../../common/message.js';
import { MessageConst } from '../../common/message-const.js';
import { validateGroup, validateTopic } from '../../common/topics.js';
import { createLogger } from '../../common/logger.js';
import { globalsOf, mqctlHome, resolveContext } from '../context.js';
import { CliError, ExitCode, colors, printJsonLine } from '../output/index.js';
import { run } from '../run.js';

interface ConsumeFlags {
  topic: string;
  group?: string;
  tag?: string;
  from: string;
  broadcast?: boolean;
  max?: string;
  timeout?: string;
  commit: boolean;
}

const SYSTEM_PROPS = new Set(['MIN_OFFSET', 'MAX_OFFSET', MessageConst.CONSUME_START_TIMESTAMP]);

/** The id users know a message by: UNIQ_KEY when present (as Java's MessageClientExt), else the offset id. */
export function messageJson(m: MessageExt): Record<string, unknown> {
  const props: Record<string, string> = {};
  for (const [k, v] of Object.entries(m.properties)) if (!SYSTEM_PROPS.has(k)) props[k] = v;
  return {
    topic: m.topic,
    queueId: m.queueId,
    queueOffset: m.queueOffset,
    msgId: m.properties[MessageConst.UNIQ_CLIENT_MESSAGE_ID_KEYIDX] ?? m.msgId,
    offsetMsgId: m.msgId,
    keys: m.properties[MessageConst.KEYS] ?? null,
    tags: m.properties[MessageConst.TAGS] ?? null,
    properties: props,
    body: m.body.toString('utf8'),
    bornTimestamp: m.bornTimestamp,
    storeTimestamp: m.storeTimestamp,
    reconsumeTimes: m.reconsumeTimes,
  };
}

function line(m: MessageExt): string {
  const c = colors();
  const j = messageJson(m);
  const meta = [`${m.topic}/${m.queueId}@${m.queueOffset}`, String(j.msgId)];
  if (j.tags) meta.push(`tags=${j.tags}`);
  if (j.keys) meta.push(`keys=${j.keys}`);
  if (m.reconsumeTimes > 0) meta.push(`reconsume=${m.reconsumeTimes}`);
  return `${c.dim(meta.join(' '))} ${j.body}`;
}

function fromWhere(v: string): { where: ConsumeFromWhere; timestamp?: number } {
  if (v === 'first') return { where: 'CONSUME_FROM_FIRST_OFFSET' };
  if (v === 'last') return { where: 'CONSUME_FROM_LAST_OFFSET' };
  try {
    return { where: 'CONSUME_FROM_TIMESTAMP', timestamp: parseConsumeTimestamp(v) };
  } catch {
    throw new CliError(`--from expects first, last, ms, yyyyMMddHHmmss or an ISO date; got '${v}'`, ExitCode.USAGE);
  }
}

export function register(program: Command): void {
  program
    .command('consume')
    .description('consume messages and print them (Ctrl-C to stop)')
    .requiredOption('-t, --topic <topic>', 'topic')
    .option('-g, --group <group>', 'consumer group (default: a new group each run)')
    .option('--tag <expr>', "tag expression, e.g. 'A || B'", '*')
    .option('--from <where>', 'first | last | timestamp (for a group without offsets)', 'last')
    .option('--broadcast', 'broadcasting mode (offsets in a local file)')
    .option('--max <n>', 'stop after N messages')
    .option('--timeout <s>', 'stop after S seconds')
    .option('--no-commit', 'do not commit offsets')
    .action(run(async (f: ConsumeFlags, cmd: Command) => {
      const globals = globalsOf(cmd);
      // `consume --timeout S` is the consume duration in seconds; commander hands any --timeout to the global
      // (request timeout, ms) option, so tell them apart by position: after the subcommand it is ours.
      const raw = ((cmd.parent as unknown as { rawArgs?: string[] } | null)?.rawArgs ?? process.argv);
      const at = raw.indexOf('consume');
      const ours = at >= 0 && raw.slice(at + 1).some((a) => a === '--timeout' || a.startsWith('--timeout='));
      if (ours && f.timeout === undefined) f.timeout = globals.timeout;
      const ctx = resolveContext({ ...globals, timeout: ours ? undefined : globals.timeout });
      const bad = validateTopic(f.topic);
      if (bad) throw new CliError(bad, ExitCode.USAGE);
      const group = f.group ?? `mqctl-consume-${process.pid}-${Date.now().toString(36)}`;
      const badGroup = validateGroup(group);
      if (badGroup) throw new CliError(badGroup, ExitCode.USAGE);
      const max = f.max !== undefined ? Number(f.max) : undefined;
      if (max !== undefined && (!Number.isInteger(max) || max <= 0)) throw new CliError(`--max must be a positive integer, got '${f.max}'`, ExitCode.USAGE);
      const seconds = f.timeout !== undefined ? Number(f.timeout) : undefined;
      if (seconds !== undefined && (!Number.isFinite(seconds) || seconds <= 0)) throw new CliError(`--timeout must be a positive number of seconds, got '${f.timeout}'`, ExitCode.USAGE);
      const from = fromWhere(f.from);

      const consumer = new PushConsumer({
        namesrvAddr: ctx.namesrv,
        group,
        messageModel: f.broadcast ? 'BROADCASTING' : 'CLUSTERING',
        consumeFromWhere: from.where,
        consumeTimestamp: from.timestamp,
        commitOffsets: f.commit,
        // --from means what it says for a new group, even on a young queue
        strictConsumeFromWhere: true,
        localOffsetStoreDir: join(mqctlHome(), 'offsets'),
        consumeConcurrency: 1,
        requestTimeoutMs: ctx.timeoutMs,
        // warnings (a failed offset commit, an unreachable broker) belong on stderr for a person at a terminal
        logger: createLogger('consume', { level: 'warn' }),
      });
      let count = 0;
      let stopping: Promise<void> | undefined;
      let resolveDone!: () => void;
      const done = new Promise<void>((r) => (resolveDone = r));
      const stop = (): Promise<void> => (stopping ??= consumer.shutdown().finally(resolveDone));
      consumer.subscribe(f.topic, f.tag);
      consumer.registerMessageListener((msgs) => {
        for (const m of msgs) {
          if (max !== undefined && count >= max) break;
          count++;
          if (ctx.json) printJsonLine(messageJson(m));
          else process.stdout.write(line(m) + '\n');
        }
        if (max !== undefined && count >= max) void stop();
        return 'CONSUME_SUCCESS';
      });
      try {
        // fail fast (exit 3) when the name server cannot be reached; an unknown topic is waited for
        const route = await consumer.instance.api.getTopicRouteInfo(f.topic, ctx.timeoutMs);
        if (!route) process.stderr.write(`topic ${f.topic} has no route yet: waiting for it\n`);
        await consumer.start();
      } catch (e) {
        await stop();
        throw e;
      }
      const onSignal = (): void => void stop();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      const timer = seconds !== undefined ? setTimeout(onSignal, seconds * 1000) : undefined;
      if (!ctx.json && process.stderr.isTTY) process.stderr.write(colors().dim(`consuming ${f.topic} as ${group} (Ctrl-C to stop)`) + '\n');
      await done;
      if (timer) clearTimeout(timer);
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
      process.stderr.write(`${count} message(s) consumed\n`);
    }));
}
