// mqctl wait-ready: for CI, exit 0 once the name server answers, N brokers are registered and answer, and
// (with --topic) the topic's route is visible; exit 3 if the name server never answered, 1 otherwise.
import type { Command } from 'commander';
import { MQAdmin } from '../../client/admin/index.js';
import { resolveContext, type GlobalOptions } from '../context.js';
import { run } from '../run.js';
import { CliError, ExitCode, emit, parseIntFlag, printOk } from '../output/index.js';
import { checkTopic } from './topic.js';

interface ReadyState {
  namesrv: boolean;
  brokers: string[];
  topicRoute: boolean | undefined;
  lastError?: string;
}

async function probe(admin: MQAdmin, topic: string | undefined): Promise<ReadyState> {
  const s: ReadyState = { namesrv: false, brokers: [], topicRoute: topic ? false : undefined };
  try {
    const masters = await admin.masterAddrs();
    s.namesrv = true;
    for (const m of masters) {
      try {
        await admin.getBrokerRuntimeInfo(m.addr);
        s.brokers.push(m.addr);
      } catch (e) {
        s.lastError = (e as Error).message;
      }
    }
    if (topic) {
      const route = await admin.getTopicRoute(topic);
      s.topicRoute = route.queueDatas.length > 0;
    }
  } catch (e) {
    s.lastError = (e as Error).message;
  }
  return s;
}

export function register(program: Command): void {
  program
    .command('wait-ready')
    .description('wait until the name server and N brokers answer (and a topic is routable); for CI scripts')
    .option('--brokers <n>', 'brokers that must answer (default 1)')
    .option('-t, --topic <topic>', 'also wait for this topic to have a route')
    .option('--timeout <seconds>', 'give up after this many seconds (default 60)')
    .showHelpAfterError(false)
    .action(
      run(async (opts: { brokers?: string; topic?: string; timeout?: string }, cmd: Command) => {
        const want = parseIntFlag('--brokers', opts.brokers, { min: 0 }) ?? 1;
        // commander hands --timeout to the program when the program defines it too: take it from either
        const globals = (cmd.parent?.opts() ?? {}) as GlobalOptions;
        const seconds = parseIntFlag('--timeout', opts.timeout ?? globals.timeout, { min: 1 }) ?? 60;
        const topic = opts.topic === undefined ? undefined : checkTopic(opts.topic);
        // --timeout here is this command's deadline in seconds, not the per-request timeout
        const ctx = resolveContext({ ...globals, timeout: undefined });
        const deadline = Date.now() + seconds * 1000;
        const admin = new MQAdmin({ namesrv: ctx.namesrv, timeoutMs: 2000 });
        let s: ReadyState = { namesrv: false, brokers: [], topicRoute: undefined };
        try {
          for (;;) {
            s = await probe(admin, topic);
            if (s.namesrv && s.brokers.length >= want && s.topicRoute !== false) break;
            if (Date.now() >= deadline) {
              const why = !s.namesrv
                ? `name server ${ctx.namesrv} did not answer`
                : s.brokers.length < want
                  ? `${s.brokers.length} of ${want} broker(s) answered`
                  : `topic ${topic} has no route`;
              throw new CliError(`not ready after ${seconds}s: ${why}${s.lastError ? ` (${s.lastError})` : ''}`, s.namesrv ? ExitCode.FAILED : ExitCode.CONNECT);
            }
            await new Promise((r) => setTimeout(r, 500));
          }
        } finally {
          admin.close();
        }
        const { lastError: _e, ...result } = s;
        emit(ctx.json, { ready: true, ...result }, () => printOk(`ready: name server ${ctx.namesrv}, ${s.brokers.length} broker(s)${topic ? `, topic ${topic}` : ''}`));
      }),
    );
}
