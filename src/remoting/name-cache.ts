// extFields names seen before, shared by both header readers: slots by a hash of length and end bytes, and a
// name that matches its slot is reused instead of cut out of the header again and looked up in V8's string
// table as a fresh property key.

export const NAME_SLOTS = 512;
const NAMES: Array<string | undefined> = new Array(NAME_SLOTS).fill(undefined);
/** Names longer than this are not kept. */
const MAX_NAME = 64;

/** The slot of the name internName last returned, or -1 when that name was too long to keep. */
export let nameSlot = -1;

/** The ASCII name in buf[from, to) (at least one byte), as the cached string when there is one. */
export function internName(buf: Buffer, from: number, to: number): string {
  const len = to - from;
  if (len > MAX_NAME) {
    nameSlot = -1;
    return buf.toString('latin1', from, to);
  }
  const slot = (len * 31 + buf[from]! * 7 + buf[to - 1]!) & (NAME_SLOTS - 1);
  nameSlot = slot;
  const cached = NAMES[slot];
  if (cached !== undefined && cached.length === len) {
    let k = 0;
    while (k < len && cached.charCodeAt(k) === buf[from + k]) k++;
    if (k === len) return cached;
  }
  // a string of its own, not a slice of a header's text: the cache must not keep whole headers alive
  return (NAMES[slot] = buf.toString('latin1', from, to));
}
