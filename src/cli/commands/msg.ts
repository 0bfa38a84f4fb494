// mqctl msg get|query-by-key|query-by-offset|print|resend
import type { Command } from 'commander';
import type { MessageExt } from '../../common/message.js';
import { isOffsetMsgId } from '../../client/admin/index.js';
import { withAdmin } from '../context.js';
import { run } from '../run.js';
import { CliError, ExitCode, emit, humanTime, messageToJson, parseIntFlag, parseTimeFlag, printKeyValues, printTable, requireIntFlag, usage } from '../output/index.js';
import { checkTopic } from './topic.js';
import { checkGroup } from './group.js';

export function printMessageDetail(m: MessageExt): void {
  printKeyValues([
    ['Msg Id', m.msgId],
    ['Unique Key', m.properties.UNIQ_KEY ?? ''],
    ['Topic', m.topic],
    ['Tags', m.properties.TAGS ?? ''],
    ['Keys', m.properties.KEYS ?? ''],
    ['Queue', `${m.queueId}`],
    ['Queue Offset', `${m.queueOffset}`],
    ['CommitLog Offset', `${m.commitLogOffset}`],
    ['Reconsume Times', `${m.reconsumeTimes}`],
    ['Born', `${humanTime(m.bornTimestamp)} from ${m.bornHost}`],
    ['Stored', `${humanTime(m.storeTimestamp)} on ${m.storeHost}`],
    ['System Flag', `${m.sysFlag}`],
    ['Properties', Object.entries(m.properties).map(([k, v]) => `${k}=${v}`).join(' ')],
    ['Body', m.body.length > 512 ? `${m.body.subarray(0, 512).toString('utf8')}… (${m.body.length} bytes)` : m.body.toString('utf8')],
  ]);
}

function printMessageRows(list: MessageExt[]): void {
  printTable(
    ['Msg Id', 'Unique Key', 'Queue', 'Offset', 'Tags', 'Keys', 'Stored'],
    list.map((m) => [m.msgId, m.properties.UNIQ_KEY ?? '', m.queueId, m.queueOffset, m.properties.TAGS ?? '', m.properties.KEYS ?? '', humanTime(m.storeTimestamp)]),
  );
}

export function register(program: Command): void {
  const msg = program.command('msg').description('find, print and re-deliver messages').showHelpAfterError(false);

  msg
    .command('get')
    .description('one message by offset message id, or by unique key (UNIQ_KEY) with -t')
    .argument('<id>', 'offset msgId (as returned by send) or unique key')
    .option('-t, --topic <topic>', 'topic (needed for unique keys)')
    .action(
      run(async (id: string, opts: { topic?: string }, cmd: Command) =>
        withAdmin(cmd, async (admin, ctx) => {
          if (opts.topic === undefined && !isOffsetMsgId(id)) throw usage(`${id} is not an offset message id; give the topic (-t) to look it up as a unique key`);
          const m = await admin.findMessage(id, opts.topic === undefined ? undefined : checkTopic(opts.topic));
          emit(ctx.json, messageToJson(m), () => printMessageDetail(m));
        }),
      ),
    );

  msg
    .command('query-by-key')
    .description('messages whose KEYS contain the key (through the broker index)')
    .requiredOption('-t, --topic <topic>', 'topic')
    .requiredOption('-k, --key <key>', 'message key')
    .option('--begin <time>', 'stored at or after (ms, ISO date, -1h, ...)')
    .option('--end <time>', 'stored at or before')
    .option('-m, --max <n>', 'at most n per broker (max 64, default 64)')
    .action(
      run(async (opts: { topic: string; key: string; begin?: string; end?: string; max?: string }, cmd: Command) => {
        const q = {
          topic: checkTopic(opts.topic),
          key: opts.key,
          beginTimestamp: parseTimeFlag('--begin', opts.begin),
          endTimestamp: parseTimeFlag('--end', opts.end),
          maxNum: parseIntFlag('--max', opts.max, { min: 1, max: 64 }),
        };
        await withAdmin(cmd, async (admin, ctx) => {
          const list = await admin.queryMessagesByKey(q);
          if (list.length === 0) throw new CliError(`no message with key ${q.key} in topic ${q.topic}`, ExitCode.NOT_FOUND);
          emit(ctx.json, list.map(messageToJson), () => printMessageRows(list));
        });
      }),
    );

  msg
    .command('query-by-offset')
    .description('the message at a queue offset')
    .requiredOption('-t, --topic <topic>', 'topic')
    .requiredOption('-b, --broker <name>', 'broker name')
    .requiredOption('-q, --queue <id>', 'queue id')
    .requiredOption('-o, --offset <offset>', 'queue offset')
    .action(
      run(async (opts: { topic: string; broker: string; queue: string; offset: string }, cmd: Command) => {
        const topic = checkTopic(opts.topic);
        const queueId = requireIntFlag('--queue', opts.queue, { min: 0 });
        const offset = requireIntFlag('--offset', opts.offset, { min: 0 });
        await withAdmin(cmd, async (admin, ctx) => {
          const m = await admin.queryMessageByOffset(topic, opts.broker, queueId, offset);
          emit(ctx.json, messageToJson(m), () => printMessageDetail(m));
        });
      }),
    );

  msg
    .command('print')
    .description('messages of a topic (or one queue) stored within a time range')
    .requiredOption('-t, --topic <topic>', 'topic')
    .option('-b, --broker <name>', 'only this broker')
    .option('-q, --queue <id>', 'only this queue')
    .option('--begin <time>', 'stored at or after (ms, ISO date, -1h, ...)')
    .option('--end <time>', 'stored at or before')
    .option('-l, --limit <n>', 'at most n messages (default 1000)')
    .action(
      run(async (opts: { topic: string; broker?: string; queue?: string; begin?: string; end?: string; limit?: string }, cmd: Command) => {
        const r = {
          topic: checkTopic(opts.topic),
          brokerName: opts.broker,
          queueId: parseIntFlag('--queue', opts.queue, { min: 0 }),
          beginTimestamp: parseTimeFlag('--begin', opts.begin),
          endTimestamp: parseTimeFlag('--end', opts.end),
          limit: parseIntFlag('--limit', opts.limit, { min: 1 }),
        };
        if (r.beginTimestamp !== undefined && r.endTimestamp !== undefined && r.endTimestamp < r.beginTimestamp) throw usage('--end is before --begin');
        await withAdmin(cmd, async (admin, ctx) => {
          const list = await admin.printMessages(r);
          emit(ctx.json, list.map(messageToJson), () => {
            for (const m of list) {
              process.stdout.write(
                `${m.topic} q${m.queueId}@${m.queueOffset} ${m.msgId} ${humanTime(m.storeTimestamp)} tags=${m.properties.TAGS ?? ''} keys=${m.properties.KEYS ?? ''} body=${m.body.toString('utf8')}\n`,
              );
            }
            process.stdout.write(`${list.length} message(s)\n`);
          });
        });
      }),
    );

  msg
    .command('resend')
    .description('hand one stored message to a consumer client of a group again (CONSUME_MESSAGE_DIRECTLY)')
    .argument('<msgId>', 'offset msgId (or unique key with -t)')
    .requiredOption('-g, --group <group>', 'consumer group')
    .option('-c, --client-id <id>', 'this client (default: the first online one)')
    .option('-t, --topic <topic>', 'topic (needed for unique keys)')
    .action(
      run(async (id: string, opts: { group: string; clientId?: string; topic?: string }, cmd: Command) =>
        withAdmin(cmd, async (admin, ctx) => {
          const r = await admin.resendMessage(id, checkGroup(opts.group), { clientId: opts.clientId, topic: opts.topic });
          emit(ctx.json, r, () => printKeyValues(Object.entries(r).filter(([, v]) => v !== undefined)));
          if (r.consumeResult !== 'CR_SUCCESS') throw new CliError(`client ${r.clientId} answered ${r.consumeResult}${r.remark ? `: ${r.remark}` : ''}`, ExitCode.FAILED);
        }),
      ),
    );
}
