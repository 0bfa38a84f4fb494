import { describe, expect, it } from 'vitest';
import { jformat, front, javaDoubleToString } from '../../../src/cli/commands/admin/printf.js';
import { parseMqadminArgs, o } from '../../../src/cli/commands/admin/options.js';
import { findCompatCommand, compatCommands } from '../../../src/cli/commands/admin/registry.js';
import { CliError } from '../../../src/cli/output/exit-codes.js';

describe('jformat (Java printf subset)', () => {
  it('pads like Java: left, right, zero, precision', () => {
    expect(jformat('%-6s|%6s|%04d|%-4d|%.2f|%9.2f%n', 'ab', 'cd', 7, 3, 1.005, 12.5)).toBe('ab    |    cd|0007|3   |1.00|    12.50\n');
    expect(jformat('%s %s %d', null, true, -5)).toBe('null true -5');
    expect(jformat('100%%')).toBe('100%');
    expect(jformat('%d-%d(%.1fw, %.1f, %.1f)', 0, 0, 0, 0, 0)).toBe('0-0(0.0w, 0.0, 0.0)');
  });
  it('reproduces a captured mqadmin topicStatus line', () => {
    // captured from Apache mqadmin 5.3.3
    expect(jformat('%-32s  %-4d  %-20d  %-20d    %s%n', 'broker-a', 0, 0, 2, '2026-11-24 06:37:59,348')).toBe(
      'broker-a                          0     0                     2                       2026-11-24 06:37:59,348\n',
    );
  });
  it('front and Java double text', () => {
    expect(front('abcdef', 3)).toBe('abc');
    expect(javaDoubleToString(0)).toBe('0.0');
    expect(javaDoubleToString(2.5)).toBe('2.5');
  });
});

describe('mqadmin option parsing', () => {
  const specs = [o('t', 'topic', true, true), o('c', 'clusterModel', false), o('qn', 'totalQueueNum', true)];
  it('short, attached, long and long= forms; flags; multi-letter shorts', () => {
    expect([...parseMqadminArgs('x', specs, ['-t', 'T', '-c'])]).toEqual([['t', 'T'], ['c', true]]);
    expect(parseMqadminArgs('x', specs, ['-tT']).get('t')).toBe('T');
    expect(parseMqadminArgs('x', specs, ['--topic', 'T']).get('t')).toBe('T');
    expect(parseMqadminArgs('x', specs, ['--TOPIC=T']).get('t')).toBe('T');
    expect(parseMqadminArgs('x', specs, ['-t', 'T', '-qn', '8']).get('qn')).toBe('8');
  });
  it('missing required, unknown option and missing value are usage errors (exit 2)', () => {
    for (const argv of [[], ['-t', 'T', '-z'], ['-t'], ['-t', 'T', 'stray']]) {
      let err: unknown;
      try {
        parseMqadminArgs('x', specs, argv);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(CliError);
      expect((err as CliError).exitCode).toBe(2);
    }
  });
});

describe('compat registry', () => {
  it('has the daily commands, matched case-insensitively', () => {
    for (const name of ['updateTopic', 'deleteTopic', 'topicList', 'topicRoute', 'topicStatus', 'topicClusterList', 'updateSubGroup', 'deleteSubGroup', 'consumerProgress', 'consumerConnection', 'consumerStatus', 'producerConnection', 'queryMsgById', 'queryMsgByKey', 'queryMsgByUniqueKey', 'queryMsgByOffset', 'printMsg', 'printMsgByQueue', 'resetOffsetByTime', 'clusterList', 'brokerStatus', 'getBrokerConfig', 'updateBrokerConfig', 'wipeWritePerm', 'addWritePerm', 'getNamesrvConfig', 'updateNamesrvConfig', 'updateKvConfig', 'deleteKvConfig', 'cleanExpiredCQ', 'statsAll', 'sendMessage', 'consumeMessage', 'brokerConsumeStats', 'allocateMQ']) {
      expect(findCompatCommand(name)?.name, name).toBe(name);
      expect(findCompatCommand(name.toLowerCase())?.name).toBe(name);
    }
    expect(compatCommands).toHaveLength(35);
    expect(findCompatCommand('nope')).toBeUndefined();
  });
});
