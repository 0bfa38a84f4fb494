// Queue allocation strategies (semantics.md §11). Inputs are sorted by the caller; the result is this client's share.
import type { MessageQueue } from '../../protocol/admin.js';

export interface AllocateStrategy {
  readonly name: string;
  allocate(group: string, currentCID: string, mqAll: MessageQueue[], cidAll: string[]): MessageQueue[];
}

function check(currentCID: string, mqAll: MessageQueue[], cidAll: string[]): boolean {
  if (!currentCID) throw new Error('currentCID is empty');
  return mqAll.length > 0 && cidAll.includes(currentCID);
}

/** "AVG": contiguous blocks, the first `mod` clients getting one extra queue. */
export const allocateAveragely: AllocateStrategy = {
  name: 'AVG',
  allocate(_group, currentCID, mqAll, cidAll) {
    if (!check(currentCID, mqAll, cidAll)) return [];
    const index = cidAll.indexOf(currentCID);
    const mod = mqAll.length % cidAll.length;
    const avg = mqAll.length <= cidAll.length ? 1
      : mod > 0 && index < mod ? Math.floor(mqAll.length / cidAll.length) + 1
        : Math.floor(mqAll.length / cidAll.length);
    const start = mod > 0 && index < mod ? index * avg : index * avg + mod;
    const range = Math.min(avg, mqAll.length - start);
    const out: MessageQueue[] = [];
    for (let i = 0; i < range; i++) out.push(mqAll[(start + i) % mqAll.length]);
    return out;
  },
};

/** "AVG_BY_CIRCLE": queue i goes to client i % clients. */
export const allocateAveragelyByCircle: AllocateStrategy = {
  name: 'AVG_BY_CIRCLE',
  allocate(_group, currentCID, mqAll, cidAll) {
    if (!check(currentCID, mqAll, cidAll)) return [];
    const index = cidAll.indexOf(currentCID);
    return mqAll.filter((_, i) => i % cidAll.length === index);
  },
};

export function allocateStrategyByName(name: string): AllocateStrategy {
  switch (name.toUpperCase()) {
    case 'AVG':
    case 'AVERAGE':
    case 'AVERAGELY':
      return allocateAveragely;
    case 'AVG_BY_CIRCLE':
    case 'CIRCLE':
      return allocateAveragelyByCircle;
    default:
      throw new Error(`unknown allocate strategy '${name}' (AVG, AVG_BY_CIRCLE)`);
  }
}
