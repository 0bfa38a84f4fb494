#!/usr/bin/env node
// Compatibility matrix against Apache RocketMQ (Java) — `npm run test:compat`.
//
// 1. Builds test/compat/ with Maven (offline when ~/.m2 has everything, else online): our Java programs against
//    the 4.9 and 5.x client jars, plus every runtime jar in target/lib-<line>/.
// 2. Apache namesrv + broker (5.x; COMPAT_APACHE_LINE=4 for 4.9) from those jars: a baseline that proves the
//    harness, then administered by our mqctl, fed and drained by our client, `mqctl admin X` compared with
//    mqadmin, then stopped and its store verified by `mqctl store verify` and served by our broker.
// 3. Our standalone namesrv + broker: every Java program of both client lines, and Apache's mqadmin.
// Writes test/compat/RESULTS.md and prints "N passed, N failed". Exit 0 when every cell ran, unless
// COMPAT_STRICT=1 (then any failure exits 1).
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  COMPAT_DIR, jarVersion, javaProgram, lineBuilt, makeRocketmqHome, mqadmin, startApache,
} from './lib/apache.mjs';
import { Matrix } from './lib/cells.mjs';
import {
  compareShape, firstJson, judgeConsumer, judgePair, kvLines, payloadLine, tableRows,
} from './lib/checks.mjs';
import { mqctl, mqctlFailure, parseJsonOutput, scalars, startOurs, startOursSplit, waitForRoute } from './lib/ours.mjs';
import { killAll, run } from './lib/proc.mjs';

const STRICT = process.env.COMPAT_STRICT === '1';
const COUNT = Number(process.env.COMPAT_COUNT || 100);
const VOLUME = Number(process.env.COMPAT_VOLUME || 10000);
const APACHE_LINE = process.env.COMPAT_APACHE_LINE === '4' ? '4' : '5';
const WORK = join(COMPAT_DIR, '.work');
// Debugging aid: COMPAT_ONLY=apache or COMPAT_ONLY=ours runs one half of the matrix.
const ONLY = process.env.COMPAT_ONLY || '';
const M = new Matrix({ budgetMs: Number(process.env.COMPAT_BUDGET_S || 720) * 1000 });
const rand = () => Math.random().toString(36).slice(2, 8);

process.on('SIGINT', () => { killAll(); process.exit(130); });
process.on('SIGTERM', () => { killAll(); process.exit(143); });

// ---------------------------------------------------------------- build

async function have(cmd) {
  const r = await run(cmd, ['-version'], { timeoutMs: 30_000 });
  return r.code === 0 || /version/i.test(r.stdout + r.stderr);
}

async function build() {
  const offline = await run('mvn', ['-q', '-B', '-o', 'package'], { cwd: COMPAT_DIR, timeoutMs: 300_000 });
  if (offline.code === 0) return 'offline (~/.m2 cache)';
  const online = await run('mvn', ['-q', '-B', 'package'], { cwd: COMPAT_DIR, timeoutMs: 600_000 });
  if (online.code === 0) return 'online (Maven Central)';
  const why = (online.stdout + online.stderr).split('\n').filter((l) => /ERROR/.test(l)).slice(0, 2).join(' ');
  throw new Error(`mvn package failed: ${why.slice(0, 400)}`);
}

// ---------------------------------------------------------------- Java producer → consumer pairs

/** The program matrix: each producer mode feeds one consumer program/mode. */
function pairs(count) {
  return [
    { name: 'Producer sync → PushConsumer concurrent (RECONSUME_LATER once)', mode: 'sync', consumer: 'PushConsumer', cargs: ['--mode', 'concurrent', '--retry-first', '2'], opts: { retry: true } },
    { name: 'Producer async → LitePullConsumer subscribe', mode: 'async', consumer: 'LitePullConsumer', cargs: ['--mode', 'subscribe'] },
    { name: 'Producer oneway → LitePullConsumer assign+seek', mode: 'oneway', consumer: 'LitePullConsumer', cargs: ['--mode', 'assign'] },
    { name: 'Producer batch → PushConsumer concurrent ×2 (rebalance)', mode: 'batch', consumer: 'PushConsumer', cargs: ['--mode', 'concurrent', '--instances', '2'], opts: { instances: 2, allowDuplicates: true } },
    { name: 'Producer ordered → PushConsumer orderly', mode: 'ordered', consumer: 'PushConsumer', cargs: ['--mode', 'orderly'], opts: { orderly: true } },
    { name: 'Producer delayed (level 1) → PushConsumer concurrent', mode: 'delayed', consumer: 'PushConsumer', cargs: ['--mode', 'concurrent', '--expect-delay-ms', '1000'], count: Math.min(count, 50) },
    { name: 'Producer transactional (commit/rollback/check-back) → PushConsumer', mode: 'transactional', consumer: 'PushConsumer', cargs: ['--mode', 'concurrent'], count: Math.min(count, 30), pargs: ['--check-wait', '40'] },
    { name: 'Producer sync → PushConsumer broadcasting ×2', mode: 'sync', consumer: 'PushConsumer', cargs: ['--mode', 'broadcast', '--instances', '2'], opts: { broadcast: true, instances: 2 } },
  ];
}

async function runPair(env, line, target, p, owner, count) {
  const n = p.count || count;
  const runId = `${p.mode}${rand()}`;
  const topic = `compat_${line}_${p.mode}_${rand()}`;
  const prod = await javaProgram(env, line, 'Producer',
    ['--namesrv', target.nsAddr, '--topic', topic, '--mode', p.mode, '--count', String(n), '--run', runId, ...(p.pargs || [])],
    { owner, timeoutMs: 120_000 });
  if (prod.sent === 0) throw new Error(`producer: nothing acknowledged: ${(prod.errors || [])[0] || ''}`);
  const cons = await javaProgram(env, line, p.consumer,
    ['--namesrv', target.nsAddr, '--topic', topic, '--run', runId, '--expect', String(prod.expected), '--timeout', '45',
      '--group', `compat_g_${runId}`, ...p.cargs], { owner, timeoutMs: 90_000 });
  return judgePair(prod, cons, p.opts);
}

async function javaMatrix(env, section, line, target, { volume }) {
  for (const p of pairs(COUNT)) {
    await M.cell(section, `client ${env.versions[line].client}: ${p.name}`, 150_000, (owner) => runPair(env, line, target, p, owner, COUNT));
  }
  if (volume > 0) {
    await M.cell(section, `client ${env.versions[line].client}: ${volume} messages async → PushConsumer, none lost`, 150_000,
      (owner) => runPair(env, line, target, { mode: 'async', consumer: 'PushConsumer', cargs: ['--mode', 'concurrent'], opts: { allowDuplicates: true }, count: volume }, owner, volume));
  }
}

// ---------------------------------------------------------------- seeding data for admin cells

/** Sends n keyed messages with the Java producer and drains them with a consumer group (offsets committed). */
async function seed(env, line, target, topic, group, n, owner) {
  const runId = `seed${rand()}`;
  const prod = await javaProgram(env, line, 'Producer',
    ['--namesrv', target.nsAddr, '--topic', topic, '--mode', 'sync', '--count', String(n), '--run', runId], { owner });
  if (prod.sent !== n) throw new Error(`seeding: producer acknowledged ${prod.sent}/${n}: ${(prod.errors || [])[0] || ''}`);
  const cons = await javaProgram(env, line, 'PushConsumer',
    ['--namesrv', target.nsAddr, '--topic', topic, '--run', runId, '--expect', String(n), '--group', group, '--timeout', '40', '--linger', '1500'], { owner });
  judgeConsumer(cons, n, { allowDuplicates: true });
  return { runId, samples: prod.samples, n };
}

// ---------------------------------------------------------------- Apache's mqadmin against a cluster

const MQADMIN_CELLS = ['updateTopic -b (4 queues)', 'seed', 'topicList', 'topicRoute', 'topicStatus', 'clusterList', 'brokerStatus',
  'updateSubGroup -b', 'consumerProgress -g', 'queryMsgById', 'queryMsgByKey', 'queryMsgByOffset', 'resetOffsetByTime'];

function mqadminOk(r, what) {
  if (r.failure) throw new Error(`${what}: ${r.failure}`);
  if (r.timedOut) throw new Error(`${what}: killed at time limit`);
}

/** The 12 mqadmin commands of the issue, each a cell, against `target` with the tools jar of `line`. */
async function mqadminSuite(env, section, line, target) {
  const tools = `mqadmin ${env.versions[line].tools}`;
  const ns = ['-n', target.nsAddr];
  const topic = `adm_${line}_${rand()}`;
  const group = `adm_g_${rand()}`;
  const n = 20;
  let data = null;
  const A = (args, owner) => mqadmin(env, line, [...args.slice(0, 1), ...ns, ...args.slice(1)], { owner });
  const needData = () => { if (!data) throw new Error('no seeded data (the seeding cell failed)'); return data; };
  const sumOffsets = (text) => {
    const rows = tableRows(text, topic);
    return { rows: rows.length, broker: rows.reduce((s, c) => s + Number(c[3]), 0), consumer: rows.reduce((s, c) => s + Number(c[4]), 0) };
  };

  await M.cell(section, `${tools} updateTopic -b (4 queues)`, 60_000, async (owner) => {
    const r = await A(['updateTopic', '-b', target.brokerAddr, '-t', topic, '-r', '4', '-w', '4'], owner);
    mqadminOk(r, 'updateTopic');
    if (!/success/i.test(r.stdout)) throw new Error(`no "success" in output: ${r.stdout.trim().slice(0, 200)}`);
    return r.stdout.trim().split('\n').pop().slice(0, 120);
  });
  await M.cell(section, `${tools} seed: Java producer ${n} keyed messages + consumer group`, 120_000, async (owner) => {
    data = await seed(env, line, target, topic, group, n, owner);
    return `${n} sent and consumed by ${group}`;
  });
  await M.cell(section, `${tools} topicList`, 60_000, async (owner) => {
    const r = await A(['topicList'], owner);
    mqadminOk(r, 'topicList');
    const topics = r.stdout.split('\n').map((l) => l.trim());
    if (!topics.includes(topic)) throw new Error(`${topic} not listed among ${topics.length} lines`);
    return `${topics.filter(Boolean).length} topics, ${topic} among them`;
  });
  await M.cell(section, `${tools} topicRoute`, 60_000, async (owner) => {
    const r = await A(['topicRoute', '-t', topic], owner);
    mqadminOk(r, 'topicRoute');
    const route = firstJson(r.stdout);
    const addrs = (route.brokerDatas || []).flatMap((b) => Object.values(b.brokerAddrs || {}));
    if (!addrs.includes(target.brokerAddr)) throw new Error(`broker ${target.brokerAddr} not in route ${JSON.stringify(route).slice(0, 200)}`);
    const q = (route.queueDatas || [])[0];
    if (!q || q.readQueueNums !== 4 || q.writeQueueNums !== 4) throw new Error(`queueDatas ${JSON.stringify(route.queueDatas)} (expected 4/4)`);
    return `route: ${addrs.join(',')}, 4 read / 4 write queues`;
  });
  await M.cell(section, `${tools} topicStatus`, 60_000, async (owner) => {
    needData();
    const r = await A(['topicStatus', '-t', topic], owner);
    mqadminOk(r, 'topicStatus');
    const rows = tableRows(r.stdout, target.brokerName);
    const total = rows.reduce((s, c) => s + Number(c[3]) - Number(c[2]), 0);
    if (rows.length !== 4 || total !== n) throw new Error(`${rows.length} queues holding ${total} messages (expected 4 holding ${n}): ${r.stdout.slice(0, 200)}`);
    return `4 queues, ${total} messages`;
  });
  await M.cell(section, `${tools} clusterList`, 60_000, async (owner) => {
    const r = await A(['clusterList'], owner);
    mqadminOk(r, 'clusterList');
    const row = r.stdout.split('\n').find((l) => l.includes(target.brokerAddr));
    if (!row || !row.includes(target.brokerName)) throw new Error(`no row with ${target.brokerName} ${target.brokerAddr}: ${r.stdout.slice(0, 300)}`);
    return row.trim().replace(/\s+/g, ' ').slice(0, 120);
  });
  await M.cell(section, `${tools} brokerStatus`, 60_000, async (owner) => {
    const r = await A(['brokerStatus', '-b', target.brokerAddr], owner);
    mqadminOk(r, 'brokerStatus');
    const kv = kvLines(r.stdout);
    const want = ['brokerVersionDesc', 'bootTimestamp', 'msgPutTotalTodayNow'];
    const missing = want.filter((k) => !kv.has(k));
    if (kv.size < 10 || missing.length) throw new Error(`${kv.size} keys, missing ${missing.join(', ') || '(need ≥ 10 keys)'}`);
    return `${kv.size} keys, brokerVersionDesc ${kv.get('brokerVersionDesc')}`;
  });
  await M.cell(section, `${tools} updateSubGroup -b`, 60_000, async (owner) => {
    const r = await A(['updateSubGroup', '-b', target.brokerAddr, '-g', `${group}_2`], owner);
    mqadminOk(r, 'updateSubGroup');
    if (!/success/i.test(r.stdout)) throw new Error(`no "success" in output: ${r.stdout.trim().slice(0, 200)}`);
    return r.stdout.trim().split('\n').pop().slice(0, 120);
  });
  await M.cell(section, `${tools} consumerProgress -g`, 60_000, async (owner) => {
    needData();
    const r = await A(['consumerProgress', '-g', group], owner);
    mqadminOk(r, 'consumerProgress');
    const s = sumOffsets(r.stdout);
    if (s.rows !== 4 || s.broker !== n || s.consumer !== n) throw new Error(`rows ${s.rows}, broker offsets ${s.broker}, consumer offsets ${s.consumer} (expected 4, ${n}, ${n}): ${r.stdout.slice(0, 240)}`);
    return `4 queues, broker = consumer offset total ${n}, lag 0`;
  });
  await M.cell(section, `${tools} queryMsgById`, 60_000, async (owner) => {
    const s = needData().samples[0];
    // 4.9's queryMsgById has no -t (an unknown option is a usage error there).
    const r = await A(['queryMsgById', ...(line === '4' ? [] : ['-t', topic]), '-i', s.offsetMsgId], owner);
    mqadminOk(r, 'queryMsgById');
    if (!r.stdout.includes(s.keys) || !/Topic:\s+\S+/.test(r.stdout)) throw new Error(`key ${s.keys} not in output: ${r.stdout.slice(0, 240)}`);
    return `found ${s.offsetMsgId} with key ${s.keys}`;
  });
  await M.cell(section, `${tools} queryMsgByKey`, 60_000, async (owner) => {
    const s = needData().samples[1];
    const r = await A(['queryMsgByKey', '-t', topic, '-k', s.keys], owner);
    mqadminOk(r, 'queryMsgByKey');
    const rows = tableRows(r.stdout).filter((c) => c.length === 3);
    const hit = rows.find((c) => Number(c[1]) === s.queueId && Number(c[2]) === s.queueOffset);
    if (!hit) throw new Error(`no row for queue ${s.queueId} offset ${s.queueOffset}: ${r.stdout.slice(0, 240)}`);
    return `row ${hit.join(' ')}`;
  });
  await M.cell(section, `${tools} queryMsgByOffset`, 60_000, async (owner) => {
    const s = needData().samples[2];
    const r = await A(['queryMsgByOffset', '-t', topic, '-b', target.brokerName, '-i', String(s.queueId), '-o', String(s.queueOffset)], owner);
    mqadminOk(r, 'queryMsgByOffset');
    if (!r.stdout.includes(s.keys)) throw new Error(`key ${s.keys} not in output: ${r.stdout.slice(0, 240)}`);
    return `queue ${s.queueId} offset ${s.queueOffset} → key ${s.keys}`;
  });
  await M.cell(section, `${tools} resetOffsetByTime (to the beginning), checked by consumerProgress`, 90_000, async (owner) => {
    needData();
    const r = await A(['resetOffsetByTime', '-g', group, '-t', topic, '-s', '0'], owner);
    mqadminOk(r, 'resetOffsetByTime');
    const p = await A(['consumerProgress', '-g', group], owner);
    mqadminOk(p, 'consumerProgress after reset');
    const s = sumOffsets(p.stdout);
    if (s.consumer !== 0 || s.broker !== n) throw new Error(`after reset consumer offsets total ${s.consumer} (expected 0), broker ${s.broker}: ${r.stdout.trim().split('\n').slice(-2).join(' | ').slice(0, 200)}`);
    return `consumer offsets 0, lag ${n}`;
  });
}

// ---------------------------------------------------------------- our mqctl against an Apache cluster

async function mqctlJson(args, owner, what) {
  const r = await mqctl(args, { owner });
  if (r.code !== 0) throw new Error(`${what}: ${mqctlFailure(r)}`);
  try {
    return parseJsonOutput(r.stdout);
  } catch (err) {
    throw new Error(`${what}: ${err.message}`);
  }
}

function mustContain(doc, values, what) {
  const all = scalars(doc);
  const missing = values.filter((v) => !all.has(String(v)));
  if (missing.length) throw new Error(`${what}: --json output lacks ${missing.slice(0, 5).join(', ')}`);
}

async function mqctlAgainstApache(env, section, ap) {
  const line = APACHE_LINE;
  const G = ['-n', ap.nsAddr];
  const topic = `ours_${rand()}`;
  const group = `ours_g_${rand()}`;
  const n = 20;
  let data = null;
  const A = (args, owner) => mqadmin(env, line, [...args.slice(0, 1), '-n', ap.nsAddr, ...args.slice(1)], { owner });
  const needData = () => { if (!data) throw new Error('no seeded data (the seeding cell failed)'); return data; };

  await M.cell(section, 'mqctl topic create -c (4 queues), checked by mqadmin topicRoute', 90_000, async (owner) => {
    const r = await mqctl([...G, 'topic', 'create', '-t', topic, '-c', ap.cluster, '--read-queues', '4', '--write-queues', '4'], { owner });
    const route = await A(['topicRoute', '-t', topic], owner);
    if (r.code !== 0) {
      // Later cells still need the topic.
      await A(['updateTopic', '-c', ap.cluster, '-t', topic, '-r', '4', '-w', '4'], owner);
      throw new Error(mqctlFailure(r));
    }
    const q = (firstJson(route.stdout).queueDatas || [])[0];
    if (!q || q.readQueueNums !== 4) throw new Error(`mqadmin topicRoute shows ${JSON.stringify(q)}`);
    return 'created, route shows 4/4 queues';
  });
  await M.cell(section, `seed: Java ${env.versions[line].client} producer ${n} keyed messages + consumer group`, 120_000, async (owner) => {
    data = await seed(env, line, ap, topic, group, n, owner);
    return `${n} messages consumed by ${group}`;
  });
  await M.cell(section, 'mqctl topic list --json', 60_000, async (owner) => {
    mustContain(await mqctlJson([...G, '--json', 'topic', 'list'], owner, 'topic list'), [topic], 'topic list');
    return `lists ${topic}`;
  });
  await M.cell(section, 'mqctl topic route --json', 60_000, async (owner) => {
    mustContain(await mqctlJson([...G, '--json', 'topic', 'route', '-t', topic], owner, 'topic route'), [ap.brokerAddr, ap.brokerName, 4], 'topic route');
    return `broker ${ap.brokerAddr}, 4 queues`;
  });
  await M.cell(section, 'mqctl topic status --json = mqadmin topicStatus', 90_000, async (owner) => {
    needData();
    const ref = await A(['topicStatus', '-t', topic], owner);
    const max = tableRows(ref.stdout, ap.brokerName).map((c) => c[3]);
    if (max.length !== 4) throw new Error(`reference mqadmin topicStatus unusable: ${ref.stdout.slice(0, 200)}`);
    mustContain(await mqctlJson([...G, '--json', 'topic', 'status', '-t', topic], owner, 'topic status'), max, 'topic status');
    return `max offsets ${max.join(',')} as mqadmin`;
  });
  await M.cell(section, 'mqctl cluster list --json', 60_000, async (owner) => {
    mustContain(await mqctlJson([...G, '--json', 'cluster', 'list'], owner, 'cluster list'), [ap.cluster, ap.brokerName, ap.brokerAddr], 'cluster list');
    return `${ap.cluster}/${ap.brokerName} ${ap.brokerAddr}`;
  });
  await M.cell(section, 'mqctl broker status --json = mqadmin brokerStatus', 90_000, async (owner) => {
    const ref = kvLines((await A(['brokerStatus', '-b', ap.brokerAddr], owner)).stdout);
    const boot = ref.get('bootTimestamp');
    if (!boot) throw new Error('reference mqadmin brokerStatus unusable');
    mustContain(await mqctlJson([...G, '--json', 'broker', 'status', '-b', ap.brokerAddr], owner, 'broker status'), ['bootTimestamp', boot, 'brokerVersionDesc'], 'broker status');
    return `bootTimestamp ${boot} as mqadmin`;
  });
  await M.cell(section, 'mqctl group create -c, checked by mqadmin getConsumerConfig', 90_000, async (owner) => {
    const g2 = `${group}_2`;
    const r = await mqctl([...G, 'group', 'create', '-g', g2, '-c', ap.cluster], { owner });
    if (r.code !== 0) throw new Error(mqctlFailure(r));
    const ref = await A(['getConsumerConfig', '-g', g2], owner);
    if (!ref.stdout.includes(g2)) throw new Error(`mqadmin getConsumerConfig does not show ${g2}: ${ref.stdout.slice(0, 200)}`);
    return `${g2} visible to mqadmin`;
  });
  await M.cell(section, 'mqctl consumer progress --json (offset totals)', 60_000, async (owner) => {
    needData();
    const doc = await mqctlJson([...G, '--json', 'consumer', 'progress', '-g', group], owner, 'consumer progress');
    const sums = { consumer: 0, broker: 0, found: 0 };
    const walk = (d) => {
      if (Array.isArray(d)) d.forEach(walk);
      else if (d && typeof d === 'object') {
        for (const [k, v] of Object.entries(d)) {
          if (typeof v === 'number' && /^consumerOffset$/i.test(k)) { sums.consumer += v; sums.found++; }
          if (typeof v === 'number' && /^brokerOffset$/i.test(k)) sums.broker += v;
          walk(v);
        }
      }
    };
    walk(doc);
    if (!sums.found) throw new Error(`no consumerOffset fields in ${JSON.stringify(doc).slice(0, 200)}`);
    if (sums.consumer !== n || sums.broker !== n) throw new Error(`consumerOffset total ${sums.consumer}, brokerOffset total ${sums.broker} (expected ${n})`);
    return `offset totals ${n}/${n}, lag 0`;
  });
  await M.cell(section, 'mqctl msg get <offsetMsgId> and <uniqueKey> --json', 60_000, async (owner) => {
    const s = needData().samples[0];
    mustContain(await mqctlJson([...G, '--json', 'msg', 'get', s.offsetMsgId, '-t', topic], owner, 'msg get offsetMsgId'), [s.keys], 'msg get offsetMsgId');
    mustContain(await mqctlJson([...G, '--json', 'msg', 'get', s.msgId, '-t', topic], owner, 'msg get uniqueKey'), [s.keys], 'msg get uniqueKey');
    return `both ids → key ${s.keys}`;
  });
  await M.cell(section, 'mqctl msg query-by-key --json', 60_000, async (owner) => {
    const s = needData().samples[1];
    const doc = await mqctlJson([...G, '--json', 'msg', 'query-by-key', '-t', topic, '-k', s.keys], owner, 'msg query-by-key');
    const all = scalars(doc);
    if (!all.has(s.msgId) && !all.has(s.offsetMsgId)) throw new Error(`neither ${s.msgId} nor ${s.offsetMsgId} in output`);
    return `found ${s.keys}`;
  });
  await M.cell(section, 'mqctl msg query-by-offset --json', 60_000, async (owner) => {
    const s = needData().samples[2];
    mustContain(await mqctlJson([...G, '--json', 'msg', 'query-by-offset', '-t', topic, '-b', ap.brokerName, '-q', String(s.queueId), '-o', String(s.queueOffset)], owner, 'msg query-by-offset'), [s.keys], 'msg query-by-offset');
    return `queue ${s.queueId} offset ${s.queueOffset} → ${s.keys}`;
  });

  // mqctl admin X next to mqadmin X on the same cluster (before the offset reset changes the data).
  const d = () => needData();
  const adminCases = [
    ['clusterList', () => [], 'table'],
    ['topicList', () => [], 'lines'],
    ['topicRoute', () => ['-t', topic], 'json'],
    ['topicStatus', () => ['-t', topic], 'table'],
    ['topicClusterList', () => ['-t', topic], 'lines'],
    ['consumerProgress', () => ['-g', group], 'table'],
    ['brokerStatus', () => ['-b', ap.brokerAddr], 'kv'],
    ['getBrokerConfig', () => ['-b', ap.brokerAddr], 'kv'],
    ['queryMsgByKey', () => ['-t', topic, '-k', d().samples[1].keys], 'table'],
    ['queryMsgById', () => [...(line === '4' ? [] : ['-t', topic]), '-i', d().samples[0].offsetMsgId], 'labels'],
    ['queryMsgByOffset', () => ['-t', topic, '-b', ap.brokerName, '-i', String(d().samples[2].queueId), '-o', String(d().samples[2].queueOffset)], 'labels'],
    ['statsAll', () => ['-t', topic], 'table'],
  ];
  for (const [cmd, args, kind] of adminCases) {
    await M.cell(section, `mqctl admin ${cmd} prints mqadmin's columns`, 90_000, async (owner) => {
      const a = args();
      const theirs = await A([cmd, ...a], owner);
      mqadminOk(theirs, `mqadmin ${cmd}`);
      const ours = await mqctl(['admin', cmd, '-n', ap.nsAddr, ...a], { owner });
      if (ours.code !== 0) throw new Error(mqctlFailure(ours));
      return compareShape(kind, ours.stdout, theirs.stdout);
    });
  }

  await M.cell(section, 'mqctl offset reset --to earliest, checked by mqadmin consumerProgress', 90_000, async (owner) => {
    needData();
    const r = await mqctl([...G, 'offset', 'reset', '-g', group, '-t', topic, '--to', 'earliest', '--yes'], { owner });
    if (r.code !== 0) throw new Error(mqctlFailure(r));
    const p = await A(['consumerProgress', '-g', group], owner);
    const rows = tableRows(p.stdout, topic);
    const consumer = rows.reduce((s, c) => s + Number(c[4]), 0);
    if (rows.length !== 4 || consumer !== 0) throw new Error(`mqadmin consumerProgress after reset: ${rows.length} rows, consumer offsets total ${consumer} (expected 0)`);
    return 'consumer offsets back to 0';
  });
}

/** Our client against the Apache broker, and Apache's client feeding ours. */
async function ourClientAgainstApache(env, section, ap) {
  const line = APACHE_LINE;
  const n = 20;
  await M.cell(section, `mqctl send (stdin, one message a line) → Apache broker → Java ${env.versions[line].client} PushConsumer`, 120_000, async (owner) => {
    const topic = `oursend_${rand()}`;
    const runId = `ms${rand()}`;
    const input = Array.from({ length: n }, (_, i) => payloadLine(runId, i)).join('\n') + '\n';
    const r = await mqctl(['-n', ap.nsAddr, '--json', 'send', '-t', topic, '-k', runId], { owner, input, timeoutMs: 60_000 });
    if (r.code !== 0) throw new Error(mqctlFailure(r));
    const cons = await javaProgram(env, line, 'PushConsumer', ['--namesrv', ap.nsAddr, '--topic', topic, '--run', runId,
      '--expect', String(n), '--timeout', '40', '--lenient-props', '--group', `g_${runId}`], { owner });
    return judgeConsumer(cons, n);
  });
  await M.cell(section, `Java ${env.versions[line].client} Producer → Apache broker → mqctl consume --json`, 120_000, async (owner) => {
    const topic = `ourconsume_${rand()}`;
    const runId = `mc${rand()}`;
    const prod = await javaProgram(env, line, 'Producer', ['--namesrv', ap.nsAddr, '--topic', topic, '--mode', 'sync', '--count', String(n), '--run', runId], { owner });
    if (prod.sent !== n) throw new Error(`producer acknowledged ${prod.sent}/${n}`);
    return consumeWithMqctl(ap.nsAddr, topic, runId, n, owner);
  });
}

async function consumeWithMqctl(nsAddr, topic, runId, n, owner) {
  const r = await mqctl(['-n', nsAddr, '--json', 'consume', '-t', topic, '-g', `g_${runId}`, '--from', 'first', '--max', String(n), '--timeout', '40'], { owner, timeoutMs: 70_000 });
  if (r.code !== 0) throw new Error(mqctlFailure(r));
  const seqs = new Set();
  for (const l of r.stdout.split('\n')) {
    if (!l.trim()) continue;
    let m;
    try { m = JSON.parse(l); } catch { throw new Error(`consume --json line is not JSON: ${l.slice(0, 120)}`); }
    const body = typeof m.body === 'string' ? m.body : '';
    if (body.startsWith(`${runId}|`)) seqs.add(Number(body.split('|')[1]));
  }
  if (seqs.size !== n) throw new Error(`mqctl consume printed ${seqs.size}/${n} of the run's messages`);
  return `${n}/${n} messages with intact bodies`;
}

// ---------------------------------------------------------------- main

async function main() {
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(WORK, { recursive: true });
  const env = { rocketmqHome: makeRocketmqHome(join(WORK, 'rocketmq-home')), clientHome: join(WORK, 'client-home'), versions: {} };
  mkdirSync(env.clientHome, { recursive: true });
  const header = [];

  if (!(await have('java')) || !(await have('mvn'))) {
    M.skip('setup', 'java and mvn present', 'java or mvn missing on this machine: nothing ran');
    return finish(header);
  }
  let built = false;
  await M.cell('setup', 'Maven build of test/compat (programs + Apache jars)', 900_000, async () => {
    const how = await build();
    built = lineBuilt('4') && lineBuilt('5');
    if (!built) throw new Error('build reported success but target/lib-4 or lib-5 lacks mqctl-compat.jar');
    return how;
  });
  if (!built) return finish(header);
  M.restartBudget();
  for (const line of ['4', '5']) {
    env.versions[line] = {
      client: jarVersion(line, 'rocketmq-client'),
      tools: jarVersion(line, 'rocketmq-tools'),
      broker: jarVersion(line, 'rocketmq-broker'),
    };
  }
  header.push(`Java ${(await run('java', ['-version'])).stderr.split('\n')[0].trim()}; Node ${process.version}.`);
  header.push(`Client lines: ${env.versions['4'].client} and ${env.versions['5'].client}; mqadmin ${env.versions['4'].tools} and ${env.versions['5'].tools}; Apache servers ${env.versions[APACHE_LINE].broker} (the newest 4.9 namesrv/broker on Maven Central is ${env.versions['4'].broker}).`);
  header.push(`Messages per program cell: ${COUNT} (delayed 50, transactional 30); volume cells: ${VOLUME}.`);

  // ---- Apache cluster
  const apSection = `Apache ${env.versions[APACHE_LINE].broker} cluster`;
  let ap = null;
  if (ONLY !== 'ours') await M.cell(apSection, `start Apache namesrv + broker ${env.versions[APACHE_LINE].broker} from the jars`, 150_000, async () => {
    ap = await startApache(env, APACHE_LINE, join(WORK, 'apache'));
    return `namesrv ${ap.nsAddr}, broker ${ap.brokerAddr}, serving in ${ap.startMs} ms`;
  });
  if (ap) {
    for (const line of ['4', '5']) {
      const p = pairs(COUNT)[0];
      await M.cell(`${apSection}: harness baseline`, `client ${env.versions[line].client}: ${p.name}`, 150_000, (owner) => runPair(env, line, ap, p, owner, COUNT));
    }
    await M.cell(`${apSection}: harness baseline`, `client ${env.versions['5'].client}: Producer transactional → PushConsumer`, 150_000,
      (owner) => runPair(env, '5', ap, pairs(COUNT)[6], owner, COUNT));
    await mqadminSuite(env, `${apSection}: mqadmin baseline`, APACHE_LINE, ap);
    await mqctlAgainstApache(env, `${apSection} administered by mqctl`, ap);
    await ourClientAgainstApache(env, `${apSection} with our client`, ap);
  } else if (ONLY !== 'ours') {
    M.skip(`${apSection} administered by mqctl`, 'all mqctl-against-Apache cells', 'the Apache cluster did not start');
  }

  // Stop Apache cleanly, verify and reuse its store.
  let storeCopy = null;
  let storeTopicRun = null;
  if (ap) {
    const topic = `store_${rand()}`;
    await M.cell(`${apSection} store`, 'Java producer writes 50 messages, then Apache broker stops cleanly', 120_000, async (owner) => {
      const runId = `st${rand()}`;
      const prod = await javaProgram(env, APACHE_LINE, 'Producer', ['--namesrv', ap.nsAddr, '--topic', topic, '--mode', 'sync', '--count', '50', '--run', runId], { owner });
      if (prod.sent !== 50) throw new Error(`producer acknowledged ${prod.sent}/50`);
      const clean = await ap.stop();
      ap.stopped = true;
      if (!clean) throw new Error('broker did not exit within 30 s of SIGTERM');
      if (existsSync(join(ap.storeDir, 'abort'))) throw new Error('abort file left behind: shutdown was not clean');
      storeTopicRun = { topic, runId, n: 50 };
      storeCopy = join(WORK, 'apache-store-copy');
      cpSync(ap.storeDir, storeCopy, { recursive: true });
      return 'clean shutdown, store copied';
    });
    if (!ap.stopped) await ap.stop();
    await M.cell(`${apSection} store`, 'mqctl store verify <store the Apache broker wrote>', 120_000, async (owner) => {
      if (!storeTopicRun) throw new Error('no clean Apache store (previous cell failed)');
      const r = await mqctl(['store', 'verify', ap.storeDir], { owner, timeoutMs: 110_000 });
      if (r.code !== 0) throw new Error(mqctlFailure(r));
      return r.stdout.trim().split('\n').slice(-1)[0].slice(0, 200);
    });
    await M.cell(`${apSection} store`, 'our broker opens a copy of the Apache store and serves its messages (Java LitePull assign)', 150_000, async (owner) => {
      if (!storeCopy) throw new Error('no copy of a clean Apache store (previous cell failed)');
      const ours = await startOursSplit(join(WORK, 'ours-on-apache-store'), storeCopy, readFileSync(join(WORK, 'apache', 'broker.conf'), 'utf8'));
      try {
        // The broker registers its topics (read from the copied config/topics.json) with the namesrv.
        await waitForRoute(ours.nsAddr, storeTopicRun.topic, { owner });
        const cons = await javaProgram(env, '5', 'LitePullConsumer', ['--namesrv', ours.nsAddr, '--topic', storeTopicRun.topic, '--run', storeTopicRun.runId,
          '--expect', String(storeTopicRun.n), '--mode', 'assign', '--timeout', '40'], { owner });
        return judgeConsumer(cons, storeTopicRun.n);
      } finally {
        await ours.stop();
      }
    });
  }

  if (ONLY === 'apache') {
    header.push('', 'COMPAT_ONLY=apache: the sections against our standalone were not run.');
    return finish(header);
  }

  // ---- our standalone
  const oursSection = 'our standalone (mqctl start)';
  let ours = null;
  let oursWhy = '';
  await M.cell(oursSection, 'start: node bin/mqctl.js start --namesrv-port P --port Q --store-dir TMP', 60_000, async () => {
    try {
      ours = await startOurs(join(WORK, 'ours'), join(WORK, 'ours', 'store'));
      // Let the broker's first registration reach the namesrv before clients ask for routes.
      await waitForRoute(ours.nsAddr, 'TBW102');
    } catch (err) {
      oursWhy = err.message;
      throw err;
    }
    const target = { ...ours, brokerName: 'broker-a', cluster: 'DefaultCluster' };
    const r = await mqctl(['-n', ours.nsAddr, '--json', 'cluster', 'list']);
    if (r.code === 0) {
      try {
        const doc = parseJsonOutput(r.stdout);
        const text = JSON.stringify(doc);
        const name = /"brokerName"\s*:\s*"([^"]+)"/.exec(text);
        if (name) target.brokerName = name[1];
        const cl = /"clusterName"\s*:\s*"([^"]+)"/.exec(text) || /"cluster"\s*:\s*"([^"]+)"/.exec(text);
        if (cl) target.cluster = cl[1];
      } catch { /* default names */ }
    }
    ours = Object.assign(ours, target);
    return `namesrv ${ours.nsAddr}, broker ${ours.brokerAddr} (${ours.brokerName}), serving in ${ours.startMs} ms`;
  });
  const versionsOf = (l) => env.versions[l].client;
  if (ours) {
    for (const line of ['4', '5']) {
      await javaMatrix(env, `Java client ${versionsOf(line)} → our broker`, line, ours, { volume: VOLUME });
    }
    await M.cell(`Java client ${versionsOf('5')} → our broker`, 'Java Producer → our broker → mqctl consume --json', 120_000, async (owner) => {
      const topic = `j2ours_${rand()}`;
      const runId = `jo${rand()}`;
      const prod = await javaProgram(env, '5', 'Producer', ['--namesrv', ours.nsAddr, '--topic', topic, '--mode', 'sync', '--count', '20', '--run', runId], { owner });
      if (prod.sent !== 20) throw new Error(`producer acknowledged ${prod.sent}/20: ${(prod.errors || [])[0] || ''}`);
      return consumeWithMqctl(ours.nsAddr, topic, runId, 20, owner);
    });
    for (const line of ['5', '4']) {
      await mqadminSuite(env, `mqadmin ${env.versions[line].tools} → our servers`, line, ours);
    }
    await ours.stop();
  } else {
    const why = `our standalone did not start: ${oursWhy}`;
    for (const line of ['4', '5']) {
      for (const p of pairs(COUNT)) M.skip(`Java client ${versionsOf(line)} → our broker`, `client ${versionsOf(line)}: ${p.name}`, why);
      M.skip(`Java client ${versionsOf(line)} → our broker`, `client ${versionsOf(line)}: ${VOLUME} messages async → PushConsumer, none lost`, why);
    }
    for (const line of ['5', '4']) {
      for (const cmd of MQADMIN_CELLS) M.skip(`mqadmin ${env.versions[line].tools} → our servers`, `mqadmin ${env.versions[line].tools} ${cmd}`, why);
    }
  }
  header.push('');
  header.push('Logs of the last run: test/compat/.work/ (not committed).');
  return finish(header);
}

function finish(header) {
  M.writeMarkdown(join(COMPAT_DIR, 'RESULTS.md'), header);
  const { passed, failed } = M.counts();
  process.stdout.write(`\nRESULTS.md written (${(M.elapsed() / 1000).toFixed(0)} s)\n`);
  process.stdout.write(`${passed} passed, ${failed} failed\n`);
  killAll();
  process.exit(STRICT && failed > 0 ? 1 : 0);
}

main().catch((err) => {
  process.stderr.write(`compat runner crashed: ${err && err.stack ? err.stack : err}\n`);
  killAll();
  process.exit(STRICT ? 1 : 2);
});
