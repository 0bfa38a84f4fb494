import { describe, expect, it } from 'vitest';
import { javaDouble, numericKeys, parseFastjson, stringifyFastjson } from '../../../src/common/fastjson.js';

describe('parseFastjson', () => {
  it('accepts unquoted numeric keys and single quotes', () => {
    const v = parseFastjson(`{"offsetTable":{"T@G":{0:5,1:7\n\t\t}}, 'a':'x\\'y'}`) as any;
    expect(v.offsetTable['T@G']).toEqual({ '0': 5, '1': 7 });
    expect(v.a).toBe("x'y");
  });
  it('object keys: canonical string by default, Map in entries mode', () => {
    const text = `{"offsetTable":{{"topic":"T","queueId":0,"brokerName":"b"}:{"maxOffset":10,"minOffset":0}}}`;
    const a = parseFastjson(text) as any;
    expect(a.offsetTable['{"brokerName":"b","queueId":0,"topic":"T"}']).toEqual({ maxOffset: 10, minOffset: 0 });
    const b = parseFastjson(text, { objectKeys: 'entries' }) as any;
    expect(b.offsetTable).toBeInstanceOf(Map);
    const [[k, val]] = [...b.offsetTable.entries()];
    expect(k).toEqual({ topic: 'T', queueId: 0, brokerName: 'b' });
    expect(val).toEqual({ maxOffset: 10, minOffset: 0 });
  });
  it('big integers become bigint; escapes decode', () => {
    const v = parseFastjson('{"a":9223372036854775807,"b":-1.5e3,"c":"\\u0041\\n","d":[true,false,null]}') as any;
    expect(v.a).toBe(9223372036854775807n);
    expect(v.b).toBe(-1500);
    expect(v.c).toBe('A\n');
    expect(v.d).toEqual([true, false, null]);
  });
  it('rejects garbage with a syntax error', () => {
    expect(() => parseFastjson('{"a":')).toThrow(/position/);
    expect(() => parseFastjson('{"a":1} x')).toThrow(/trailing/);
    expect(() => parseFastjson('[1,')).toThrow();
  });
});

describe('stringifyFastjson', () => {
  it('native: sorted bean keys, unquoted numeric-key maps, nulls omitted', () => {
    const v = { z: 1, a: 'x', n: null, m: new Map([[0, 'h:1'], [1, 'h:2']]), o: numericKeys({ 3: 4, 1: 2 }) };
    expect(stringifyFastjson(v)).toBe('{"a":"x","m":{0:"h:1",1:"h:2"},"o":{1:2,3:4},"z":1}');
  });
  it('object keys and doubles', () => {
    const m = new Map([[{ topic: 'T', queueId: 0, brokerName: 'b' }, { maxOffset: 10 }]]);
    expect(stringifyFastjson({ offsetTable: m, tps: javaDouble(0) })).toBe(
      '{"offsetTable":{{"brokerName":"b","queueId":0,"topic":"T"}:{"maxOffset":10}},"tps":0.0}',
    );
  });
  it('pretty format matches consumerOffset.json shape', () => {
    const v = { offsetTable: { 'TopicTest@G1': numericKeys({ 0: 5, 1: 7 }) }, groupTopicMap: { G1: ['TopicTest'] } };
    expect(stringifyFastjson(v, { pretty: true })).toBe(
      '{\n\t"groupTopicMap":{\n\t\t"G1":["TopicTest"]\n\t},\n\t"offsetTable":{\n\t\t"TopicTest@G1":{0:5,1:7\n\t\t}\n\t}\n}',
    );
    expect(stringifyFastjson({ attributes: {}, list: [{}, {}] }, { pretty: true })).toBe(
      '{\n\t"attributes":{},\n\t"list":[\n\t\t{},\n\t\t{}\n\t]\n}',
    );
  });
  it('standard mode quotes keys, sorts, escapes', () => {
    const v = { b: new Map([[1, 'x'], [0, 'é/']]), a: 2n ** 60n };
    expect(stringifyFastjson(v, { standard: true })).toBe('{"a":"1152921504606846976","b":{"0":"\\u00E9\\/","1":"x"}}');
  });
  it('round trips through the parser', () => {
    const v = { dataVersion: { counter: 2, timestamp: 1700000000000 }, t: { A: { perm: 6, order: false } } };
    expect(parseFastjson(stringifyFastjson(v, { pretty: true }))).toEqual(v);
  });
});
