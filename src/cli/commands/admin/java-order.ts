// The order in which a java.util.Properties (JDK 9+: backed by a ConcurrentHashMap of initial capacity 8)
// iterates its keys after they were put in a given order. mqadmin's getBrokerConfig / getNamesrvConfig print
// a Properties as it iterates, so reproducing the table layout reproduces their output line for line.

/** Java String.hashCode (UTF-16 code units, 32-bit wrap). */
export function javaStringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

/** ConcurrentHashMap.spread: high bits folded in, sign bit cleared. */
function spread(h: number): number {
  return (h ^ (h >>> 16)) & 0x7fffffff;
}

interface Node {
  hash: number;
  key: string;
}

/** Keys in the iteration order of a Properties filled by put() in `insertion` order (duplicates keep their slot). */
export function javaPropertiesOrder(insertion: string[]): string[] {
  let n = 16; // new Properties(): ConcurrentHashMap(8) -> table of 16 on first put
  let sizeCtl = n - (n >>> 2);
  let table: Node[][] = Array.from({ length: n }, () => []);
  let count = 0;
  for (const key of insertion) {
    const hash = spread(javaStringHash(key));
    const bin = table[hash & (n - 1)];
    if (bin.some((x) => x.key === key)) continue;
    bin.push({ hash, key });
    count++;
    while (count >= sizeCtl) {
      // transfer(): each bin splits into a low and a high list; the nodes before the last run are
      // prepended, so they come out reversed in front of it
      const next: Node[][] = Array.from({ length: n * 2 }, () => []);
      for (let i = n - 1; i >= 0; i--) {
        const f = table[i];
        if (f.length === 0) continue;
        let runBit = f[0].hash & n;
        let lastRun = 0;
        for (let j = 1; j < f.length; j++) {
          const b = f[j].hash & n;
          if (b !== runBit) {
            runBit = b;
            lastRun = j;
          }
        }
        let lo: Node[] = runBit === 0 ? f.slice(lastRun) : [];
        let hi: Node[] = runBit !== 0 ? f.slice(lastRun) : [];
        for (let j = 0; j < lastRun; j++) {
          if ((f[j].hash & n) === 0) lo = [f[j], ...lo];
          else hi = [f[j], ...hi];
        }
        next[i] = lo;
        next[i + n] = hi;
      }
      table = next;
      n *= 2;
      sizeCtl = n - (n >>> 2);
    }
  }
  return table.flatMap((b) => b.map((x) => x.key));
}

/** Keys in the iteration order of a java.util.HashMap of the given capacity (no resize below 0.75 of it). */
export function javaHashMapOrder(insertion: string[], capacity = 128): string[] {
  let n = 1;
  while (n < capacity) n *= 2;
  while (insertion.length > n * 0.75) n *= 2;
  const bins: string[][] = Array.from({ length: n }, () => []);
  for (const key of insertion) {
    const h = javaStringHash(key);
    const bin = bins[(h ^ (h >>> 16)) & (n - 1)];
    if (!bin.includes(key)) bin.push(key);
  }
  return bins.flat();
}

/**
 * Items in the iteration order of a java.util.HashMap/HashSet (default capacity 16 unless given) after adding
 * them in order: a HashMap resize keeps the relative order within a bucket, so the final order is by bucket of
 * the final table, ties in insertion order.
 */
export function javaHashOrder<T>(insertion: T[], hashOf: (t: T) => number, capacity = 16): T[] {
  let n = 1;
  while (n < capacity) n *= 2;
  while (insertion.length > n * 0.75) n *= 2;
  return insertion
    .map((item, i) => {
      const h = hashOf(item);
      return { item, i, b: (h ^ (h >>> 16)) & (n - 1) };
    })
    .sort((a, b) => a.b - b.b || a.i - b.i)
    .map((x) => x.item);
}

/** MessageQueue.hashCode. */
export function javaMessageQueueHash(mq: { topic: string; brokerName: string; queueId: number }): number {
  let r = 1;
  r = (Math.imul(31, r) + javaStringHash(mq.brokerName)) | 0;
  r = (Math.imul(31, r) + mq.queueId) | 0;
  r = (Math.imul(31, r) + javaStringHash(mq.topic)) | 0;
  return r;
}
