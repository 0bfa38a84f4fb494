// mqctl topic list|create|update|delete|route|status|clusters
import type { Command } from 'commander';
import { validateTopic } from '../../common/topics.js';
import { perm2String } from '../../common/perm.js';
import { withAdmin } from '../context.js';
import { run } from '../run.js';
import { confirm, emit, humanTime, parseBoolFlag, parseIntFlag, printOk, printTable, usage } from '../output/index.js';
import type { TopicRouteData } from '../../protocol/route.js';

export function checkTopic(topic: string | undefined): string {
  const bad = validateTopic(topic);
  if (bad || !topic) throw usage(bad ?? 'topic is required');
  return topic;
}

/** A route with broker addresses as a plain object (JSON has no Map). */
export function routeToJson(r: TopicRouteData): Record<string, unknown> {
  return {
    brokerDatas: r.brokerDatas.map((b) => ({ cluster: b.cluster, brokerName: b.brokerName, brokerAddrs: Object.fromEntries([...b.brokerAddrs].map(([k, v]) => [String(k), v])) })),
    queueDatas: r.queueDatas,
    ...(r.orderTopicConf ? { orderTopicConf: r.orderTopicConf } : {}),
  };
}

interface CreateOpts {
  topic: string;
  cluster?: string;
  broker?: string;
  readQueues?: string;
  writeQueues?: string;
  perm?: string;
  order?: string | boolean;
}

function createOrUpdate(update: boolean) {
  return run(async (opts: CreateOpts, cmd: Command) => {
    const topic = checkTopic(opts.topic);
    if (!!opts.cluster === !!opts.broker) throw usage('give exactly one of -c/--cluster or -b/--broker');
    const perm = parseIntFlag('--perm', opts.perm);
    if (perm !== undefined && ![2, 4, 6].includes(perm)) throw usage('--perm must be 2 (W), 4 (R) or 6 (RW)');
    await withAdmin(cmd, async (admin, ctx) => {
      const r = await admin.createOrUpdateTopicOn(
        {
          topic,
          cluster: opts.cluster,
          broker: opts.broker,
          readQueueNums: parseIntFlag('--read-queues', opts.readQueues, { min: 1, max: 1024 }),
          writeQueueNums: parseIntFlag('--write-queues', opts.writeQueues, { min: 1, max: 1024 }),
          perm,
          order: parseBoolFlag('--order', opts.order),
        },
        update,
      );
      emit(ctx.json, { topic: r.topic, brokers: r.brokers.map((b) => b.addr) }, () =>
        printOk(`topic ${topic} ${update ? 'updated' : 'created'} on ${r.brokers.map((b) => b.brokerName ?? b.addr).join(', ')} (read ${r.topic.readQueueNums}, write ${r.topic.writeQueueNums}, perm ${perm2String(r.topic.perm)})`),
      );
    });
  });
}

export function register(program: Command): void {
  const topic = program.command('topic').description('list, create, update, delete and inspect topics').showHelpAfterError(false);

  topic
    .command('list')
    .description('topics known to the name server')
    .option('-c, --cluster <cluster>', 'only topics served by this cluster')
    .action(
      run(async (opts: { cluster?: string }, cmd: Command) =>
        withAdmin(cmd, async (admin, ctx) => {
          const list = (opts.cluster ? await admin.getTopicsByCluster(opts.cluster) : await admin.getTopicList()).sort();
          emit(ctx.json, list, () => {
            for (const t of list) process.stdout.write(t + '\n');
          });
        }),
      ),
    );

  for (const update of [false, true]) {
    topic
      .command(update ? 'update' : 'create')
      .description(update ? 'change an existing topic (unset flags keep their value)' : 'create a topic (or update it if it exists)')
      .requiredOption('-t, --topic <topic>', 'topic name')
      .option('-c, --cluster <cluster>', 'on every master of this cluster')
      .option('-b, --broker <addr|name>', 'on this broker only')
      .option('-r, --read-queues <n>', 'read queue count (create default 8)')
      .option('-w, --write-queues <n>', 'write queue count (create default 8)')
      .option('-p, --perm <perm>', '2 write-only, 4 read-only, 6 read-write')
      .option('-o, --order [bool]', 'ordered topic')
      .action(createOrUpdate(update));
  }

  topic
    .command('delete')
    .description('delete a topic from its brokers and the name servers')
    .requiredOption('-t, --topic <topic>', 'topic name')
    .option('-c, --cluster <cluster>', 'only from this cluster')
    .option('-y, --yes', 'do not ask for confirmation')
    .action(
      run(async (opts: { topic: string; cluster?: string; yes?: boolean }, cmd: Command) => {
        const t = checkTopic(opts.topic);
        await withAdmin(cmd, async (admin, ctx) => {
          await confirm(`Delete topic ${t}${opts.cluster ? ` from cluster ${opts.cluster}` : ''}?`, opts.yes);
          const r = await admin.deleteTopic(t, opts.cluster);
          emit(ctx.json, { topic: t, deleted: true, brokers: r.brokers }, () => printOk(`topic ${t} deleted from ${r.brokers.join(', ') || 'the name servers'}`));
        });
      }),
    );

  topic
    .command('route')
    .description("the topic's route as the name server gives it to clients")
    .requiredOption('-t, --topic <topic>', 'topic name')
    .action(
      run(async (opts: { topic: string }, cmd: Command) =>
        withAdmin(cmd, async (admin, ctx) => {
          const r = await admin.getTopicRoute(checkTopic(opts.topic));
          emit(ctx.json, routeToJson(r), () => {
            printTable(
              ['Broker', 'Cluster', 'Addresses', 'Read', 'Write', 'Perm'],
              r.queueDatas.map((q) => {
                const bd = r.brokerDatas.find((b) => b.brokerName === q.brokerName);
                return [q.brokerName, bd?.cluster, bd ? [...bd.brokerAddrs].map(([id, a]) => `${id}=${a}`).join(' ') : '', q.readQueueNums, q.writeQueueNums, perm2String(q.perm)];
              }),
            );
          });
        }),
      ),
    );

  topic
    .command('status')
    .description('per queue: min and max offset and the time of the last message')
    .requiredOption('-t, --topic <topic>', 'topic name')
    .action(
      run(async (opts: { topic: string }, cmd: Command) =>
        withAdmin(cmd, async (admin, ctx) => {
          const s = await admin.topicStatus(checkTopic(opts.topic));
          emit(ctx.json, s, () => {
            printTable(
              ['Broker', 'Queue', 'Min Offset', 'Max Offset', 'Messages', 'Last Updated'],
              s.queues.map((q) => [q.brokerName, q.queueId, q.minOffset, q.maxOffset, q.maxOffset - q.minOffset, humanTime(q.lastUpdateTimestamp)]),
            );
            process.stdout.write(`Total messages: ${s.totalMessages}  Put TPS: ${s.putTps.toFixed(2)}\n`);
          });
        }),
      ),
    );

  topic
    .command('clusters')
    .description('clusters whose brokers serve the topic')
    .requiredOption('-t, --topic <topic>', 'topic name')
    .action(
      run(async (opts: { topic: string }, cmd: Command) =>
        withAdmin(cmd, async (admin, ctx) => {
          const list = await admin.topicClusters(checkTopic(opts.topic));
          emit(ctx.json, list, () => {
            for (const c of list) process.stdout.write(c + '\n');
          });
        }),
      ),
    );
}
