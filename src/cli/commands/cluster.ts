// mqctl cluster list [--more]
import type { Command } from 'commander';
import type { MQAdmin } from '../../client/admin/index.js';
import { withAdmin } from '../context.js';
import { run } from '../run.js';
import { emit, printTable } from '../output/index.js';

export interface BrokerRow {
  cluster: string;
  brokerName: string;
  brokerId: number;
  addr: string;
  version?: string;
  inTps?: number;
  outTps?: number;
  /** Hours since the oldest stored message. */
  hoursStored?: number;
  commitLogDiskRatio?: number;
  activated?: boolean;
  inTotalYesterday?: number;
  outTotalYesterday?: number;
  inTotalToday?: number;
  outTotalToday?: number;
  /** Set when the broker did not answer GET_BROKER_RUNTIME_INFO. */
  error?: string;
  runtime?: Record<string, string>;
}

const first = (v: string | undefined): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v.trim().split(/\s+/)[0]);
  return Number.isFinite(n) ? n : undefined;
};

export async function clusterRows(admin: MQAdmin, cluster?: string): Promise<BrokerRow[]> {
  const ci = await admin.getClusterInfo();
  const rows: BrokerRow[] = [];
  for (const c of Object.keys(ci.clusterAddrTable).sort()) {
    if (cluster && c !== cluster) continue;
    for (const name of [...ci.clusterAddrTable[c]].sort()) {
      const bd = ci.brokerAddrTable[name];
      if (!bd) continue;
      for (const [id, addr] of bd.brokerAddrs) {
        const row: BrokerRow = { cluster: c, brokerName: name, brokerId: id, addr };
        try {
          const kv = await admin.getBrokerRuntimeInfo(addr);
          const earliest = Number(kv.earliestMessageTimeStamp ?? 0);
          row.version = kv.brokerVersionDesc;
          row.inTps = first(kv.putTps);
          row.outTps = first(kv.getTransferredTps);
          row.hoursStored = earliest > 0 ? Math.round(((Date.now() - earliest) / 3600000) * 100) / 100 : 0;
          row.commitLogDiskRatio = first(kv.commitLogDiskRatio);
          row.activated = kv.brokerActive === undefined ? undefined : kv.brokerActive === 'true';
          const n = (k: string): number => Number(kv[k] ?? 0);
          row.inTotalYesterday = n('msgPutTotalTodayMorning') - n('msgPutTotalYesterdayMorning');
          row.outTotalYesterday = n('msgGetTotalTodayMorning') - n('msgGetTotalYesterdayMorning');
          row.inTotalToday = n('msgPutTotalTodayNow') - n('msgPutTotalTodayMorning');
          row.outTotalToday = n('msgGetTotalTodayNow') - n('msgGetTotalTodayMorning');
          row.runtime = kv;
        } catch (e) {
          row.error = (e as Error).message;
        }
        rows.push(row);
      }
    }
  }
  return rows;
}

export function register(program: Command): void {
  const cluster = program.command('cluster').description('clusters and their brokers').showHelpAfterError(false);
  cluster
    .command('list')
    .description('every broker of every cluster with its version, TPS and disk use')
    .option('-c, --cluster <cluster>', 'only this cluster')
    .option('-m, --more', 'message totals for yesterday and today')
    .action(
      run(async (opts: { cluster?: string; more?: boolean }, cmd: Command) =>
        withAdmin(cmd, async (admin, ctx) => {
          const rows = await clusterRows(admin, opts.cluster);
          const json = rows.map(({ runtime: _r, ...r }) => {
            if (opts.more) return r;
            const { inTotalYesterday: _a, outTotalYesterday: _b, inTotalToday: _c, outTotalToday: _d, ...rest } = r;
            return rest;
          });
          emit(ctx.json, json, () => {
            const head = ['Cluster', 'Broker', 'BID', 'Addr', 'Version', 'InTPS', 'OutTPS', 'Hours', 'Disk', 'Active'];
            if (opts.more) head.push('In Yesterday', 'Out Yesterday', 'In Today', 'Out Today');
            printTable(
              head,
              rows.map((r) => {
                const base = [r.cluster, r.brokerName, r.brokerId, r.addr, r.error ? `error: ${r.error}` : r.version, r.inTps?.toFixed(2), r.outTps?.toFixed(2), r.hoursStored, r.commitLogDiskRatio?.toFixed(2), r.activated];
                return opts.more ? [...base, r.inTotalYesterday, r.outTotalYesterday, r.inTotalToday, r.outTotalToday] : base;
              }),
            );
          });
        }),
      ),
    );
}
