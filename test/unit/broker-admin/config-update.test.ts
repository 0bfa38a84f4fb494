import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/common/logger.js';
import { defaultBrokerConfig } from '../../../src/broker/config.js';
import { applyConfigUpdate } from '../../../src/broker/processors/admin/config-update.js';
import { parseJavaProperties } from '../../../src/protocol/java-properties.js';

describe('applyConfigUpdate', () => {
  it('applies parsable values, ignores bad ones and writes them back into the -c file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mqctl-cfg-'));
    try {
      const file = path.join(dir, 'broker.conf');
      fs.writeFileSync(file, '# my broker\nbrokerName=broker-x\nmaxMessageSize=100\n');
      const cfg = defaultBrokerConfig();
      cfg.configFile = file;
      const port = cfg.listenPort;
      const accepted = applyConfigUpdate(cfg, { maxMessageSize: '2048', listenPort: 'not-a-number', flushDiskType: 'SYNC_FLUSH' }, silentLogger);
      expect(Object.keys(accepted).sort()).toEqual(['flushDiskType', 'maxMessageSize']);
      expect(cfg.maxMessageSize).toBe(2048);
      expect(cfg.flushDiskType).toBe('SYNC_FLUSH');
      expect(cfg.listenPort).toBe(port);
      const onDisk = parseJavaProperties(fs.readFileSync(file, 'utf8'));
      expect(onDisk).toEqual({ brokerName: 'broker-x', maxMessageSize: '2048', flushDiskType: 'SYNC_FLUSH' });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('without a config file only the live config changes', () => {
    const cfg = defaultBrokerConfig();
    applyConfigUpdate(cfg, { defaultTopicQueueNums: '3' }, silentLogger);
    expect(cfg.defaultTopicQueueNums).toBe(3);
  });
});
