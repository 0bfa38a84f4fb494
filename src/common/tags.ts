/** Java String.hashCode() over UTF-16 code units, as a signed 32-bit int. */
export function javaStringHashCode(s: string): number {
  return continueJavaHash(0, s);
}

/**
 * The hash of `prefix + s` given the hash of `prefix` (Java's hash is a running polynomial): callers hash a
 * fixed prefix once and skip building the concatenation. (Not an optional parameter of javaStringHashCode:
 * that one is passed to Array.map, which would feed it indexes.)
 */
export function continueJavaHash(prefixHash: number, s: string): number {
  let h = prefixHash;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

/** Consume-queue tags code: hash of the TAGS property; 0 when there are no tags. */
export function tagsString2tagsCode(tags: string | undefined | null): number {
  if (!tags) return 0;
  return javaStringHashCode(tags);
}

/** Parse a TAG subscription expression: null/''/'*' = all; else split on '||', trimmed, empties dropped. */
export function parseTagExpression(expr: string | null | undefined): { all: boolean; tags: Set<string>; codes: Set<number> } {
  if (expr == null || expr.trim() === '' || expr.trim() === '*') return { all: true, tags: new Set(), codes: new Set() };
  const tags = new Set(expr.split('||').map((t) => t.trim()).filter((t) => t.length > 0));
  return { all: false, tags, codes: new Set([...tags].map(javaStringHashCode)) };
}
