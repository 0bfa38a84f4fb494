import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { MessageExtBrokerInner } from '../../../src/common/message.js';
import { MessageStore } from '../../../src/store/message-store.js';
import { readQueue as readAll } from '../../helpers/store.js';
import { isTransactionPrepared, parseOpBody, transformHalfMessage } from '../../../src/broker/transaction/half-message.js';
import { TransactionService, type CheckRequest, type ProgressStore } from '../../../src/broker/transaction/transaction-service.js';

const dirs: string[] = [];
const stores: MessageStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.shutdown().catch(() => undefined);
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

async function openStore(root?: string): Promise<{ store: MessageStore; root: string }> {
  const r = root ?? fs.mkdtempSync(path.join(os.tmpdir(), 'mqctl-tx-'));
  if (!root) dirs.push(r);
  const store = await MessageStore.open({ storePathRootDir: r, mappedFileSizeCommitLog: 4 * 1024 * 1024 });
  stores.push(store);
  return { store, root: r };
}

class MapProgress implements ProgressStore {
  m = new Map<string, number>();
  query(g: string, t: string, q: number): number { return this.m.get(`${g}/${t}/${q}`) ?? -1; }
  commit(g: string, t: string, q: number, o: number): void { this.m.set(`${g}/${t}/${q}`, o); }
}

let uniq = 0;
function prepared(topic: string, bornTimestamp = Date.now()): MessageExtBrokerInner {
  const id = `UNIQ${++uniq}`;
  return {
    topic, queueId: 2, flag: 0, body: Buffer.from(`tx-${id}`),
    properties: { TRAN_MSG: 'true', PGROUP: 'PG', UNIQ_KEY: id, KEYS: id },
    sysFlag: 0x4, bornTimestamp, bornHost: '127.0.0.1:5000', storeHost: '127.0.0.1:10911', reconsumeTimes: 0,
    preparedTransactionOffset: 0,
  };
}

async function putHalf(store: MessageStore, m: MessageExtBrokerInner) {
  expect(isTransactionPrepared(m)).toBe(true);
  transformHalfMessage(m);
  const r = await store.putMessage(m);
  expect(r.status).toBe('PUT_OK');
  return r.appendResult!;
}


const cfg = { transactionTimeOut: 6000, transactionCheckMax: 15, transactionCheckInterval: 60000, fileReservedTime: 72 };

describe('TransactionService over a real store', () => {
  it('half messages are invisible; commit makes the real message, rollback drops it; op records written', async () => {
    const { store } = await openStore();
    const svc = new TransactionService(store, new MapProgress(), cfg, () => true, { storeHost: '127.0.0.1:10911' });
    const a = await putHalf(store, prepared('TxT'));
    const b = await putHalf(store, prepared('TxT'));
    expect(await readAll(store, 'TxT', 2)).toHaveLength(0);
    const half = (await readAll(store, 'RMQ_SYS_TRANS_HALF_TOPIC', 0))[0];
    expect(half.properties.REAL_TOPIC).toBe('TxT');
    expect(half.properties.__transactionId__).toBe(half.properties.UNIQ_KEY);
    expect(half.sysFlag & 0xc).toBe(0);

    expect(await svc.endTransaction({ producerGroup: 'PG', tranStateTableOffset: a.logicsOffset, commitLogOffset: a.wroteOffset, commitOrRollback: 8, fromTransactionCheck: false }))
      .toEqual({ code: 0 });
    expect(await svc.endTransaction({ producerGroup: 'PG', tranStateTableOffset: b.logicsOffset, commitLogOffset: b.wroteOffset, commitOrRollback: 12, fromTransactionCheck: false }))
      .toEqual({ code: 0 });
    const real = await readAll(store, 'TxT', 2);
    expect(real).toHaveLength(1);
    expect(real[0].body.toString()).toBe(half.body.toString());
    expect(real[0].sysFlag & 0xc).toBe(0x8);
    expect(real[0].preparedTransactionOffset).toBe(a.wroteOffset);
    expect(real[0].properties.REAL_TOPIC).toBeUndefined();
    expect(real[0].properties.TRAN_MSG).toBeUndefined();
    const ops = await readAll(store, 'RMQ_SYS_TRANS_OP_HALF_TOPIC', 0);
    expect(ops.map((o) => parseOpBody(o.body))).toEqual([[0], [1]]);
    expect(ops[0].properties.TAGS).toBe('d');
    expect(ops[0].body.toString()).toBe('0,');

    // A second decision on the same half message changes nothing.
    await svc.endTransaction({ producerGroup: 'PG', tranStateTableOffset: a.logicsOffset, commitLogOffset: a.wroteOffset, commitOrRollback: 8, fromTransactionCheck: true });
    expect(await readAll(store, 'TxT', 2)).toHaveLength(1);
  });

  it('rejects wrong group / offsets with Apache remarks', async () => {
    const { store } = await openStore();
    const svc = new TransactionService(store, new MapProgress(), cfg, () => true, { storeHost: '127.0.0.1:10911' });
    const a = await putHalf(store, prepared('TxT'));
    const base = { producerGroup: 'PG', tranStateTableOffset: a.logicsOffset, commitLogOffset: a.wroteOffset, commitOrRollback: 8, fromTransactionCheck: false };
    expect(await svc.endTransaction({ ...base, producerGroup: 'X' })).toEqual({ code: 1, remark: 'The producer group wrong' });
    expect(await svc.endTransaction({ ...base, tranStateTableOffset: 9 })).toEqual({ code: 1, remark: 'The transaction state table offset wrong' });
    expect(await svc.endTransaction({ ...base, commitLogOffset: 999999 })).toMatchObject({ code: 1 });
    expect(await readAll(store, 'TxT', 2)).toHaveLength(0);
  });

  it('check-back: not before transactionTimeOut, re-appends with TRANSACTION_CHECK_TIMES, gives up after the max, survives restart', async () => {
    const { store, root } = await openStore();
    let clock = Date.now();
    const progress = new MapProgress();
    const checks: CheckRequest[] = [];
    const mk = (s: MessageStore) => new TransactionService(s, progress, { ...cfg, transactionCheckMax: 2 }, (r) => {
      checks.push(r);
      return true;
    }, { storeHost: '127.0.0.1:10911', now: () => clock });
    let svc = mk(store);
    const born = Date.now();
    await putHalf(store, prepared('TxT', born)); // will stay unknown
    const decided = await putHalf(store, prepared('TxT', born));
    await svc.endTransaction({ producerGroup: 'PG', tranStateTableOffset: decided.logicsOffset, commitLogOffset: decided.wroteOffset, commitOrRollback: 12, fromTransactionCheck: false });

    clock = born + 3000; // younger than transactionTimeOut: no check
    await svc.check();
    expect(checks).toHaveLength(0);

    clock = born + 7000;
    await svc.check();
    expect(checks).toHaveLength(1);
    expect(checks[0].producerGroup).toBe('PG');
    expect(checks[0].message.topic).toBe('TxT');
    expect(checks[0].message.queueId).toBe(2);
    expect(checks[0].message.properties.TRANSACTION_CHECK_TIMES).toBe('1');
    expect(checks[0].tranStateTableOffset).toBe(2); // the re-appended copy

    // Restart: progress and op records carry over; the decided one is never checked.
    await store.shutdown();
    stores.length = 0;
    const reopened = await openStore(root);
    svc = mk(reopened.store);
    clock = born + 8000;
    await svc.check();
    expect(checks).toHaveLength(2);
    expect(checks[1].message.properties.TRANSACTION_CHECK_TIMES).toBe('2');
    expect(checks.every((c) => c.msgId === checks[0].msgId)).toBe(true);

    clock = born + 9000;
    await svc.check(); // checked twice already: discarded
    expect(checks).toHaveLength(2);
    const discarded = await readAll(reopened.store, 'TRANS_CHECK_MAX_TIME_TOPIC', 0);
    expect(discarded).toHaveLength(1);
    expect(discarded[0].properties.UNIQ_KEY).toBe(checks[0].msgId);

    // The producer answering a check commits the re-appended copy.
    const last = checks[1];
    expect(await svc.endTransaction({ producerGroup: 'PG', tranStateTableOffset: last.tranStateTableOffset, commitLogOffset: last.commitLogOffset, commitOrRollback: 8, fromTransactionCheck: true }))
      .toEqual({ code: 0 });
    const real = await readAll(reopened.store, 'TxT', 2);
    expect(real).toHaveLength(1);
    expect(real[0].properties.UNIQ_KEY).toBe(last.msgId);
  });
});
