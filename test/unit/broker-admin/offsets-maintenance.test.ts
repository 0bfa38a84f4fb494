import { describe, expect, it } from 'vitest';
import { RequestCode, ResponseCode } from '../../../src/protocol/codes.js';
import { parseFastjson } from '../../../src/common/fastjson.js';
import { useHarness } from './harness.js';

const h = useHarness();

describe('CLONE_GROUP_OFFSET', () => {
  it('copies the source group offsets for one topic or all of them', async () => {
    h.createTopic('CT1', 2);
    h.createTopic('CT2', 1);
    h.ctx.offsets.commit('src', 'CT1', 0, 4);
    h.ctx.offsets.commit('src', 'CT1', 1, 9);
    h.ctx.offsets.commit('src', 'CT2', 0, 2);
    h.ctx.offsets.commit('src', 'Unknown', 0, 2);

    const one = await h.call(RequestCode.CLONE_GROUP_OFFSET, { srcGroup: 'src', destGroup: 'dst', topic: 'CT1', offline: false });
    expect(one.code).toBe(0);
    expect(h.ctx.offsets.query('dst', 'CT1', 0)).toBe(4);
    expect(h.ctx.offsets.query('dst', 'CT1', 1)).toBe(9);
    expect(h.ctx.offsets.query('dst', 'CT2', 0)).toBe(-1);

    const all = await h.call(RequestCode.CLONE_GROUP_OFFSET, { srcGroup: 'src', destGroup: 'dst2', offline: true });
    expect(all.code).toBe(0);
    expect(h.ctx.offsets.query('dst2', 'CT2', 0)).toBe(2);
    // topics without a config are skipped
    expect(h.ctx.offsets.query('dst2', 'Unknown', 0)).toBe(-1);

    // an online source group not subscribing CT2 is skipped unless offline
    await h.addConsumer('src', 'c', ['CT1']);
    await h.call(RequestCode.CLONE_GROUP_OFFSET, { srcGroup: 'src', destGroup: 'dst3', offline: false });
    expect(h.ctx.offsets.query('dst3', 'CT1', 0)).toBe(4);
    expect(h.ctx.offsets.query('dst3', 'CT2', 0)).toBe(-1);
  });
});

describe('QUERY_CORRECTION_OFFSET', () => {
  it('gives the minimum committed offset per queue and Long.MAX where the compare group is behind', async () => {
    h.createTopic('CO', 2);
    for (let i = 0; i < 10; i++) await h.put('CO', 0, `x${i}`);
    for (let i = 0; i < 10; i++) await h.put('CO', 1, `y${i}`);
    h.ctx.offsets.commit('g1', 'CO', 0, 6);
    h.ctx.offsets.commit('g1', 'CO', 1, 8);
    h.ctx.offsets.commit('g2', 'CO', 0, 4);
    h.ctx.offsets.commit('g2', 'CO', 1, 9);
    h.ctx.offsets.commit('skipme', 'CO', 0, 1);
    h.ctx.offsets.commit('cmp', 'CO', 0, 5);
    h.ctx.offsets.commit('cmp', 'CO', 1, 3);

    const r = await h.call(RequestCode.QUERY_CORRECTION_OFFSET, { topic: 'CO', compareGroup: 'cmp', filterGroups: 'skipme,cmp' });
    expect(r.code).toBe(0);
    const text = r.body!.toString();
    expect(text).toBe('{"correctionOffsets":{0:4,1:9223372036854775807}}');
    const parsed = parseFastjson(text) as { correctionOffsets: Record<string, unknown> };
    expect(parsed.correctionOffsets['0']).toBe(4);
  });
});

describe('CLEAN_EXPIRED_CONSUMEQUEUE / DELETE_EXPIRED_COMMITLOG', () => {
  it('run the store maintenance and answer SUCCESS', async () => {
    h.createTopic('MT', 1);
    await h.put('MT', 0, 'keep');
    const clean = await h.call(RequestCode.CLEAN_EXPIRED_CONSUMEQUEUE);
    expect(clean.code).toBe(0);
    // a live queue is kept: its units still point into the commitlog
    expect(h.ctx.store.getMaxOffsetInQueue('MT', 0)).toBe(1);
    const del = await h.call(RequestCode.DELETE_EXPIRED_COMMITLOG);
    expect(del.code).toBe(0);
    expect(h.ctx.store.getMinPhyOffset()).toBe(0);
  });

  it('missing required header fields answer SYSTEM_ERROR and the server goes on', async () => {
    const r = await h.call(RequestCode.CLONE_GROUP_OFFSET, { srcGroup: 'a' });
    expect(r.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(r.remark).toBe('the custom field <destGroup> is null');
    const s = await h.call(RequestCode.GET_TOPIC_STATS_INFO);
    expect(s.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect((await h.call(RequestCode.GET_ALL_TOPIC_CONFIG)).code).toBe(0);
  });
});
