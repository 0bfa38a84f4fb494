// The subset of Java's String.format that mqadmin's output uses (%s %d %f with flags '-' and '0', width and
// precision, %n, %%), so the compatible mode prints byte-for-byte the same columns.

function pad(s: string, width: number | undefined, left: boolean, zero: boolean): string {
  if (width === undefined || s.length >= width) return s;
  if (left) return s + ' '.repeat(width - s.length);
  if (zero) {
    const neg = s.startsWith('-');
    const digits = neg ? s.slice(1) : s;
    return (neg ? '-' : '') + '0'.repeat(width - s.length) + digits;
  }
  return ' '.repeat(width - s.length) + s;
}

/** Java's String.valueOf for what the admin commands pass: null prints "null", booleans "true"/"false". */
export function javaString(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  return String(v);
}

/** Java's Double.toString for plain values ("0.0", "12.5"). */
export function javaDoubleToString(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e7) return n.toFixed(1);
  return String(n);
}

export function jformat(fmt: string, ...args: unknown[]): string {
  let i = 0;
  return fmt.replace(/%(-)?(0)?(\d+)?(?:\.(\d+))?([sdfn%])/g, (_m, minus: string | undefined, zero: string | undefined, w: string | undefined, p: string | undefined, conv: string) => {
    if (conv === 'n') return '\n';
    if (conv === '%') return '%';
    const width = w === undefined ? undefined : Number(w);
    const v = args[i++];
    let s: string;
    if (conv === 'd') s = typeof v === 'number' ? Math.trunc(v).toString() : typeof v === 'bigint' ? v.toString() : javaString(v);
    else if (conv === 'f') s = Number(v ?? 0).toFixed(p === undefined ? 6 : Number(p));
    else {
      s = javaString(v);
      if (p !== undefined) s = s.slice(0, Number(p));
    }
    return pad(s, width, !!minus, !!zero && conv !== 's');
  });
}

/** UtilAll.frontStringAtLeast: the first `size` characters. */
export function front(s: string, size: number): string {
  return s.length > size ? s.slice(0, size) : s;
}

/** UtilAll.formatDate(d, "yyyy-MM-dd HH:mm:ss") in local time. */
export function javaDate(ms: number): string {
  const d = new Date(ms);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** UtilAll.timeMillisToHumanString2 (yyyy-MM-dd HH:mm:ss,SSS, local time), also for 0. */
export function javaHumanTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())},${p(d.getMilliseconds(), 3)}`;
}
