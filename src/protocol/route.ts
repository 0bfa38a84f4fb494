/**
 * Route bodies exchanged with the name server (requests.md §5, §7; semantics.md §13):
 * DataVersion, TopicConfig, QueueData, BrokerData, TopicRouteData, ClusterInfo,
 * TopicConfigSerializeWrapper and RegisterBrokerBody (plain JSON and the deflated REGISTER_BROKER form).
 */
import { putOwn } from './body.js';
import zlib from 'node:zlib';
import { stringifyFastjson } from '../common/fastjson.js';
import {
  type EncodeOptions,
  type JsonObject,
  BodyDecodeError,
  asArray,
  asBool,
  asInt,
  asNumber,
  asObject,
  asString,
  asStringArray,
  asStringMap,
  encodeJson,
  mapEntries,
  parseObjectBody,
} from './body.js';

// ---------------------------------------------------------------- DataVersion

export interface DataVersion {
  counter: number;
  /** 5.x only; 4.9.8 has no such member. */
  stateVersion: number;
  timestamp: number;
}

export function newDataVersion(now = Date.now()): DataVersion {
  return { counter: 0, stateVersion: 0, timestamp: now };
}

/** DataVersion.nextVersion(): counter+1, timestamp now. */
export function nextDataVersion(dv: DataVersion, now = Date.now()): DataVersion {
  return { counter: dv.counter + 1, stateVersion: dv.stateVersion, timestamp: now };
}

/** Java DataVersion.equals: same stateVersion, timestamp and counter. */
export function dataVersionEquals(a: DataVersion | undefined, b: DataVersion | undefined): boolean {
  if (!a || !b) return a === b;
  return a.counter === b.counter && a.stateVersion === b.stateVersion && a.timestamp === b.timestamp;
}

export function dataVersionFromJson(v: unknown): DataVersion {
  const o = asObject(v) ?? {};
  return {
    counter: asNumber(o.counter, 0),
    stateVersion: asNumber(o.stateVersion, 0),
    timestamp: asNumber(o.timestamp, 0),
  };
}

export function dataVersionToJson(dv: DataVersion, opts: { legacy?: boolean } = {}): JsonObject {
  return opts.legacy
    ? { counter: dv.counter, timestamp: dv.timestamp }
    : { counter: dv.counter, stateVersion: dv.stateVersion, timestamp: dv.timestamp };
}

export function encodeDataVersion(dv: DataVersion, opts: EncodeOptions & { legacy?: boolean } = {}): Buffer {
  return encodeJson(dataVersionToJson(dv, opts), opts);
}

export function decodeDataVersion(body: Buffer | string): DataVersion {
  return dataVersionFromJson(parseObjectBody(body, 'DataVersion'));
}

// ---------------------------------------------------------------- TopicConfig

export type TopicFilterType = 'SINGLE_TAG' | 'MULTI_TAG';

export interface TopicConfig {
  topicName: string;
  readQueueNums: number;
  writeQueueNums: number;
  perm: number;
  topicFilterType: TopicFilterType;
  topicSysFlag: number;
  order: boolean;
  /** 5.x only. */
  attributes: Record<string, string>;
}

/** Java TopicConfig defaults: 16 queues, perm RW (6), SINGLE_TAG. */
export function newTopicConfig(topicName: string, p: Partial<TopicConfig> = {}): TopicConfig {
  return {
    topicName,
    readQueueNums: p.readQueueNums ?? 16,
    writeQueueNums: p.writeQueueNums ?? 16,
    perm: p.perm ?? 6,
    topicFilterType: p.topicFilterType ?? 'SINGLE_TAG',
    topicSysFlag: p.topicSysFlag ?? 0,
    order: p.order ?? false,
    attributes: p.attributes ?? {},
  };
}

export function topicConfigFromJson(v: unknown, nameHint?: string): TopicConfig {
  const o = asObject(v) ?? {};
  const filter = asString(o.topicFilterType);
  return newTopicConfig(asString(o.topicName) ?? nameHint ?? '', {
    readQueueNums: asInt(o.readQueueNums, 16),
    writeQueueNums: asInt(o.writeQueueNums, 16),
    perm: asInt(o.perm, 6),
    topicFilterType: filter === 'MULTI_TAG' ? 'MULTI_TAG' : 'SINGLE_TAG',
    topicSysFlag: asInt(o.topicSysFlag, 0),
    order: asBool(o.order, false),
    attributes: asStringMap(o.attributes),
  });
}

export function topicConfigToJson(tc: TopicConfig, opts: { legacy?: boolean } = {}): JsonObject {
  const o: JsonObject = {
    order: tc.order,
    perm: tc.perm,
    readQueueNums: tc.readQueueNums,
    topicFilterType: tc.topicFilterType,
    topicName: tc.topicName,
    topicSysFlag: tc.topicSysFlag,
    writeQueueNums: tc.writeQueueNums,
  };
  if (!opts.legacy) o.attributes = { ...tc.attributes };
  return o;
}

/**
 * TopicConfig.encode(): the space-separated line of the compressed REGISTER_BROKER body.
 * 4.9.8: 5 fields; 5.x adds the attributes JSON as a sixth (a 4.9.8 decoder rejects that form).
 */
export function encodeTopicConfigLine(tc: TopicConfig, opts: { legacy?: boolean } = {}): string {
  const base = `${tc.topicName} ${tc.readQueueNums} ${tc.writeQueueNums} ${tc.perm} ${tc.topicFilterType}`;
  return opts.legacy ? base : `${base} ${stringifyFastjson(tc.attributes ?? {})}`;
}

/** TopicConfig.decode(): 5 or 6 fields; topicSysFlag/order are not carried (defaults). */
export function decodeTopicConfigLine(line: string): TopicConfig {
  const parts = line.split(' ');
  if (parts.length < 5) throw new Error(`bad topic config line: ${JSON.stringify(line.slice(0, 200))}`);
  const num = (s: string, what: string): number => {
    if (!/^[+-]?\d+$/.test(s)) throw new Error(`bad ${what} in topic config line: ${JSON.stringify(s)}`);
    return Number(s);
  };
  const attrs = parts.length > 5 ? parts.slice(5).join(' ') : undefined;
  let attributes: Record<string, string> = {};
  if (attrs !== undefined) {
    const o = parseObjectBody(attrs, 'TopicConfig attributes');
    attributes = asStringMap(o);
  }
  return newTopicConfig(parts[0], {
    readQueueNums: num(parts[1], 'readQueueNums'),
    writeQueueNums: num(parts[2], 'writeQueueNums'),
    perm: num(parts[3], 'perm'),
    topicFilterType: parts[4] === 'MULTI_TAG' ? 'MULTI_TAG' : 'SINGLE_TAG',
    attributes,
  });
}

// ---------------------------------------------------------------- QueueData / BrokerData / TopicRouteData

export interface QueueData {
  brokerName: string;
  readQueueNums: number;
  writeQueueNums: number;
  perm: number;
  topicSysFlag: number;
}

export interface BrokerData {
  cluster: string;
  brokerName: string;
  /** brokerId (0 master, > 0 slaves) -> "ip:port". */
  brokerAddrs: Map<number, string>;
  /** 5.x only (absent from 4.9.8 bodies). */
  enableActingMaster?: boolean;
  zoneName?: string;
}

export interface TopicRouteData {
  orderTopicConf?: string;
  queueDatas: QueueData[];
  brokerDatas: BrokerData[];
  /** broker address -> filter server addresses. */
  filterServerTable: Record<string, string[]>;
  /** 5.x static topics: brokerName -> TopicQueueMappingInfo JSON object, kept as-is. */
  topicQueueMappingByBroker?: Record<string, unknown>;
}

export function queueDataFromJson(v: unknown): QueueData {
  const o = asObject(v) ?? {};
  return {
    brokerName: asString(o.brokerName) ?? '',
    readQueueNums: asInt(o.readQueueNums, 0),
    writeQueueNums: asInt(o.writeQueueNums, 0),
    perm: asInt(o.perm, 0),
    // the member was called topicSynFlag before 4.9.0
    topicSysFlag: asInt(o.topicSysFlag ?? o.topicSynFlag, 0),
  };
}

export function queueDataToJson(q: QueueData): JsonObject {
  return {
    brokerName: q.brokerName,
    perm: q.perm,
    readQueueNums: q.readQueueNums,
    topicSysFlag: q.topicSysFlag,
    writeQueueNums: q.writeQueueNums,
  };
}

function brokerAddrsFromJson(v: unknown): Map<number, string> {
  const m = new Map<number, string>();
  for (const [k, val] of mapEntries(v)) {
    const id = asInt(k);
    const addr = asString(val);
    if (id !== undefined && addr !== undefined) m.set(id, addr);
  }
  return new Map([...m.entries()].sort((a, b) => a[0] - b[0]));
}

export function brokerDataFromJson(v: unknown): BrokerData {
  const o = asObject(v) ?? {};
  const bd: BrokerData = {
    cluster: asString(o.cluster) ?? '',
    brokerName: asString(o.brokerName) ?? '',
    brokerAddrs: brokerAddrsFromJson(o.brokerAddrs),
  };
  const eam = asBool(o.enableActingMaster);
  if (eam !== undefined) bd.enableActingMaster = eam;
  const zone = asString(o.zoneName);
  if (zone !== undefined) bd.zoneName = zone;
  return bd;
}

/** Native dialect: brokerAddrs as a Long-keyed map (keys unquoted), ascending as Java's HashMap iterates. */
export function brokerDataToJson(bd: BrokerData, opts: { legacy?: boolean } = {}): JsonObject {
  const addrs = new Map([...bd.brokerAddrs.entries()].sort((a, b) => a[0] - b[0]));
  const o: JsonObject = { brokerAddrs: addrs, brokerName: bd.brokerName, cluster: bd.cluster };
  if (!opts.legacy) {
    o.enableActingMaster = bd.enableActingMaster ?? false;
    if (bd.zoneName !== undefined) o.zoneName = bd.zoneName;
  }
  return o;
}

export function cloneBrokerData(bd: BrokerData): BrokerData {
  return { ...bd, brokerAddrs: new Map(bd.brokerAddrs) };
}

/** The address clients use: the master's (id 0), else the lowest id (Java BrokerData.selectBrokerAddr picks randomly). */
export function selectBrokerAddr(bd: BrokerData): string | undefined {
  const master = bd.brokerAddrs.get(0);
  if (master !== undefined) return master;
  const ids = [...bd.brokerAddrs.keys()].sort((a, b) => a - b);
  return ids.length ? bd.brokerAddrs.get(ids[0]) : undefined;
}

export function topicRouteDataToJson(rd: TopicRouteData, opts: { legacy?: boolean } = {}): JsonObject {
  const o: JsonObject = {
    brokerDatas: rd.brokerDatas.map((b) => brokerDataToJson(b, opts)),
    filterServerTable: { ...rd.filterServerTable },
    queueDatas: rd.queueDatas.map(queueDataToJson),
  };
  if (rd.orderTopicConf !== undefined) o.orderTopicConf = rd.orderTopicConf;
  if (rd.topicQueueMappingByBroker !== undefined) o.topicQueueMappingByBroker = rd.topicQueueMappingByBroker;
  return o;
}

/**
 * GET_ROUTEINFO_BY_TOPIC body. `standard: true` for requests with version >= 401 (V4_9_4) or
 * acceptStandardJsonOnly=true; otherwise the native dialect with unquoted broker ids.
 */
export function encodeTopicRouteData(rd: TopicRouteData, opts: EncodeOptions & { legacy?: boolean } = {}): Buffer {
  return encodeJson(topicRouteDataToJson(rd, opts), opts);
}

/** Route body in either dialect. */
export function decodeTopicRouteData(body: Buffer | string): TopicRouteData {
  const o = parseObjectBody(body, 'TopicRouteData');
  const fst: Record<string, string[]> = {};
  for (const [k, v] of mapEntries(o.filterServerTable)) {
    const key = asString(k);
    if (key !== undefined) putOwn(fst, key, asStringArray(v));
  }
  const rd: TopicRouteData = {
    queueDatas: asArray(o.queueDatas).map(queueDataFromJson),
    brokerDatas: asArray(o.brokerDatas).map(brokerDataFromJson),
    filterServerTable: fst,
  };
  const otc = asString(o.orderTopicConf);
  if (otc !== undefined) rd.orderTopicConf = otc;
  const mapping = asObject(o.topicQueueMappingByBroker);
  if (mapping) rd.topicQueueMappingByBroker = mapping;
  return rd;
}

/** Java routes compare by queueDatas/brokerDatas content; used by clients to detect route changes. */
export function topicRouteDataEquals(a: TopicRouteData, b: TopicRouteData): boolean {
  const canon = (rd: TopicRouteData): string => {
    const j = topicRouteDataToJson({
      ...rd,
      queueDatas: [...rd.queueDatas].sort((x, y) => x.brokerName.localeCompare(y.brokerName)),
      brokerDatas: [...rd.brokerDatas].sort((x, y) => x.brokerName.localeCompare(y.brokerName)),
    });
    return stringifyFastjson(j, { standard: true });
  };
  return canon(a) === canon(b);
}

// ---------------------------------------------------------------- ClusterInfo

export interface ClusterInfo {
  brokerAddrTable: Record<string, BrokerData>;
  clusterAddrTable: Record<string, string[]>;
}

/** GET_BROKER_CLUSTER_INFO body: always the native dialect. */
export function encodeClusterInfo(ci: ClusterInfo, opts: EncodeOptions & { legacy?: boolean } = {}): Buffer {
  const bat: JsonObject = {};
  for (const [name, bd] of Object.entries(ci.brokerAddrTable)) putOwn(bat, name, brokerDataToJson(bd, opts));
  const cat: JsonObject = {};
  for (const [c, names] of Object.entries(ci.clusterAddrTable)) putOwn(cat, c, [...names]);
  return encodeJson({ brokerAddrTable: bat, clusterAddrTable: cat }, opts);
}

export function decodeClusterInfo(body: Buffer | string): ClusterInfo {
  const o = parseObjectBody(body, 'ClusterInfo');
  const bat: Record<string, BrokerData> = {};
  for (const [k, v] of mapEntries(o.brokerAddrTable)) {
    const key = asString(k);
    if (key !== undefined) putOwn(bat, key, brokerDataFromJson(v));
  }
  const cat: Record<string, string[]> = {};
  for (const [k, v] of mapEntries(o.clusterAddrTable)) {
    const key = asString(k);
    if (key !== undefined) putOwn(cat, key, asStringArray(v));
  }
  return { brokerAddrTable: bat, clusterAddrTable: cat };
}

// ---------------------------------------------------------------- TopicConfigSerializeWrapper / RegisterBrokerBody

export interface TopicConfigSerializeWrapper {
  topicConfigTable: Record<string, TopicConfig>;
  dataVersion: DataVersion;
  /** 5.x TopicConfigAndMappingSerializeWrapper members, kept as raw JSON objects. */
  mappingDataVersion?: DataVersion;
  topicQueueMappingInfoMap?: Record<string, unknown>;
  topicQueueMappingDetailMap?: Record<string, unknown>;
}

export interface RegisterBrokerBody {
  topicConfigSerializeWrapper: TopicConfigSerializeWrapper;
  filterServerList: string[];
}

export function topicConfigWrapperFromJson(v: unknown): TopicConfigSerializeWrapper {
  const o = asObject(v) ?? {};
  const table: Record<string, TopicConfig> = {};
  for (const [k, val] of mapEntries(o.topicConfigTable)) {
    const name = asString(k);
    if (name === undefined) continue;
    putOwn(table, name, topicConfigFromJson(val, name));
  }
  const w: TopicConfigSerializeWrapper = { topicConfigTable: table, dataVersion: dataVersionFromJson(o.dataVersion) };
  if (o.mappingDataVersion !== undefined) w.mappingDataVersion = dataVersionFromJson(o.mappingDataVersion);
  const info = asObject(o.topicQueueMappingInfoMap);
  if (info) w.topicQueueMappingInfoMap = info;
  const detail = asObject(o.topicQueueMappingDetailMap);
  if (detail) w.topicQueueMappingDetailMap = detail;
  return w;
}

/**
 * `withMapping` (default true): the 5.x TopicConfigAndMappingSerializeWrapper members (REGISTER_BROKER,
 * GET_ALL_TOPIC_CONFIG); false for topics.json, which is a plain TopicConfigSerializeWrapper.
 */
export function topicConfigWrapperToJson(w: TopicConfigSerializeWrapper, opts: { legacy?: boolean; withMapping?: boolean } = {}): JsonObject {
  const table: JsonObject = {};
  for (const [k, tc] of Object.entries(w.topicConfigTable)) putOwn(table, k, topicConfigToJson(tc, opts));
  const o: JsonObject = { dataVersion: dataVersionToJson(w.dataVersion, opts), topicConfigTable: table };
  if (!opts.legacy && opts.withMapping !== false) {
    o.mappingDataVersion = dataVersionToJson(w.mappingDataVersion ?? newDataVersion(w.dataVersion.timestamp));
    o.topicQueueMappingDetailMap = w.topicQueueMappingDetailMap ?? {};
    o.topicQueueMappingInfoMap = w.topicQueueMappingInfoMap ?? {};
  }
  return o;
}

/** GET_ALL_TOPIC_CONFIG body / topics.json content. */
export function encodeTopicConfigWrapper(w: TopicConfigSerializeWrapper, opts: EncodeOptions & { legacy?: boolean; withMapping?: boolean } = {}): Buffer {
  return encodeJson(topicConfigWrapperToJson(w, opts), opts);
}

export function decodeTopicConfigWrapper(body: Buffer | string): TopicConfigSerializeWrapper {
  return topicConfigWrapperFromJson(parseObjectBody(body, 'TopicConfigSerializeWrapper'));
}

export interface RegisterBodyOptions {
  /** Deflated form (`compressed=true` header). */
  compressed?: boolean;
  /** 4.9.8 shapes (no stateVersion, no attributes, no static-topic members / section). */
  legacy?: boolean;
}

/** Encode a REGISTER_BROKER body, plain JSON or the deflated binary form (requests.md §5). */
export function encodeRegisterBrokerBody(b: RegisterBrokerBody, opts: RegisterBodyOptions = {}): Buffer {
  const legacy = !!opts.legacy;
  if (!opts.compressed) {
    return encodeJson({
      filterServerList: [...b.filterServerList],
      topicConfigSerializeWrapper: topicConfigWrapperToJson(b.topicConfigSerializeWrapper, { legacy }),
    });
  }
  const parts: Buffer[] = [];
  const int = (n: number): void => {
    const x = Buffer.alloc(4);
    x.writeInt32BE(n);
    parts.push(x);
  };
  const chunk = (s: string): void => {
    const buf = Buffer.from(s, 'utf8');
    int(buf.length);
    parts.push(buf);
  };
  const w = b.topicConfigSerializeWrapper;
  chunk(stringifyFastjson(dataVersionToJson(w.dataVersion, { legacy })));
  const topics = Object.values(w.topicConfigTable);
  int(topics.length);
  for (const tc of topics) chunk(encodeTopicConfigLine(tc, { legacy }));
  chunk(stringifyFastjson(b.filterServerList));
  if (!legacy) {
    const mappings = Object.values(w.topicQueueMappingInfoMap ?? {});
    int(mappings.length);
    for (const m of mappings) chunk(stringifyFastjson(m));
  }
  return zlib.deflateSync(Buffer.concat(parts), { level: zlib.constants.Z_BEST_COMPRESSION });
}

/** Bounds-checked reader over an inflated REGISTER_BROKER body. */
class ChunkReader {
  pos = 0;
  constructor(readonly buf: Buffer) {}
  remaining(): number {
    return this.buf.length - this.pos;
  }
  int(what: string): number {
    if (this.remaining() < 4) throw new Error(`truncated compressed body reading ${what}`);
    const n = this.buf.readInt32BE(this.pos);
    this.pos += 4;
    return n;
  }
  bytes(n: number, what: string): Buffer {
    if (n < 0 || n > this.remaining()) throw new Error(`bad length ${n} for ${what} in compressed body`);
    const b = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }
  text(what: string): string {
    return this.bytes(this.int(what), what).toString('utf8');
  }
}

/** Upper bound on inflated REGISTER_BROKER bodies: a hostile deflate stream must not exhaust memory. */
export const MAX_INFLATED = 64 * 1024 * 1024;

/**
 * Decode a REGISTER_BROKER body. `compressed` selects the deflated format; `version` < 37 (V3_0_11) means the
 * body is a bare TopicConfigSerializeWrapper. The static-topic section of the deflated form is read when present.
 */
export function decodeRegisterBrokerBody(
  body: Buffer | undefined | null,
  opts: { compressed?: boolean; version?: number } = {},
): RegisterBrokerBody {
  if (!body || body.length === 0) {
    return { topicConfigSerializeWrapper: { topicConfigTable: {}, dataVersion: newDataVersion(0) }, filterServerList: [] };
  }
  // 5.x brokers with compressedRegister=true deflate the body but still send compressed=false (requests.md §5):
  // a zlib stream header (0x78, check bits) cannot start a JSON text, so such a body is read as the deflated form
  const zlibHeader = body.length >= 2 && (body[0] & 0x0f) === 8 && ((body[0] << 8) | body[1]) % 31 === 0;
  if (!opts.compressed && !zlibHeader) {
    const o = parseObjectBody(body, 'RegisterBrokerBody');
    if (opts.version !== undefined && opts.version < 37) {
      return { topicConfigSerializeWrapper: topicConfigWrapperFromJson(o), filterServerList: [] };
    }
    return {
      topicConfigSerializeWrapper: topicConfigWrapperFromJson(o.topicConfigSerializeWrapper),
      filterServerList: asStringArray(o.filterServerList),
    };
  }
  let raw: Buffer;
  try {
    raw = zlib.inflateSync(body, { maxOutputLength: MAX_INFLATED });
  } catch (e) {
    throw new BodyDecodeError('compressed RegisterBrokerBody', e);
  }
  try {
    const r = new ChunkReader(raw);
    const dataVersion = decodeDataVersion(r.text('dataVersion'));
    const count = r.int('topic count');
    if (count < 0) throw new Error(`negative topic count ${count}`);
    const table: Record<string, TopicConfig> = {};
    for (let i = 0; i < count; i++) {
      const tc = decodeTopicConfigLine(r.text('topic config'));
      putOwn(table, tc.topicName, tc);
    }
    const fsText = r.text('filter server list');
    let filterServerList: string[] = [];
    try {
      filterServerList = asStringArray(parseObjectOrArray(fsText));
    } catch {
      // Java logs a bad filter-server list and goes on with an empty one
      filterServerList = [];
    }
    const wrapper: TopicConfigSerializeWrapper = { topicConfigTable: table, dataVersion };
    if (r.remaining() >= 4) {
      const n = r.int('mapping count');
      const infos: Record<string, unknown> = {};
      for (let i = 0; i < n; i++) {
        const info = parseObjectBody(r.text('mapping'), 'TopicQueueMappingInfo');
        putOwn(infos, asString(info.topic) ?? String(i), info);
      }
      wrapper.topicQueueMappingInfoMap = infos;
    }
    return { topicConfigSerializeWrapper: wrapper, filterServerList };
  } catch (e) {
    if (e instanceof BodyDecodeError) throw e;
    throw new BodyDecodeError('compressed RegisterBrokerBody', e);
  }
}

function parseObjectOrArray(text: string): unknown {
  const t = text.trim();
  if (t === 'null' || t === '') return [];
  return parseObjectBody(`{"v":${t}}`, 'filter server list').v;
}

// ---------------------------------------------------------------- BrokerMemberGroup (GET_BROKER_MEMBER_GROUP, 5.x)

export interface BrokerMemberGroup {
  cluster: string;
  brokerName: string;
  brokerAddrs: Map<number, string>;
}

/** GetBrokerMemberGroupResponseBody: `{"brokerMemberGroup":{"brokerAddrs":{0:"…"},"brokerName":…,"cluster":…}}`. */
export function encodeBrokerMemberGroupBody(g: BrokerMemberGroup, opts: EncodeOptions = {}): Buffer {
  const addrs = new Map([...g.brokerAddrs.entries()].sort((a, b) => a[0] - b[0]));
  return encodeJson({ brokerMemberGroup: { brokerAddrs: addrs, brokerName: g.brokerName, cluster: g.cluster } }, opts);
}

export function decodeBrokerMemberGroupBody(body: Buffer | string): BrokerMemberGroup {
  const o = asObject(parseObjectBody(body, 'GetBrokerMemberGroupResponseBody').brokerMemberGroup) ?? {};
  return { cluster: asString(o.cluster) ?? '', brokerName: asString(o.brokerName) ?? '', brokerAddrs: brokerAddrsFromJson(o.brokerAddrs) };
}
