import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configToProperties, loadBrokerConfig, parseDelayLevels } from '../../../src/broker/config.js';
import type { Logger } from '../../../src/common/logger.js';

function capture(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, debug() {}, info() {}, error() {}, warn: (m: string) => warnings.push(m) };
}

function confFile(text: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'mqctl-conf-'));
  const f = path.join(dir, 'broker.conf');
  writeFileSync(f, text);
  return f;
}

describe('broker config', () => {
  it('reads Apache broker.conf: separators, comments, escapes, continuation lines', () => {
    const f = confFile([
      '# comment',
      '! another comment',
      'brokerClusterName = ClusterX',
      'brokerName:broker-x',
      'brokerId 0',
      'storePathRootDir=/tmp/a\\\\b',
      'messageDelayLevel=1s 5s \\',
      '    10s',
      'autoCreateTopicEnable=FALSE',
      'listenPort=10999',
      'brokerIP1=10.1.2.3',
      'regionId=Region\\u0041',
      '',
    ].join('\n'));
    const cfg = loadBrokerConfig({ file: f, env: {} });
    expect(cfg.brokerClusterName).toBe('ClusterX');
    expect(cfg.brokerName).toBe('broker-x');
    expect(cfg.storePathRootDir).toBe('/tmp/a\\b');
    expect(cfg.storePathCommitLog).toBe(path.join('/tmp/a\\b', 'commitlog'));
    expect(cfg.messageDelayLevel).toBe('1s 5s 10s');
    expect(cfg.autoCreateTopicEnable).toBe(false);
    expect(cfg.listenPort).toBe(10999);
    expect(cfg.haListenPort).toBe(11000);
    expect(cfg.brokerIP1).toBe('10.1.2.3');
    expect(cfg.brokerIP2).toBe('10.1.2.3');
    expect(cfg.regionId).toBe('RegionA');
  });

  it('flags override the file; NAMESRV_ADDR is used when neither sets namesrvAddr', () => {
    const f = confFile('listenPort=10999\nbrokerName=fromfile\n');
    const a = loadBrokerConfig({ file: f, env: { NAMESRV_ADDR: '1.1.1.1:9876' }, overrides: { listenPort: 20000, brokerName: undefined } });
    expect(a.listenPort).toBe(20000);
    expect(a.brokerName).toBe('fromfile');
    expect(a.namesrvAddr).toBe('1.1.1.1:9876');
    const b = loadBrokerConfig({ file: confFile('namesrvAddr=2.2.2.2:9876\n'), env: { NAMESRV_ADDR: '1.1.1.1:9876' } });
    expect(b.namesrvAddr).toBe('2.2.2.2:9876');
    const c = loadBrokerConfig({ env: { NAMESRV_ADDR: '1.1.1.1:9876' }, overrides: { namesrvAddr: '3.3.3.3:9876' } });
    expect(c.namesrvAddr).toBe('3.3.3.3:9876');
  });

  it('warns once per unknown key and keeps it in raw', () => {
    const log = capture();
    const f = confFile('someFutureKey=1\nsomeFutureKey=2\nanotherUnknownKey_xyz=3\n');
    const cfg = loadBrokerConfig({ file: f, env: {}, logger: log });
    loadBrokerConfig({ file: f, env: {}, logger: log });
    expect(log.warnings.filter((w) => w.includes("'someFutureKey'"))).toHaveLength(1);
    expect(log.warnings.filter((w) => w.includes("'anotherUnknownKey_xyz'"))).toHaveLength(1);
    expect(cfg.raw.someFutureKey).toBe('2');
  });

  it('rejects bad values with the key named', () => {
    expect(() => loadBrokerConfig({ file: confFile('listenPort=abc\n'), env: {} })).toThrow(/listenPort/);
    expect(() => loadBrokerConfig({ overrides: { brokerRole: 'LEADER' }, env: {} })).toThrow(/brokerRole/);
    expect(() => loadBrokerConfig({ overrides: { brokerRole: 'SLAVE', brokerId: 0 }, env: {} })).toThrow(/brokerId/);
    expect(() => loadBrokerConfig({ file: '/nonexistent/broker.conf', env: {} })).toThrow(/cannot read broker config/);
  });

  it('masters get id 0; typed values print as Java does', () => {
    const cfg = loadBrokerConfig({ overrides: { brokerId: 3 }, env: {} });
    expect(cfg.brokerId).toBe(0);
    const props = configToProperties(cfg);
    expect(props.autoCreateTopicEnable).toBe('true');
    expect(props.listenPort).toBe('10911');
    expect(props.defaultTopicQueueNums).toBe('8');
  });

  it('parses delay levels', () => {
    expect(parseDelayLevels('1s 5s 2m 1h 1d')).toEqual([1000, 5000, 120000, 3600000, 86400000]);
    expect(() => parseDelayLevels('1s 5x')).toThrow(/5x/);
  });
});
