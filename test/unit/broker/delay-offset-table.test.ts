import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DelayOffsetTable, parseDelayOffsetJson } from '../../../src/broker/schedule/delay-offset-table.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('delayOffset.json periodic persist', () => {
  it('writes only when an offset changed, off the event loop, and a final persist after it sees every offset', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mqctl-delay-'));
    dirs.push(root);
    const t = new DelayOffsetTable(root);
    const file = t.file;
    await t.persistIfChanged();
    expect(fs.existsSync(file)).toBe(false); // nothing changed yet: nothing written
    t.set(1, 5);
    t.set(3, 7);
    const writing = t.persistIfChanged();
    expect(fs.existsSync(file)).toBe(false); // the write happens on the thread pool, not in this call
    await writing;
    expect([...parseDelayOffsetJson(fs.readFileSync(file, 'utf8')).offsets]).toEqual([[1, 5], [3, 7]]);
    fs.rmSync(file);
    t.set(1, 5); // same value: not a change
    await t.persistIfChanged();
    expect(fs.existsSync(file)).toBe(false);
    t.set(1, 6);
    void t.persistIfChanged();
    await t.settled();
    t.set(2, 1);
    t.persist();
    const again = new DelayOffsetTable(root);
    again.load();
    expect(again.entries()).toEqual([[1, 6], [2, 1], [3, 7]]);
  });
});
