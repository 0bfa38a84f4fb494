// Shared pieces of the namesrv integration tests: broker registration through our remoting client, route
// and cluster queries, a free loopback port, and the build the child-process tests need.
import { RemotingClient } from '../../../src/remoting/client.js';
import { RemotingCommand } from '../../../src/remoting/command.js';
import { RequestCode } from '../../../src/protocol/codes.js';
import { RegisterBrokerRequestHeader, RegisterBrokerResponseHeader } from '../../../src/protocol/namesrv.js';
import {
  type ClusterInfo,
  type TopicConfig,
  type TopicRouteData,
  decodeClusterInfo,
  decodeTopicRouteData,
  encodeRegisterBrokerBody,
  newTopicConfig,
} from '../../../src/protocol/route.js';
import { ensureBuilt as ensureBuiltIn } from '../../helpers/index.js';

export { freePort } from '../../helpers/index.js';

export const ROOT = new URL('../../../', import.meta.url).pathname;

export interface BrokerSpec {
  cluster: string;
  brokerName: string;
  brokerId: number;
  brokerAddr: string;
  haServerAddr?: string;
  topics: TopicConfig[];
  counter?: number;
  heartbeatTimeoutMillis?: number;
  compressed?: boolean;
}

export function topic(name: string, read: number, write: number, perm = 6): TopicConfig {
  return newTopicConfig(name, { readQueueNums: read, writeQueueNums: write, perm });
}

export async function registerBroker(
  client: RemotingClient,
  namesrv: string,
  b: BrokerSpec,
): Promise<{ code: number; remark?: string; haServerAddr?: string; masterAddr?: string; body?: Buffer }> {
  const body = encodeRegisterBrokerBody(
    {
      filterServerList: [],
      topicConfigSerializeWrapper: {
        dataVersion: { counter: b.counter ?? 1, stateVersion: 0, timestamp: 1700000000000 + (b.counter ?? 1) },
        topicConfigTable: Object.fromEntries(b.topics.map((t) => [t.topicName, t])),
      },
    },
    { compressed: b.compressed },
  );
  const header = RegisterBrokerRequestHeader.toFields({
    brokerName: b.brokerName,
    brokerAddr: b.brokerAddr,
    clusterName: b.cluster,
    haServerAddr: b.haServerAddr ?? b.brokerAddr.replace(/:(\d+)$/, (_m, p: string) => `:${Number(p) + 1}`),
    brokerId: b.brokerId,
    heartbeatTimeoutMillis: b.heartbeatTimeoutMillis,
    enableActingMaster: false,
    compressed: b.compressed ?? false,
  });
  const resp = await client.invoke(namesrv, RemotingCommand.createRequest(RequestCode.REGISTER_BROKER, header, body), 5000);
  const h = RegisterBrokerResponseHeader.fromFields(resp.extFields);
  return { code: resp.code, remark: resp.remark, haServerAddr: h.haServerAddr, masterAddr: h.masterAddr, body: resp.body };
}

export async function getRoute(
  client: RemotingClient,
  namesrv: string,
  topicName: string,
  version?: number,
): Promise<{ code: number; remark?: string; route?: TopicRouteData; raw?: string }> {
  const req = RemotingCommand.createRequest(RequestCode.GET_ROUTEINFO_BY_TOPIC, { topic: topicName });
  if (version !== undefined) req.version = version;
  const resp = await client.invoke(namesrv, req, 5000);
  if (resp.code !== 0 || !resp.body) return { code: resp.code, remark: resp.remark };
  return { code: 0, route: decodeTopicRouteData(resp.body), raw: resp.body.toString('utf8') };
}

export async function getClusterInfo(client: RemotingClient, namesrv: string): Promise<{ info: ClusterInfo; raw: string }> {
  const resp = await client.invoke(namesrv, RemotingCommand.createRequest(RequestCode.GET_BROKER_CLUSTER_INFO), 5000);
  if (resp.code !== 0 || !resp.body) throw new Error(`cluster info failed: ${resp.code} ${resp.remark}`);
  return { info: decodeClusterInfo(resp.body), raw: resp.body.toString('utf8') };
}

export async function waitFor(pred: () => Promise<boolean> | boolean, timeoutMs: number, stepMs = 50): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await pred()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

/**
 * Make sure dist/ holds a build of the namesrv CLI at least as new as its sources (`npm test` builds first;
 * a bare `npx vitest run` may not have).
 */
export function ensureBuilt(): void {
  ensureBuiltIn(['dist/cli/commands/namesrv-start.js', 'dist/namesrv/index.js'], ['src/namesrv', 'src/protocol', 'src/remoting', 'src/common', 'src/cli']);
}
