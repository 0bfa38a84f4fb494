import { describe, expect, it } from 'vitest';
import { parseIntFlag, parseKeyValues, parseTimeFlag, parseBoolFlag } from '../../../src/cli/output/parse.js';
import { versionDesc, messageToJson } from '../../../src/cli/output/format.js';
import { CliError } from '../../../src/cli/output/exit-codes.js';
import { exitCodeFor } from '../../../src/cli/run.js';
import { AdminError, NotFoundError } from '../../../src/client/admin/errors.js';
import { RemotingConnectError } from '../../../src/remoting/errors.js';

const usageError = (f: () => unknown): number => {
  try {
    f();
  } catch (e) {
    return (e as CliError).exitCode;
  }
  return -1;
};

describe('flag parsing', () => {
  it('integers with bounds', () => {
    expect(parseIntFlag('--q', '3', { min: 0 })).toBe(3);
    expect(parseIntFlag('--q', undefined)).toBeUndefined();
    expect(usageError(() => parseIntFlag('--q', 'x'))).toBe(2);
    expect(usageError(() => parseIntFlag('--q', '-1', { min: 0 }))).toBe(2);
  });
  it('times: ms, ISO, mqadmin pattern, relative', () => {
    expect(parseTimeFlag('--t', '1700000000000')).toBe(1700000000000);
    expect(parseTimeFlag('--t', '2024-01-02T03:04:05Z')).toBe(Date.UTC(2024, 0, 2, 3, 4, 5));
    expect(parseTimeFlag('--t', '2024-01-02#03:04:05:006')).toBe(new Date(2024, 0, 2, 3, 4, 5, 6).getTime());
    expect(parseTimeFlag('--t', '-1h', 10_000_000)).toBe(10_000_000 - 3_600_000);
    expect(usageError(() => parseTimeFlag('--t', 'yesterday-ish'))).toBe(2);
  });
  it('booleans and key=value', () => {
    expect(parseBoolFlag('--b', 'false')).toBe(false);
    expect(parseBoolFlag('--b', true)).toBe(true);
    expect(usageError(() => parseBoolFlag('--b', 'maybe'))).toBe(2);
    expect(parseKeyValues(['a=1', 'b=x=y'])).toEqual({ a: '1', b: 'x=y' });
    expect(usageError(() => parseKeyValues(['novalue']))).toBe(2);
  });
});

describe('formatting', () => {
  it('MQVersion ordinals', () => {
    expect(versionDesc(479)).toBe('V5_3_3');
    expect(versionDesc(413)).toBe('V5_0_0');
    expect(versionDesc(401)).toBe('V4_9_4');
    expect(versionDesc(409)).toBe('V4_9_8');
    expect(versionDesc(402)).toBe('V4_9_5_SNAPSHOT');
    expect(versionDesc(121)).toBe('121');
  });
  it('message JSON field names', () => {
    const j = messageToJson({
      topic: 'T', flag: 0, body: Buffer.from('hi'), properties: { UNIQ_KEY: 'U', TAGS: 'a', KEYS: 'k1 k2' }, queueId: 1, storeSize: 100, queueOffset: 5, sysFlag: 0,
      bornTimestamp: 1, bornHost: '1.2.3.4:5', storeTimestamp: 2, storeHost: '1.2.3.4:6', msgId: 'M', commitLogOffset: 9, bodyCRC: 3, reconsumeTimes: 0, preparedTransactionOffset: 0, version: 1,
    });
    expect(j).toMatchObject({ msgId: 'M', uniqKey: 'U', tags: 'a', keys: 'k1 k2', queueOffset: 5, body: 'hi', bodyLength: 2 });
  });
});

describe('exit codes', () => {
  it('map errors to 1/2/3/4', () => {
    expect(exitCodeFor(new CliError('x', 2))).toBe(2);
    expect(exitCodeFor(new RemotingConnectError('127.0.0.1:1', 'refused'))).toBe(3);
    expect(exitCodeFor(new NotFoundError('gone', 17))).toBe(4);
    expect(exitCodeFor(new AdminError('failed', 1))).toBe(1);
  });
});
