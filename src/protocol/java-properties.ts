/**
 * Java properties text (requests.md §6 "Properties text format"): parsing follows java.util.Properties.load
 * (comments, continuation lines, `=`/`:`/blank separators, backslash escapes); writing follows
 * MixAll.properties2String (plain `key=value\n`, keys sorted, no escaping, no date comment).
 */
import { putOwn } from './body.js';

function isWs(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\f';
}

/** Split into logical lines: a line ending in an odd number of backslashes continues on the next one. */
function logicalLines(text: string): string[] {
  const physical = text.split(/\r\n|\r|\n/);
  const out: string[] = [];
  let acc: string | undefined;
  for (const raw of physical) {
    let line = raw;
    if (acc !== undefined) {
      // leading whitespace of a continuation line is dropped
      let i = 0;
      while (i < line.length && isWs(line[i])) i++;
      line = line.slice(i);
    } else {
      let i = 0;
      while (i < line.length && isWs(line[i])) i++;
      if (i === line.length || line[i] === '#' || line[i] === '!') continue;
      line = line.slice(i);
    }
    let bs = 0;
    for (let j = line.length - 1; j >= 0 && line[j] === '\\'; j--) bs++;
    if (bs % 2 === 1) {
      acc = (acc ?? '') + line.slice(0, -1);
      continue;
    }
    out.push((acc ?? '') + line);
    acc = undefined;
  }
  if (acc !== undefined) out.push(acc);
  return out;
}

function unescape(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = s[++i];
    if (e === undefined) break;
    if (e === 't') out += '\t';
    else if (e === 'n') out += '\n';
    else if (e === 'r') out += '\r';
    else if (e === 'f') out += '\f';
    else if (e === 'u') {
      const hex = s.slice(i + 1, i + 5);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new Error('Malformed \\uxxxx encoding.');
      out += String.fromCharCode(parseInt(hex, 16));
      i += 4;
    } else out += e;
  }
  return out;
}

/** Parse properties text; later keys win. Throws only on a malformed \u escape (as Java does). */
export function parseJavaProperties(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of logicalLines(text)) {
    let i = 0;
    let keyEnd = -1;
    let valueStart = line.length;
    while (i < line.length) {
      const c = line[i];
      if (c === '\\') {
        i += 2;
        continue;
      }
      if (c === '=' || c === ':') {
        keyEnd = i;
        valueStart = i + 1;
        break;
      }
      if (isWs(c)) {
        keyEnd = i;
        let j = i;
        while (j < line.length && isWs(line[j])) j++;
        if (line[j] === '=' || line[j] === ':') j++;
        valueStart = j;
        break;
      }
      i++;
    }
    if (keyEnd < 0) keyEnd = line.length;
    while (valueStart < line.length && isWs(line[valueStart])) valueStart++;
    putOwn(out, unescape(line.slice(0, keyEnd)), unescape(line.slice(valueStart)));
  }
  return out;
}

/** MixAll.properties2String with sorted keys. */
export function stringifyJavaProperties(props: Record<string, string | number | boolean | undefined>): string {
  return Object.keys(props)
    .filter((k) => props[k] !== undefined)
    .sort()
    .map((k) => `${k}=${String(props[k])}\n`)
    .join('');
}
