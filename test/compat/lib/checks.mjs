// Judging program summaries and admin output.

/**
 * Producer + consumer summaries → detail string, or throws with the first thing that is wrong.
 * opts: orderly, broadcast, retry, instances, allowDuplicates
 */
export function judgePair(prod, cons, opts = {}) {
  const perr = prod.errors || [];
  if (perr.length) throw new Error(`producer: ${perr[0]}${perr.length > 1 ? ` (+${perr.length - 1} more)` : ''}`);
  if (prod.sent !== prod.attempted) throw new Error(`producer: ${prod.sent}/${prod.attempted} acknowledged`);
  return judgeConsumer(cons, prod.expected, opts) + `; producer ${prod.sent} sent in ${prod.elapsedMs} ms` +
    (prod.checks !== undefined ? `, ${prod.checks} transaction check-backs` : '');
}

export function judgeConsumer(cons, expected, opts = {}) {
  const cerr = cons.errors || [];
  if (cons.distinct === undefined) throw new Error(`consumer: ${cerr[0] || 'no result'}`);
  const got = `${cons.distinct}/${expected} distinct`;
  if (!cons.complete) {
    throw new Error(`consumer got ${got}${cons.missingSample && cons.missingSample.length ? `, missing seq ${cons.missingSample.slice(0, 5).join(',')}…` : ''}${cerr.length ? `; ${cerr[0]}` : ''}`);
  }
  if (cons.distinct !== expected) throw new Error(`consumer got ${got} (more than the producer made deliverable)`);
  if (opts.broadcast) {
    const per = Object.values(cons.perInstance || {});
    if (per.length < (opts.instances || 2) || per.some((n) => n !== expected)) {
      throw new Error(`broadcasting: per instance ${JSON.stringify(cons.perInstance)}, each must be ${expected}`);
    }
  }
  if (opts.instances > 1 && !opts.broadcast) {
    const per = Object.values(cons.perInstance || {});
    if (per.filter((n) => n > 0).length < 2) throw new Error(`clustering: one instance got everything ${JSON.stringify(cons.perInstance)}`);
  }
  if (opts.orderly && cons.orderViolations > 0) throw new Error(`${cons.orderViolations} per-key order violations`);
  if (cons.delayViolations > 0) throw new Error(`${cons.delayViolations} delayed messages arrived early`);
  if (cons.corrupt > 0) throw new Error(`${cons.corrupt} bodies damaged`);
  if (cons.propertyMismatches > 0) throw new Error(`${cons.propertyMismatches} messages lost keys or user properties`);
  if (opts.retry && !(cons.retriedOnPurpose > 0 && cons.redelivered >= cons.retriedOnPurpose)) {
    throw new Error(`RECONSUME_LATER on ${cons.retriedOnPurpose} batches but ${cons.redelivered} redeliveries with reconsumeTimes > 0`);
  }
  if (cons.duplicates > 0 && !opts.allowDuplicates) throw new Error(`${cons.duplicates} duplicate deliveries`);
  return `received ${got}${cons.duplicates ? `, ${cons.duplicates} duplicates` : ''}${opts.orderly ? ', in order per key' : ''}${opts.retry ? `, ${cons.redelivered} redelivered` : ''} in ${cons.elapsedMs} ms`;
}

/** Same body layout as Payload.java, so a Java consumer can check messages that mqctl sent. */
export function payloadLine(run, seq, size = 64, orderKeys = 8) {
  const head = `${run}|${seq}|K${seq % orderKeys}|${Math.floor(seq / orderKeys)}|`;
  const guess = Math.max(size, head.length + 12);
  const full = `${head}${guess}|`;
  let body = full;
  for (let i = full.length; i < guess; i++) body += String.fromCharCode(97 + ((seq + i) % 26));
  if (body.length !== guess) throw new Error('payload length mismatch');
  return body;
}

/** Rows of an mqadmin fixed-width table: data lines split on whitespace (headers start with '#'). */
export function tableRows(text, firstCol) {
  return text.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'))
    .map((l) => l.split(/\s+/)).filter((c) => firstCol === undefined || c[0] === firstCol);
}

/** "key : value" lines (brokerStatus, getBrokerConfig style) → Map. */
export function kvLines(text) {
  const m = new Map();
  for (const l of text.split('\n')) {
    const x = /^\s*([A-Za-z][\w.]*)\s*[:=]\s*(.*)$/.exec(l);
    if (x) m.set(x[1], x[2].trim());
  }
  return m;
}

/** The first JSON object printed in a text (topicRoute prints pretty JSON after log noise). */
export function firstJson(text) {
  const i = text.indexOf('{');
  if (i < 0) throw new Error('no JSON in output');
  // fastjson writes Map<Long, String> keys bare ({0:"127.0.0.1:10911"}); quote them for JSON.parse.
  return JSON.parse(text.slice(i, text.lastIndexOf('}') + 1).replace(/([{,]\s*)(-?\d+)(\s*:)/g, '$1"$2"$3'));
}

function headerTokens(text) {
  return text.split('\n').filter((l) => l.trim().startsWith('#')).map((l) => l.trim().split(/\s+(?=#)/).map((t) => t.trim()));
}

/**
 * Compares what two admin tools printed, by the kind of output:
 * table — the '#' header columns and the number of data rows; kv — the set of keys; lines — the set of lines;
 * json — the key sets; labels — the 'Label:' prefixes of queryMsgById-style records.
 */
export function compareShape(kind, ours, theirs) {
  const diffSets = (a, b) => {
    const missing = [...b].filter((x) => !a.has(x));
    const extra = [...a].filter((x) => !b.has(x));
    if (missing.length || extra.length) {
      throw new Error(`${missing.length ? `missing ${missing.slice(0, 6).join(', ')}` : ''}${missing.length && extra.length ? '; ' : ''}${extra.length ? `extra ${extra.slice(0, 6).join(', ')}` : ''}`);
    }
  };
  switch (kind) {
    case 'table': {
      const h1 = headerTokens(ours);
      const h2 = headerTokens(theirs);
      if (h2.length === 0) throw new Error('mqadmin printed no header (reference output unusable)');
      if (JSON.stringify(h1) !== JSON.stringify(h2)) {
        throw new Error(`columns differ: ours ${JSON.stringify(h1).slice(0, 200)} vs mqadmin ${JSON.stringify(h2).slice(0, 200)}`);
      }
      const r1 = tableRows(ours).filter((c) => !/:$/.test(c[0]) && !/^[A-Z][a-z]+ [A-Za-z ]+:/.test(c.join(' '))).length;
      const r2 = tableRows(theirs).filter((c) => !/:$/.test(c[0]) && !/^[A-Z][a-z]+ [A-Za-z ]+:/.test(c.join(' '))).length;
      if (r1 !== r2) throw new Error(`same columns but ${r1} data rows vs mqadmin's ${r2}`);
      return `same ${h2.map((h) => h.length).join('+')} columns, ${r2} rows`;
    }
    case 'kv': {
      const a = new Set(kvLines(ours).keys());
      const b = new Set(kvLines(theirs).keys());
      if (b.size === 0) throw new Error('mqadmin printed no keys (reference output unusable)');
      diffSets(a, b);
      return `same ${b.size} keys`;
    }
    case 'lines': {
      const norm = (t) => new Set(t.split('\n').map((l) => l.trim()).filter(Boolean));
      diffSets(norm(ours), norm(theirs));
      return `same ${norm(theirs).size} lines`;
    }
    case 'json': {
      const keys = (d, p = '', acc = new Set()) => {
        if (Array.isArray(d)) d.forEach((v) => keys(v, `${p}[]`, acc));
        else if (d && typeof d === 'object') for (const [k, v] of Object.entries(d)) { acc.add(`${p}.${/^\d+$/.test(k) ? '#' : k}`); keys(v, `${p}.${/^\d+$/.test(k) ? '#' : k}`, acc); }
        return acc;
      };
      diffSets(keys(firstJson(ours)), keys(firstJson(theirs)));
      return 'same JSON structure';
    }
    case 'labels': {
      const labels = (t) => new Set(t.split('\n').map((l) => /^([A-Z][A-Za-z ]*[A-Za-z]):\s/.exec(l)).filter(Boolean).map((m) => m[1].trim()));
      const b = labels(theirs);
      if (b.size === 0) throw new Error('mqadmin printed no labels (reference output unusable)');
      diffSets(labels(ours), b);
      return `same ${b.size} labels`;
    }
    default:
      throw new Error(`unknown comparison ${kind}`);
  }
}
