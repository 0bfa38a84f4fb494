import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { numericKeys } from '../../../src/common/fastjson.js';
import { configFilePaths, loadConfig, persistConfig } from '../../../src/store/config-file.js';
import { rmDir, tmpStoreDir } from './helpers.js';

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) rmDir(d); });

describe('config files', () => {
  it('writes Apache-shaped consumerOffset.json atomically, keeps .bak, falls back to it', () => {
    const root = tmpStoreDir('cfg');
    dirs.push(root);
    const { consumerOffset } = configFilePaths(root);
    expect(consumerOffset).toBe(path.join(root, 'config', 'consumerOffset.json'));
    persistConfig(consumerOffset, { offsetTable: { 'TopicTest@G1': numericKeys({ 0: 5, 1: 7 }) } });
    expect(fs.readFileSync(consumerOffset, 'utf8')).toBe('{\n\t"offsetTable":{\n\t\t"TopicTest@G1":{0:5,1:7\n\t\t}\n\t}\n}');
    persistConfig(consumerOffset, { offsetTable: { 'TopicTest@G1': numericKeys({ 0: 6 }) } });
    expect(fs.readFileSync(`${consumerOffset}.bak`, 'utf8')).toContain('{0:5,1:7');
    expect(fs.existsSync(`${consumerOffset}.tmp`)).toBe(false);
    expect(loadConfig(consumerOffset)).toEqual({ offsetTable: { 'TopicTest@G1': { '0': 6 } } });
    fs.writeFileSync(consumerOffset, '{"offsetTable":{'); // torn / corrupt
    expect(loadConfig(consumerOffset)).toEqual({ offsetTable: { 'TopicTest@G1': { '0': 5, '1': 7 } } });
    fs.rmSync(consumerOffset);
    fs.rmSync(`${consumerOffset}.bak`);
    expect(loadConfig(consumerOffset)).toBeNull();
  });
});
