import { NAME_VALUE_SEPARATOR, PROPERTY_SEPARATOR } from './message-const.js';

/** `k\u0001v\u0002` per pair, trailing separator included; null/undefined values skipped (storage.md §5). */
export function messageProperties2String(props: Record<string, string | undefined | null> | undefined): string {
  if (!props) return '';
  let s = '';
  for (const k in props) {
    const v = props[k];
    if (v === undefined || v === null) continue;
    s += k + NAME_VALUE_SEPARATOR + v + PROPERTY_SEPARATOR;
  }
  return s;
}

/** Java's parse: split on \u0002, skip pieces shorter than 3 chars, keep pairs with non-empty key and value. */
export function string2messageProperties(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!s) return out;
  // walks the separators with indexOf instead of split(): no array of pieces per message (send hot path)
  let start = 0;
  const n = s.length;
  while (start < n) {
    let end = s.indexOf(PROPERTY_SEPARATOR, start);
    if (end < 0) end = n;
    if (end - start >= 3) {
      const i = s.indexOf(NAME_VALUE_SEPARATOR, start);
      if (i > start && i < end - 1) out[s.slice(start, i)] = s.slice(i + 1, end);
    }
    start = end + 1;
  }
  return out;
}
