// Seeded fuzz: 10,000 random and mutated frames against a live name server over many connections; afterwards
// it must still answer valid requests and hold no stale connections. Bounded: fixed frame count, small frames.
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodyCrc } from '../../../src/common/crc32.js';
import { type NamesrvHandle, startNamesrv } from '../../../src/namesrv/index.js';
import { RemotingClient } from '../../../src/remoting/client.js';
import { RemotingCommand } from '../../../src/remoting/command.js';
import { encodeFrame } from '../../../src/remoting/frame.js';
import { RequestCode } from '../../../src/protocol/codes.js';
import { encodeRegisterBrokerBody, encodeDataVersion } from '../../../src/protocol/route.js';
import { getClusterInfo, getRoute, registerBroker, topic, waitFor } from './helpers.js';
import { mulberry32 } from '../../helpers/index.js';

const SEED = 0x5eed2026;
const TOTAL = 10_000;
const LANES = 6;

const rng = mulberry32;

const NAMESRV_CODES = [
  RequestCode.PUT_KV_CONFIG, RequestCode.GET_KV_CONFIG, RequestCode.DELETE_KV_CONFIG, RequestCode.REGISTER_BROKER,
  RequestCode.UNREGISTER_BROKER, RequestCode.GET_ROUTEINFO_BY_TOPIC, RequestCode.GET_BROKER_CLUSTER_INFO,
  RequestCode.WIPE_WRITE_PERM_OF_BROKER, RequestCode.ADD_WRITE_PERM_OF_BROKER, RequestCode.GET_ALL_TOPIC_LIST_FROM_NAMESERVER,
  RequestCode.DELETE_TOPIC_IN_NAMESRV, RequestCode.REGISTER_TOPIC_IN_NAMESRV, RequestCode.GET_KVLIST_BY_NAMESPACE,
  RequestCode.GET_TOPICS_BY_CLUSTER, RequestCode.GET_SYSTEM_TOPIC_LIST_FROM_NS, RequestCode.GET_UNIT_TOPIC_LIST,
  RequestCode.GET_NAMESRV_CONFIG, RequestCode.QUERY_DATA_VERSION, RequestCode.BROKER_HEARTBEAT,
];
const KEYS = ['topic', 'namespace', 'key', 'value', 'brokerName', 'brokerAddr', 'clusterName', 'haServerAddr', 'brokerId',
  'compressed', 'bodyCrc32', 'cluster', 'acceptStandardJsonOnly', 'heartbeatTimeoutMillis', 'enableActingMaster', '__ZONE_NAME'];

class Gen {
  constructor(readonly r: () => number) {}
  int(n: number): number {
    return Math.floor(this.r() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }
  bytes(n: number): Buffer {
    const b = Buffer.alloc(n);
    for (let i = 0; i < n; i++) b[i] = this.int(256);
    return b;
  }
  value(): string {
    switch (this.int(9)) {
      case 0: return String(this.int(5));
      case 1: return String(-1 - this.int(1 << 30));
      case 2: return this.pick(['true', 'false', 'TRUE', '', ' ', 'null']);
      case 3: return '9'.repeat(1 + this.int(30));
      case 4: return `10.0.${this.int(4)}.${this.int(4)}:${10911 + this.int(3)}`;
      case 5: return this.pick(['T', 'TopicA', 'ORDER_TOPIC_CONFIG', 'C', 'b']) + this.int(3);
      case 6: return 'x'.repeat(this.int(2000));
      case 7: return '\u0001\u0002"\\{}ü漢';
      default: return this.bytes(this.int(12)).toString('latin1');
    }
  }
  body(): Buffer | undefined {
    switch (this.int(7)) {
      case 0: return undefined;
      case 1: return this.bytes(this.int(200));
      case 2: return Buffer.from('{"topicConfigSerializeWrapper":{"topicConfigTable":{"F":{"readQueueNums":"x","perm":6}}},"filterServerList":[1,null]}');
      case 3: return zlib.deflateSync(this.bytes(this.int(64)));
      case 4: return encodeRegisterBrokerBody(
        { filterServerList: [], topicConfigSerializeWrapper: { dataVersion: { counter: this.int(3), stateVersion: 0, timestamp: 1 }, topicConfigTable: { [`F${this.int(5)}`]: topic(`F${this.int(5)}`, this.int(9), this.int(9)) } } },
        { compressed: this.r() < 0.5 },
      );
      case 5: return encodeDataVersion({ counter: this.int(3), stateVersion: 0, timestamp: this.int(3) });
      default: return Buffer.from('{"queueDatas":[{"brokerName":"b1","perm":"6","readQueueNums":{}}]}');
    }
  }
  /** Plausible header fields for a code, so that requests get past header checks into the processors. */
  template(code: number): Record<string, string> {
    const broker = {
      brokerName: `b${this.int(4)}`,
      brokerAddr: `10.0.${this.int(3)}.${this.int(3)}:10911`,
      clusterName: `C${this.int(3)}`,
      brokerId: String(this.int(3)),
    };
    switch (code) {
      case RequestCode.REGISTER_BROKER:
        return { ...broker, haServerAddr: '10.0.0.1:10912', compressed: String(this.r() < 0.5), bodyCrc32: this.pick(['0', '0', String(this.int(1 << 30))]) };
      case RequestCode.UNREGISTER_BROKER:
      case RequestCode.QUERY_DATA_VERSION:
      case RequestCode.BROKER_HEARTBEAT:
        return broker;
      case RequestCode.GET_ROUTEINFO_BY_TOPIC:
      case RequestCode.DELETE_TOPIC_IN_NAMESRV:
      case RequestCode.REGISTER_TOPIC_IN_NAMESRV:
        return { topic: `F${this.int(5)}`, ...(this.r() < 0.3 ? { clusterName: broker.clusterName } : {}) };
      case RequestCode.PUT_KV_CONFIG:
      case RequestCode.GET_KV_CONFIG:
      case RequestCode.DELETE_KV_CONFIG:
      case RequestCode.GET_KVLIST_BY_NAMESPACE:
        return { namespace: `NS${this.int(3)}`, key: `k${this.int(5)}`, value: this.value().slice(0, 50) };
      case RequestCode.WIPE_WRITE_PERM_OF_BROKER:
      case RequestCode.ADD_WRITE_PERM_OF_BROKER:
        return { brokerName: broker.brokerName };
      case RequestCode.GET_TOPICS_BY_CLUSTER:
        return { cluster: broker.clusterName };
      default:
        return {};
    }
  }
  /** A structurally valid frame with random code, fields and body. */
  validFrame(): Buffer {
    const code = this.r() < 0.85 ? this.pick(NAMESRV_CODES) : this.int(70000) - 1000;
    // half the requests start from a plausible header, then get fields dropped, replaced or added
    const fields: Record<string, string> = this.r() < 0.5 ? this.template(code) : {};
    const names = Object.keys(fields);
    if (names.length && this.r() < 0.3) delete fields[this.pick(names)];
    const n = this.int(names.length ? 3 : 7);
    for (let i = 0; i < n; i++) fields[this.pick(KEYS)] = this.value();
    let body = this.body();
    if (code === RequestCode.REGISTER_BROKER && names.length && this.r() < 0.6) {
      // a consistent registration: body in the announced form, crc absent or right
      const compressed = fields.compressed === 'true';
      body = encodeRegisterBrokerBody(
        { filterServerList: [], topicConfigSerializeWrapper: { dataVersion: { counter: this.int(3), stateVersion: 0, timestamp: 1 }, topicConfigTable: { [`F${this.int(5)}`]: topic(`F${this.int(5)}`, this.int(9), this.int(9)) } } },
        { compressed },
      );
      fields.bodyCrc32 = this.r() < 0.5 ? '0' : String(bodyCrc(body));
    }
    const cmd = RemotingCommand.createRequest(code, fields, body);
    if (this.r() < 0.2) cmd.markOneway();
    if (this.r() < 0.05) cmd.markResponse();
    if (this.r() < 0.3) cmd.version = this.int(500);
    if (this.r() < 0.1) cmd.remark = this.value();
    // binary headers truncate codes beyond 16 bits (remoting.md §3); keep those on JSON
    cmd.serializeType = this.r() < 0.35 && code >= -32768 && code <= 32767 ? 1 : 0;
    return encodeFrame(cmd);
  }
  /** A broken frame: mutated valid frame, lying lengths, unknown serialize type, or noise. */
  badFrame(): Buffer {
    const f = Buffer.from(this.validFrame());
    switch (this.int(7)) {
      case 0: {
        const flips = 1 + this.int(6);
        for (let i = 0; i < flips; i++) f[this.int(f.length)] ^= 1 << this.int(8);
        return f;
      }
      case 1: return f.subarray(0, this.int(f.length));
      case 2: f.writeInt32BE(this.pick([-1, 0, 3, 0x7fffffff, 16 * 1024 * 1024 + 1, this.int(1 << 20)]), 0); return f;
      case 3: f[4] = this.pick([2, 7, 0x16, 0xff]); return f;
      case 4: f.writeUInt32BE(((f[4] << 24) | (0xffffff & this.int(1 << 24))) >>> 0, 4); return f;
      case 5: {
        const junk = this.bytes(4 + this.int(300));
        junk.writeInt32BE(junk.length - 4, 0);
        return junk;
      }
      default: return this.bytes(this.int(64));
    }
  }
}

let ns: NamesrvHandle;
let tmp: string;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'mqctl-nsfuzz-'));
  ns = await startNamesrv({ host: '127.0.0.1', port: 0, kvConfigPath: join(tmp, 'kvConfig.json'), config: { configStorePath: join(tmp, 'ns.properties') } });
});

afterAll(async () => {
  await ns.close();
  rmSync(tmp, { recursive: true, force: true });
});

/** Open a connection, write the frames, end it and wait until both sides are closed. */
function sendBatch(port: number, frames: Buffer[]): Promise<void> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    const done = (): void => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => s.destroy(), 5000);
    s.on('error', () => undefined);
    s.on('close', done);
    s.on('data', () => undefined);
    s.once('connect', () => {
      for (const f of frames) s.write(f);
      s.end();
    });
  });
}

describe('namesrv fuzz', () => {
  it(`survives ${TOTAL} random and mutated frames (seed ${SEED.toString(16)})`, async () => {
    const g = new Gen(rng(SEED));
    let registrations = 0;
    const register = ns.routes.registerBroker.bind(ns.routes);
    ns.routes.registerBroker = (p) => {
      registrations++;
      return register(p);
    };
    let sent = 0;
    let good = 0;
    const nextBatch = (): Buffer[] | undefined => {
      if (sent >= TOTAL) return undefined;
      const frames: Buffer[] = [];
      // well-formed frames first (they reach processors), at most one broken frame last (it ends the connection)
      const nValid = g.int(12);
      for (let i = 0; i < nValid && sent < TOTAL; i++, sent++, good++) frames.push(g.validFrame());
      if (sent < TOTAL && g.r() < 0.8) {
        frames.push(g.badFrame());
        sent++;
      }
      return frames;
    };
    const lane = async (): Promise<void> => {
      for (let b = nextBatch(); b; b = nextBatch()) await sendBatch(ns.port, b);
    };
    await Promise.all(Array.from({ length: LANES }, lane));
    expect(sent).toBe(TOTAL);
    expect(good).toBeGreaterThan(TOTAL / 2);

    // the fuzz reached deep into the processors: registrations and KV puts took effect (brokers registered by
    // fuzz connections are gone again, since those connections closed)
    expect(registrations).toBeGreaterThan(50);
    expect(ns.kv.list('NS0') ?? ns.kv.list('NS1') ?? ns.kv.list('NS2')).toBeDefined();

    // every fuzz connection is gone from the server
    expect(await waitFor(() => ns.server.channels.size === 0, 15_000)).toBe(true);

    // and it still serves valid requests
    const c = new RemotingClient();
    try {
      const reg = await registerBroker(c, ns.addr, { cluster: 'AfterFuzz', brokerName: 'survivor', brokerId: 0, brokerAddr: '127.0.0.9:10911', topics: [topic('AfterFuzzTopic', 4, 4)] });
      expect(reg.code).toBe(0);
      const r = await getRoute(c, ns.addr, 'AfterFuzzTopic');
      expect(r.code).toBe(0);
      expect(r.route!.brokerDatas[0].brokerAddrs.get(0)).toBe('127.0.0.9:10911');
      expect((await getClusterInfo(c, ns.addr)).info.clusterAddrTable.AfterFuzz).toEqual(['survivor']);
    } finally {
      c.close();
    }
  });
});
