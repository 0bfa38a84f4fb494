/**
 * Offset maintenance: QUERY_CORRECTION_OFFSET (308) and CLONE_GROUP_OFFSET (314). requests.md §6.
 */
import { decodeRequired } from '../../../protocol/header.js';
import { encodeJson } from '../../../protocol/body.js';
import type { Processor } from '../../../remoting/server.js';
import type { AdminDeps } from './deps.js';
import { CloneGroupOffsetRequestHeader, QueryCorrectionOffsetHeader } from './headers.js';
import { isBlank, ok } from './util.js';

/** Java Long.MAX_VALUE: "this queue needs no correction". */
const LONG_MAX = 9223372036854775807n;

/**
 * Per queue, the smallest committed offset over the topic's groups (minus `filterGroups`, comma separated)
 * that is still inside the queue; a queue where `compareGroup` is behind that minimum gets Long.MAX_VALUE.
 */
export function queryCorrectionOffset(deps: AdminDeps): Processor {
  return async (req) => {
    const h = decodeRequired(QueryCorrectionOffsetHeader, req.extFields);
    const topic = h.topic!;
    const skip = new Set(isBlank(h.filterGroups) ? [] : h.filterGroups!.split(','));
    const minByQueue = new Map<number, number | bigint>();
    for (const group of deps.offsets.groupsOf(topic)) {
      if (skip.has(group)) continue;
      for (const [q, off] of deps.offsets.table(group, topic) ?? []) {
        if (off < (await deps.store.minOffset(topic, q))) continue;
        const cur = minByQueue.get(q);
        if (cur === undefined || off < Number(cur)) minByQueue.set(q, off);
      }
    }
    for (const [q, off] of deps.offsets.table(h.compareGroup!, topic) ?? []) {
      const cur = minByQueue.get(q);
      if (cur !== undefined && Number(cur) > off) minByQueue.set(q, LONG_MAX);
    }
    const sorted = new Map([...minByQueue.entries()].sort((a, b) => a[0] - b[0]));
    return ok(encodeJson({ correctionOffsets: sorted }));
  };
}

/** Copies srcGroup's committed offsets to destGroup, for one topic or every topic srcGroup has offsets on. */
export function cloneGroupOffset(deps: AdminDeps): Processor {
  return (req, channel) => {
    const h = decodeRequired(CloneGroupOffsetRequestHeader, req.extFields);
    const src = h.srcGroup!;
    const dest = h.destGroup!;
    const topics = isBlank(h.topic) ? deps.offsets.topicsOf(src) : [h.topic!];
    const subs = deps.consumers.group(src)?.subscriptions ?? [];
    for (const topic of topics) {
      if (!deps.topics.get(topic)) continue;
      // an online source group that does not subscribe the topic is skipped unless `offline`
      if (!h.offline && subs.length > 0 && !subs.some((s) => s.topic === topic)) continue;
      const table = deps.offsets.table(src, topic);
      if (!table) continue;
      for (const [q, off] of table) deps.offsets.commit(dest, topic, q, off);
    }
    deps.logger.info(`offsets of ${src} cloned to ${dest} (${topics.join(',')}) by ${channel.remoteAddr}`);
    return ok();
  };
}
