// The matrix bookkeeping: each cell runs under its own time limit, ends the processes it started when that
// limit passes, and is recorded as pass or fail with a one-line reason. A cell never throws out of here.
import { writeFileSync } from 'node:fs';

export class Matrix {
  constructor({ budgetMs }) {
    this.results = [];
    this.t0 = Date.now();
    this.budgetFrom = this.t0;
    this.budgetMs = budgetMs;
  }

  /** Starts the budget clock again (after a first Maven download, which can take minutes). */
  restartBudget() {
    this.budgetFrom = Date.now();
  }

  elapsed() {
    return Date.now() - this.t0;
  }

  /**
   * fn(owner) resolves to a detail string (pass) or throws (fail). owner is the Set of the cell's children.
   * A failed cell runs once more (a loaded 2-core CI box makes JVM timing noisy); a pass on the second try is
   * recorded with the first failure's reason, so a flaky cell stays visible in RESULTS.md.
   */
  async cell(section, name, limitMs, fn) {
    const started = Date.now();
    const first = await this.attempt(limitMs, fn);
    let { ok, reason } = first;
    if (!ok && !first.notRun) {
      const second = await this.attempt(limitMs, fn);
      ok = second.ok;
      reason = ok ? `${second.reason} (passed on retry; first try: ${first.reason})` : `${second.reason} (failed twice; first try: ${first.reason})`;
    }
    const ms = Date.now() - started;
    reason = reason.replace(/\s+/g, ' ').trim();
    this.results.push({ section, name, ok, reason, ms });
    process.stdout.write(`${ok ? 'PASS' : 'FAIL'}  [${section}] ${name} (${(ms / 1000).toFixed(1)} s)${reason ? ` — ${reason.slice(0, 300)}` : ''}\n`);
    return ok;
  }

  async attempt(limitMs, fn) {
    const owner = new Set();
    let ok = false;
    let reason = '';
    let notRun = false;
    if (Date.now() - this.budgetFrom > this.budgetMs) {
      reason = `not run: the run's time budget (${Math.round(this.budgetMs / 1000)} s) was used up`;
      notRun = true;
    } else {
      let timer;
      try {
        const limit = new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`cell time limit of ${Math.round(limitMs / 1000)} s exceeded`)), limitMs);
        });
        const detail = await Promise.race([Promise.resolve().then(() => fn(owner)), limit]);
        ok = true;
        reason = typeof detail === 'string' ? detail : '';
      } catch (err) {
        reason = err && err.message ? err.message : String(err);
      } finally {
        clearTimeout(timer);
        for (const c of owner) {
          try { c.kill('SIGKILL'); } catch { /* gone */ }
        }
      }
    }
    return { ok, reason, notRun };
  }

  /** Records a cell that could not run because something it needs is missing. */
  skip(section, name, reason) {
    this.results.push({ section, name, ok: false, reason, ms: 0 });
    process.stdout.write(`FAIL  [${section}] ${name} — ${reason}\n`);
  }

  counts() {
    const passed = this.results.filter((r) => r.ok).length;
    return { passed, failed: this.results.length - passed };
  }

  writeMarkdown(file, header) {
    const { passed, failed } = this.counts();
    const esc = (s) => String(s).replace(/\|/g, '\\|').replace(/\n/g, ' ');
    const lines = [
      '# Compatibility results',
      '',
      'Written by `npm run test:compat` (test/compat/run.mjs); do not edit by hand.',
      '',
      ...header,
      '',
      `**${passed} passed, ${failed} failed** in ${(this.elapsed() / 1000).toFixed(0)} s.`,
      '',
      '| # | section | cell | result | time | detail / reason |',
      '| --- | --- | --- | --- | --- | --- |',
    ];
    this.results.forEach((r, i) => {
      lines.push(`| ${i + 1} | ${esc(r.section)} | ${esc(r.name)} | ${r.ok ? 'pass' : '**FAIL**'} | ${(r.ms / 1000).toFixed(1)} s | ${esc(r.reason.slice(0, 400))} |`);
    });
    lines.push('');
    writeFileSync(file, lines.join('\n'));
  }
}
