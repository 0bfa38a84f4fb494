import { describe, expect, it } from 'vitest';
import { parseJavaProperties, stringifyJavaProperties } from '../../../src/protocol/java-properties.js';

describe('Java properties text', () => {
  it('parses like Properties.load', () => {
    const text = [
      '# comment',
      '! also a comment',
      'listenPort=9877',
      '  kvConfigPath : /tmp/kv.json',
      'spaced value here',
      'multi=one \\',
      '    two',
      'esc=a\\tb\\u0041\\\\',
      'empty=',
      'key\\=with\\:seps=v',
      '',
    ].join('\n');
    expect(parseJavaProperties(text)).toEqual({
      listenPort: '9877',
      kvConfigPath: '/tmp/kv.json',
      spaced: 'value here',
      multi: 'one two',
      esc: 'a\tbA\\',
      empty: '',
      'key=with:seps': 'v',
    });
  });

  it('handles CRLF and last key wins', () => {
    expect(parseJavaProperties('a=1\r\na=2\r\nb')).toEqual({ a: '2', b: '' });
  });

  it('rejects a malformed \\u escape', () => {
    expect(() => parseJavaProperties('a=\\uZZZZ')).toThrow('Malformed');
  });

  it('writes MixAll.properties2String style, keys sorted, no escaping', () => {
    expect(stringifyJavaProperties({ b: true, a: 'x y', c: 3, d: undefined })).toBe('a=x y\nb=true\nc=3\n');
  });
});
