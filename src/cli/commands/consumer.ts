// mqctl consumer progress|connection|status
import type { Command } from 'commander';
import type { MQAdmin, ConsumerProgress } from '../../client/admin/index.js';
import { NotFoundError } from '../../client/admin/index.js';
import { RETRY_GROUP_TOPIC_PREFIX } from '../../common/topics.js';
import { withAdmin } from '../context.js';
import { run } from '../run.js';
import { CliError, ExitCode, emit, humanTime, parseIntFlag, printJsonLine, printTable, stopActivity, versionDesc } from '../output/index.js';
import { checkGroup } from './group.js';

/** JSON-safe copy of a fastjson body: Maps with MessageQueue keys become "topic@broker@queueId" keys. */
export function plain(v: unknown): unknown {
  if (v instanceof Map) {
    const o: Record<string, unknown> = {};
    for (const [k, val] of v) {
      const key =
        k && typeof k === 'object' && 'topic' in k ? `${String((k as Record<string, unknown>).topic)}@${String((k as Record<string, unknown>).brokerName)}@${String((k as Record<string, unknown>).queueId)}` : typeof k === 'string' ? k : JSON.stringify(k);
      o[key] = plain(val);
    }
    return o;
  }
  if (Array.isArray(v)) return v.map(plain);
  if (typeof v === 'bigint') return Number(v);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

function printProgress(p: ConsumerProgress): void {
  printTable(
    ['Topic', 'Broker', 'Queue', 'Broker Offset', 'Consumer Offset', 'Lag', 'Inflight', 'Last Time'],
    p.queues.map((q) => [q.topic, q.brokerName, q.queueId, q.brokerOffset, q.consumerOffset, q.lag, q.inflight, humanTime(q.lastTimestamp)]),
  );
  process.stdout.write(`Consume TPS: ${p.consumeTps.toFixed(2)}  Total lag: ${p.totalLag}  Inflight: ${p.totalInflight}\n`);
}

export interface GroupSummary {
  group: string;
  online: number;
  version?: string;
  consumeType?: string;
  messageModel?: string;
  consumeTps: number;
  totalLag: number;
}

/** Every group that has a %RETRY% topic, with its online clients and total lag (mqadmin consumerProgress without -g). */
export async function allGroupsProgress(admin: MQAdmin): Promise<GroupSummary[]> {
  const groups = (await admin.getTopicList()).filter((t) => t.startsWith(RETRY_GROUP_TOPIC_PREFIX)).map((t) => t.slice(RETRY_GROUP_TOPIC_PREFIX.length)).sort();
  const out: GroupSummary[] = [];
  for (const group of groups) {
    let progress: ConsumerProgress | undefined;
    try {
      progress = await admin.consumerProgress(group);
    } catch (e) {
      if (!(e instanceof NotFoundError)) throw e;
    }
    const conn = await admin.consumerConnection(group).catch(() => null);
    out.push({
      group,
      online: conn?.connectionSet.length ?? 0,
      version: conn?.connectionSet.length ? versionDesc(Math.min(...conn.connectionSet.map((c) => c.version))) : undefined,
      consumeType: conn?.consumeType,
      messageModel: conn?.messageModel,
      consumeTps: progress?.consumeTps ?? 0,
      totalLag: progress?.totalLag ?? 0,
    });
  }
  return out;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export function register(program: Command): void {
  const consumer = program.command('consumer').description('consumer groups: progress (lag), connections, client status').showHelpAfterError(false);

  consumer
    .command('progress')
    .description('per queue: broker offset, consumer offset, lag, last consumed time (all groups without -g)')
    .option('-g, --group <group>', 'consumer group')
    .option('-t, --topic <topic>', 'only this topic')
    .option('-w, --watch', 'redraw until interrupted')
    .option('--interval <seconds>', 'seconds between redraws with --watch (default 2)')
    .option('--count <n>', 'stop after n redraws with --watch')
    .action(
      run(async (opts: { group?: string; topic?: string; watch?: boolean; interval?: string; count?: string }, cmd: Command) => {
        const group = opts.group === undefined ? undefined : checkGroup(opts.group);
        const interval = (parseIntFlag('--interval', opts.interval, { min: 1 }) ?? 2) * 1000;
        const count = parseIntFlag('--count', opts.count, { min: 1 });
        await withAdmin(cmd, async (admin, ctx) => {
          const once = async (): Promise<unknown> => (group ? admin.consumerProgress(group, opts.topic) : allGroupsProgress(admin));
          const show = (v: unknown): void => {
            if (group) printProgress(v as ConsumerProgress);
            else
              printTable(
                ['Group', 'Online', 'Version', 'Type', 'Model', 'TPS', 'Lag'],
                (v as GroupSummary[]).map((g) => [g.group, g.online, g.version ?? '', g.consumeType ?? '', g.messageModel ?? '', g.consumeTps.toFixed(2), g.totalLag]),
              );
          };
          if (!opts.watch) {
            const v = await once();
            emit(ctx.json, v, () => show(v));
            return;
          }
          stopActivity();
          let stop = false;
          const onSig = (): void => {
            stop = true;
          };
          process.once('SIGINT', onSig);
          try {
            for (let i = 0; !stop && (count === undefined || i < count); i++) {
              if (i > 0) await sleep(interval);
              const v = await once();
              if (ctx.json) printJsonLine({ time: Date.now(), ...(Array.isArray(v) ? { groups: v } : (v as object)) });
              else {
                if (process.stdout.isTTY) process.stdout.write('\x1b[2J\x1b[H');
                process.stdout.write(`${new Date().toISOString()}  (every ${interval / 1000}s, Ctrl-C to stop)\n`);
                show(v);
              }
            }
          } finally {
            process.removeListener('SIGINT', onSig);
          }
        });
      }),
    );

  consumer
    .command('connection')
    .description("a consumer group's online clients and subscriptions")
    .requiredOption('-g, --group <group>', 'consumer group')
    .option('-b, --broker <addr>', 'ask this broker')
    .action(
      run(async (opts: { group: string; broker?: string }, cmd: Command) =>
        withAdmin(cmd, async (admin, ctx) => {
          const group = checkGroup(opts.group);
          const conn = await admin.consumerConnection(group, opts.broker ? await admin.resolveBrokerAddr(opts.broker) : undefined);
          if (!conn) throw new CliError(`consumer group ${group} is not online`, ExitCode.NOT_FOUND);
          const out = {
            group,
            consumeType: conn.consumeType,
            messageModel: conn.messageModel,
            consumeFromWhere: conn.consumeFromWhere,
            connections: conn.connectionSet.map((c) => ({ ...c, versionDesc: versionDesc(c.version) })),
            subscriptions: Object.values(conn.subscriptionTable).map((s) => ({ topic: s.topic, expression: s.subString, expressionType: s.expressionType })),
          };
          emit(ctx.json, out, () => {
            printTable(['Client Id', 'Client Addr', 'Language', 'Version'], out.connections.map((c) => [c.clientId, c.clientAddr, c.language, c.versionDesc]));
            printTable(['Topic', 'Expression'], out.subscriptions.map((s) => [s.topic, s.expression]));
            process.stdout.write(`ConsumeType: ${out.consumeType ?? ''}\nMessageModel: ${out.messageModel ?? ''}\nConsumeFromWhere: ${out.consumeFromWhere ?? ''}\n`);
          });
        }),
      ),
    );

  consumer
    .command('status')
    .description('running info reported by each client of the group (queues held, subscriptions, properties)')
    .requiredOption('-g, --group <group>', 'consumer group')
    .option('-i, --client-id <id>', 'only this client')
    .option('-s, --jstack', 'ask Java clients for a thread dump too')
    .action(
      run(async (opts: { group: string; clientId?: string; jstack?: boolean }, cmd: Command) =>
        withAdmin(cmd, async (admin, ctx) => {
          const group = checkGroup(opts.group);
          for (const addr of await admin.groupBrokerAddrs(group)) {
            const conn = await admin.getConsumerConnectionOnBroker(addr, group);
            if (!conn || conn.connectionSet.length === 0) continue;
            const clients = conn.connectionSet.filter((c) => !opts.clientId || c.clientId === opts.clientId);
            if (clients.length === 0) throw new CliError(`client ${opts.clientId} is not a member of ${group}`, ExitCode.NOT_FOUND);
            const infos: Array<{ clientId: string; runningInfo?: unknown; error?: string }> = [];
            for (const c of clients) {
              try {
                infos.push({ clientId: c.clientId, runningInfo: plain(await admin.getConsumerRunningInfo(addr, group, c.clientId, !!opts.jstack)) });
              } catch (e) {
                infos.push({ clientId: c.clientId, error: (e as Error).message });
              }
            }
            emit(ctx.json, { group, clients: infos }, () => {
              for (const i of infos) {
                process.stdout.write(`# ${i.clientId}\n`);
                if (i.error) {
                  process.stdout.write(`  error: ${i.error}\n`);
                  continue;
                }
                const ri = (i.runningInfo ?? {}) as Record<string, unknown>;
                const props = (ri.properties ?? {}) as Record<string, unknown>;
                for (const k of Object.keys(props).sort()) process.stdout.write(`  ${k.padEnd(40)}: ${String(props[k])}\n`);
                const mq = (ri.mqTable ?? {}) as Record<string, Record<string, unknown>>;
                printTable(
                  ['Queue', 'Committed Offset', 'Cached Msgs', 'Locked', 'Dropped'],
                  Object.entries(mq).map(([q, p]) => [q, String(p.commitOffset ?? ''), String(p.cachedMsgCount ?? ''), String(p.locked ?? ''), String(p.droped ?? p.dropped ?? '')]),
                );
              }
            });
            return;
          }
          throw new CliError(`consumer group ${group} is not online`, ExitCode.NOT_FOUND);
        }),
      ),
    );
}
