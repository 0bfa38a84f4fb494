/**
 * Requests waiting for their answer, by opaque. Opaques come from one increasing counter, so the requests in
 * flight on a connection nearly always have distinct low bits: a ring of slots indexed by them holds each
 * entry with two array stores, and an entry whose slot is taken (a request still waiting after SLOTS newer
 * ones) goes to an overflow table.
 *
 * Not a Map, on purpose: with one insert and one delete per request, a V8 Map keeps rehashing into a new
 * table, and each obsolete table stays linked to its successor with its old entries. Once one of them is
 * promoted to the old generation, that chain keeps every later table — and the promise callbacks and answers
 * in them — alive through every young-generation collection. Measured with a paced client at 25k requests/s:
 * 29 % of all young allocations survived each scavenge, 4–6 ms scavenges and a 3–9 ms full collection every
 * ~0.5 s; without it 2–3 % survived and full collections stopped. A null-prototype object keyed by opaque
 * avoided that too, but large integer keys live in a hash dictionary there: ~0.2 µs per insert and delete.
 */
const SLOTS = 1024;
const MASK = SLOTS - 1;

export class PendingTable<T> {
  /** Allocated on first use: most server-side connections never send a request of their own. */
  private values: Array<T | undefined> | null = null;
  private keys: Int32Array | null = null;
  /** Entries whose slot was taken; rarely used, and small. */
  private overflow: Record<number, T> | null = null;
  private overflowCount = 0;
  private count = 0;

  get size(): number {
    return this.count;
  }

  get(opaque: number): T | undefined {
    const i = opaque & MASK;
    const values = this.values;
    if (values !== null) {
      const v = values[i];
      if (v !== undefined && this.keys![i] === opaque) return v;
    }
    return this.overflowCount > 0 ? this.overflow![opaque] : undefined;
  }

  set(opaque: number, value: T): void {
    const i = opaque & MASK;
    let values = this.values;
    if (values === null) {
      values = this.values = new Array<T | undefined>(SLOTS).fill(undefined);
      this.keys = new Int32Array(SLOTS);
    }
    const cur = values[i];
    if (cur === undefined) {
      // a slot freed while this opaque waited in the overflow table: it moves, counted once
      if (this.overflowCount > 0 && this.overflow![opaque] !== undefined) this.dropOverflow(opaque);
      else this.count++;
      values[i] = value;
      this.keys![i] = opaque;
      return;
    }
    if (this.keys![i] === opaque) {
      values[i] = value;
      return;
    }
    const o = (this.overflow ??= Object.create(null) as Record<number, T>);
    if (o[opaque] === undefined) {
      this.count++;
      this.overflowCount++;
    }
    o[opaque] = value;
  }

  /** Removes and returns the entry. */
  take(opaque: number): T | undefined {
    const i = opaque & MASK;
    const values = this.values;
    if (values !== null) {
      const v = values[i];
      if (v !== undefined && this.keys![i] === opaque) {
        values[i] = undefined;
        this.count--;
        return v;
      }
    }
    if (this.overflowCount === 0) return undefined;
    const v = this.overflow![opaque];
    if (v !== undefined) {
      this.dropOverflow(opaque);
      this.count--;
    }
    return v;
  }

  private dropOverflow(opaque: number): void {
    delete this.overflow![opaque];
    if (--this.overflowCount === 0) this.overflow = null;
  }

  /** Every entry (a snapshot: the callback may remove entries). */
  entries(): Array<[number, T]> {
    const out: Array<[number, T]> = [];
    const values = this.values;
    if (values !== null) {
      const keys = this.keys!;
      for (let i = 0; i < SLOTS; i++) {
        const v = values[i];
        if (v !== undefined) out.push([keys[i]!, v]);
      }
    }
    if (this.overflow !== null) for (const k in this.overflow) out.push([Number(k), this.overflow[k as unknown as number]!]);
    return out;
  }
}
