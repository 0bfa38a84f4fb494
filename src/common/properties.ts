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
  for (const piece of s.split(PROPERTY_SEPARATOR)) {
    if (piece.length < 3) continue;
    const i = piece.indexOf(NAME_VALUE_SEPARATOR);
    if (i <= 0 || i === piece.length - 1) continue;
    out[piece.slice(0, i)] = piece.slice(i + 1);
  }
  return out;
}
