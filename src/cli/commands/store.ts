// mqctl store verify|dump — offline tools over a store directory (works on stores written by Apache brokers).
import type { Command } from 'commander';
import { dumpStore, type DumpedRecord } from '../../store/dump.js';
import { StoreUnreadableError, verifyStore, type VerifyReport } from '../../store/verify.js';
import { CliError, ExitCode } from '../output/exit-codes.js';
import { printJson, printJsonLine, printTable } from '../output/print.js';
import { run } from '../run.js';

function wantsJson(cmd: Command): boolean {
  return Boolean((cmd.optsWithGlobals() as { json?: boolean }).json);
}

function intOption(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw new CliError(`${name} must be a non-negative integer: ${v}`, ExitCode.USAGE);
  return Number(v);
}

/** A one-line progress bar on stderr, only when stderr is a terminal. */
function progressBar(enabled: boolean): ((done: number, total: number) => void) & { end(): void } {
  let last = -1;
  const f = ((done: number, total: number) => {
    if (!enabled || total <= 0) return;
    const pct = Math.floor((done / total) * 100);
    if (pct === last) return;
    last = pct;
    const width = 30;
    const fill = Math.round((pct / 100) * width);
    process.stderr.write(`\rscanning commitlog [${'#'.repeat(fill)}${'.'.repeat(width - fill)}] ${pct}%`);
  }) as ((done: number, total: number) => void) & { end(): void };
  f.end = () => { if (enabled && last >= 0) process.stderr.write('\r\x1b[K'); };
  return f;
}

function printVerify(r: VerifyReport): void {
  printTable(['Part', 'Files', 'Records', 'Bytes', 'Problems'], [
    ['commitlog', r.commitlog.files, r.commitlog.records, r.commitlog.bytes, r.commitlog.problems],
    ['consumequeue', r.consumequeue.files, r.consumequeue.records, r.consumequeue.bytes, r.consumequeue.problems],
    ['index', r.index.files, r.index.records, r.index.bytes, r.index.problems],
    ['checkpoint', r.checkpoint.files, r.checkpoint.records, r.checkpoint.bytes, r.checkpoint.problems],
  ]);
  if (r.problems.length) {
    printTable(['Kind', 'File', 'PhyOffset', 'Detail'], r.problems.map((p) => [p.kind, p.file, p.phyOffset ?? '', p.detail]));
  }
  process.stdout.write(r.ok ? 'store is clean\n' : `${r.problems.length} problem(s) found\n`);
}

function printDump(rows: DumpedRecord[]): void {
  printTable(['PhyOffset', 'Topic', 'Queue', 'QueueOffset', 'MsgId', 'UniqKey', 'Keys', 'Tags', 'StoreTime', 'Properties', 'Body'],
    rows.map((r) => [r.phyOffset, r.topic, r.queueId, r.queueOffset, r.msgId, r.uniqKey, r.keys, r.tags,
      new Date(r.storeTimestamp).toISOString(),
      Object.entries(r.properties).filter(([k]) => !['UNIQ_KEY', 'KEYS', 'TAGS'].includes(k)).map(([k, v]) => `${k}=${v}`).join(', '),
      r.bodyPreview]));
}

export function register(program: Command): void {
  const store = program.command('store').description('offline tools for a broker store directory');
  store.command('verify <storeDir>')
    .description('check every commitlog record, consume-queue unit, index entry and the checkpoint (exit 0 clean, 1 problems, 2 unreadable)')
    .option('--json', 'JSON report')
    .action(run(async (storeDir: string, _opts: unknown, cmd: Command) => {
      const json = wantsJson(cmd);
      const bar = progressBar(!json && Boolean(process.stderr.isTTY));
      let report: VerifyReport;
      try {
        report = verifyStore(storeDir, { onProgress: bar });
      } catch (err) {
        bar.end();
        if (err instanceof StoreUnreadableError) throw new CliError(err.message, ExitCode.USAGE);
        throw new CliError(`cannot read store: ${(err as Error).message}`, ExitCode.USAGE);
      }
      bar.end();
      if (json) printJson(report);
      else printVerify(report);
      process.exitCode = report.ok ? ExitCode.OK : ExitCode.FAILED;
    }));
  store.command('dump <storeDir>')
    .description('print records (msgId, unique key, keys, tags, properties, body preview)')
    .option('--topic <topic>', 'only this topic')
    .option('--queue <queueId>', 'only this queue')
    .option('--offset <n>', 'start at this queue offset (with --topic and --queue)')
    .option('--phy-offset <n>', 'start at this commitlog offset')
    .option('--count <n>', 'how many records', '20')
    .option('--json', 'one JSON object a line')
    .action(run(async (storeDir: string, opts: { topic?: string; queue?: string; offset?: string; phyOffset?: string; count: string }, cmd: Command) => {
      const json = wantsJson(cmd);
      if (opts.offset !== undefined && opts.phyOffset !== undefined) throw new CliError('use --offset or --phy-offset, not both', ExitCode.USAGE);
      if (opts.offset !== undefined && (opts.topic === undefined || opts.queue === undefined)) {
        throw new CliError('--offset needs --topic and --queue', ExitCode.USAGE);
      }
      const dumpOpts = {
        topic: opts.topic, queueId: intOption('--queue', opts.queue), offset: intOption('--offset', opts.offset),
        phyOffset: intOption('--phy-offset', opts.phyOffset), count: intOption('--count', opts.count),
      };
      const rows: DumpedRecord[] = [];
      try {
        for (const r of dumpStore(storeDir, dumpOpts)) {
          if (json) printJsonLine(r);
          else rows.push(r);
        }
      } catch (err) {
        if (err instanceof StoreUnreadableError) throw new CliError(err.message, ExitCode.USAGE);
        throw err;
      }
      if (!json) printDump(rows);
    }));
}
