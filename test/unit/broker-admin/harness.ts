/**
 * An in-process broker for the admin processors: real store and managers in a temp dir, a real
 * RemotingServer on 127.0.0.1:0 with only the admin processors registered, and a RemotingClient.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { silentLogger } from '../../../src/common/logger.js';
import type { MessageExtBrokerInner } from '../../../src/common/message.js';
import { RemotingClient } from '../../../src/remoting/client.js';
import { RemotingCommand } from '../../../src/remoting/command.js';
import { RemotingServer, type Channel } from '../../../src/remoting/server.js';
import { MessageStore } from '../../../src/store/message-store.js';
import { defaultBrokerConfig } from '../../../src/broker/config.js';
import { TopicConfigManager } from '../../../src/broker/topic-config-manager.js';
import { SubscriptionGroupManager } from '../../../src/broker/subscription-group-manager.js';
import { ConsumerOffsetManager } from '../../../src/broker/consumer-offset-manager.js';
import { ConsumerManager } from '../../../src/broker/client/consumer-manager.js';
import { ProducerManager } from '../../../src/broker/client/producer-manager.js';
import { BrokerStats } from '../../../src/broker/stats.js';
import type { BrokerContext } from '../../../src/broker/context.js';
import { registerAdminProcessors, type RebalanceLockManager } from '../../../src/broker/processors/admin/index.js';
import type { SubscriptionData } from '../../../src/protocol/heartbeat.js';
import { newTopicConfig } from '../../../src/protocol/route.js';

export interface Harness {
  dir: string;
  ctx: BrokerContext;
  server: RemotingServer;
  addr: string;
  client: RemotingClient;
  locks: RebalanceLockManager;
  registrations: number;
  call(code: number, fields?: Record<string, unknown>, body?: Buffer): Promise<RemotingCommand>;
  put(topic: string, queueId: number, body: string, props?: Record<string, string>): Promise<{ phyOffset: number; queueOffset: number; msgId: string }>;
  createTopic(topic: string, queues: number, perm?: number): void;
  /** Connects a second client and registers it as a consumer of `group`; returns it and its server channel. */
  addConsumer(group: string, clientId: string, topics: string[], version?: number): Promise<{ client: RemotingClient; channel: Channel }>;
  close(): Promise<void>;
}

export function subscription(topic: string, subString = '*'): SubscriptionData {
  return { topic, subString, tagsSet: [], codeSet: [], subVersion: Date.now(), expressionType: 'TAG', classFilterMode: false };
}

/**
 * A fresh harness for every test of the calling file (started in beforeEach, closed in afterEach). The returned
 * object forwards to the current one, so tests can hold it at module level.
 */
export function useHarness(): Harness {
  let current: Harness | undefined;
  beforeEach(async () => {
    current = await startHarness();
  });
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  return new Proxy({} as Harness, {
    get(_target, key) {
      if (!current) throw new Error('harness used outside a test');
      const v: unknown = Reflect.get(current, key);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(current) : v;
    },
  });
}

export async function startHarness(): Promise<Harness> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mqctl-admin-'));
  const config = defaultBrokerConfig();
  config.brokerName = 'broker-a';
  config.storePathRootDir = dir;
  config.storePathCommitLog = path.join(dir, 'commitlog');
  config.brokerIP1 = '127.0.0.1';
  const store = await MessageStore.open({
    storePathRootDir: dir,
    mappedFileSizeCommitLog: 4 * 1024 * 1024,
    mappedFileSizeConsumeQueue: 20 * 1000,
  });
  const topics = new TopicConfigManager(config, silentLogger);
  topics.load();
  const groups = new SubscriptionGroupManager(config, silentLogger);
  groups.load();
  const offsets = new ConsumerOffsetManager(dir, silentLogger);
  offsets.load();
  const server = new RemotingServer({ host: '127.0.0.1', port: 0 });
  const { port } = await server.listen();
  const addr = `127.0.0.1:${port}`;
  const extraClients: RemotingClient[] = [];
  const h = {} as Harness;
  const ctx: BrokerContext = {
    config,
    store,
    topics,
    groups,
    offsets,
    producers: new ProducerManager(silentLogger),
    consumers: new ConsumerManager(silentLogger),
    stats: new BrokerStats(),
    brokerAddr: addr,
    storeHost: addr,
    listenPort: port,
    startTime: Date.now() - 65_000,
    logger: silentLogger,
    server,
    registerToNamesrvNow: async () => {
      h.registrations++;
    },
    namesrvAddrs: () => [],
    isShuttingDown: () => false,
    sendMessageHooks: [],
    notifyMessageArriving: () => undefined,
    shutdownHooks: [],
  };
  const locks = registerAdminProcessors(server, ctx);
  const client = new RemotingClient({ connectTimeoutMs: 2000 });

  Object.assign(h, {
    dir, ctx, server, addr, client, locks, registrations: 0,
    call: (code: number, fields?: Record<string, unknown>, body?: Buffer) =>
      client.invoke(addr, RemotingCommand.createRequest(code, fields, body), 10_000),
    put: async (topic: string, queueId: number, body: string, props: Record<string, string> = {}) => {
      const m: MessageExtBrokerInner = {
        topic, queueId, flag: 0, body: Buffer.from(body), properties: { WAIT: 'true', ...props },
        sysFlag: 0, bornTimestamp: Date.now(), bornHost: '127.0.0.1:50000', storeHost: addr,
        reconsumeTimes: 0, preparedTransactionOffset: 0,
      };
      const r = await store.putMessage(m);
      if (!r.appendResult) throw new Error(`put failed: ${r.status}`);
      ctx.stats.incPut(topic, 1, body.length, 1);
      return { phyOffset: r.appendResult.wroteOffset, queueOffset: r.appendResult.queueOffset, msgId: r.appendResult.msgId };
    },
    createTopic: (topic: string, queues: number, perm = 6) => {
      topics.put(newTopicConfig(topic, { readQueueNums: queues, writeQueueNums: queues, perm }));
    },
    addConsumer: async (group: string, clientId: string, topicList: string[], version = 479) => {
      const c = new RemotingClient({ connectTimeoutMs: 2000 });
      extraClients.push(c);
      const before = new Set(server.channels);
      // any request opens the connection; the admin table answers this one
      await c.invoke(addr, RemotingCommand.createRequest(28), 5000);
      const channel = [...server.channels].find((ch) => !before.has(ch));
      if (!channel) throw new Error('no new server channel');
      ctx.consumers.register({
        group,
        info: { channel, clientId, language: 'JAVA', version, lastUpdate: Date.now() },
        consumeType: 'CONSUME_PASSIVELY',
        messageModel: 'CLUSTERING',
        consumeFromWhere: 'CONSUME_FROM_LAST_OFFSET',
        subscriptions: topicList.map((t) => subscription(t)),
        notify: false,
      });
      return { client: c, channel };
    },
    close: async () => {
      client.close();
      for (const c of extraClients) c.close();
      await server.close();
      await store.shutdown();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  });
  return h;
}
