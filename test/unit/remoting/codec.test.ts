import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RemotingCommand, SerializeType } from '../../../src/remoting/command.js';
import { decodeFrameContent, encodeFrame, FrameSplitter } from '../../../src/remoting/frame.js';
import { decodeJsonHeader, encodeJsonHeader, encodeJsonHeaderString, writeJsonHeader } from '../../../src/remoting/header-json.js';
import { decodeBinaryHeader, encodeBinaryHeader } from '../../../src/remoting/header-binary.js';
import { FrameDecodeError } from '../../../src/remoting/errors.js';

const vector = (name: string): Buffer =>
  Buffer.from(readFileSync(new URL(`../../../fixtures/remoting/${name}`, import.meta.url), 'utf8').trim(), 'hex');

function cmd(init: Partial<RemotingCommand>): RemotingCommand {
  return Object.assign(new RemotingCommand(), init);
}

describe('byte-exact frames from the reference', () => {
  it('GET_ROUTEINFO_BY_TOPIC with a JSON header', () => {
    const c = cmd({ code: 105, extFields: { topic: 'TopicTest' }, opaque: 1, version: 479 });
    expect(encodeFrame(c).toString('hex')).toBe(vector('route-request-json.hex').toString('hex'));
  });

  it('GET_ROUTEINFO_BY_TOPIC with a ROCKETMQ binary header', () => {
    const c = cmd({ code: 105, extFields: { topic: 'TopicTest' }, opaque: 1, version: 479, serializeType: SerializeType.ROCKETMQ });
    expect(encodeFrame(c).toString('hex')).toBe(vector('route-request-binary.hex').toString('hex'));
  });

  it('a response with a remark holding a control character', () => {
    const c = cmd({ code: 17, flag: 1, opaque: 7, version: 479, remark: 'No topic route info in name server for the topic: T\u0001x' });
    expect(encodeFrame(c).toString('hex')).toBe(vector('response-remark-json.hex').toString('hex'));
  });

  it('a oneway binary request with remark and body', () => {
    const c = cmd({ code: 15, version: 409, opaque: 300, flag: 2, remark: 'hi', body: Buffer.from('abc'), serializeType: SerializeType.ROCKETMQ });
    const frame = encodeFrame(c);
    expect(frame.toString('hex')).toBe(vector('oneway-binary-body.hex').toString('hex'));
    const back = decodeFrameContent(frame.subarray(4));
    expect(back.isOneway()).toBe(true);
    expect(back.body?.toString()).toBe('abc');
    expect(back.remark).toBe('hi');
  });
});

describe('header codecs round-trip', () => {
  const sample = cmd({
    code: 310,
    language: 'GO',
    version: 409,
    opaque: 123456,
    flag: 0,
    remark: 'héllo/\u0002 "quoted" \\',
    extFields: { a: 'PG', b: 'TopicTest', i: 'UNIQ_KEY\u0001C0A8\u0002WAIT\u0001true\u0002', n: 'broker-ä' },
  });

  it('JSON', () => {
    const back = decodeJsonHeader(encodeJsonHeader(sample));
    expect(back).toMatchObject({ code: 310, language: 'GO', version: 409, opaque: 123456, flag: 0, remark: sample.remark, extFields: sample.extFields });
  });

  it('binary', () => {
    const back = decodeBinaryHeader(encodeBinaryHeader(sample));
    expect(back).toMatchObject({ code: 310, language: 'GO', version: 409, opaque: 123456, flag: 0, remark: sample.remark, extFields: sample.extFields });
  });

  it('JSON escapes control characters as \\uXXXX and keeps non-ASCII and / raw', () => {
    const text = encodeJsonHeader(sample).toString('utf8');
    expect(text).toContain('\\u0001C0A8\\u0002');
    expect(text).toContain('héllo/');
    expect(text.startsWith('{"code":310,"extFields":{')).toBe(true);
  });

  it('JSON parse is lenient like fastjson', () => {
    const c = decodeJsonHeader(Buffer.from('{"code":34,"language":9,"opaque":5,"extFields":{"queueId":0,"k":false},"unknown":1}'));
    expect(c.language).toBe('GO');
    expect(c.extFields).toEqual({ queueId: '0', k: 'false' });
    expect(c.flag).toBe(0);
    expect(c.version).toBe(0);
    expect(decodeJsonHeader(Buffer.from('{"code":1,"opaque":2}')).language).toBe('JAVA');
  });

  it('JSON: repeated values come back equal whatever the previous request carried (value cache)', () => {
    const values = ['TopicA', 'TopicA', 'TopicAB', 'Topic', 'Top\\"ic', 'Top\\u0041ic', 'TopAic', 'TopicA', 'x', '', 'TopicA', 'é', 'TopicA'];
    for (const v of values) {
      const json = `{"code":310,"extFields":{"b":"${v}","topicName":"${v}"},"flag":0,"language":"JAVA","opaque":1,"version":479}`;
      const want = (JSON.parse(json) as { extFields: Record<string, string> }).extFields;
      expect(decodeJsonHeader(Buffer.from(json, 'utf8')).extFields).toEqual(want);
    }
  });

  it('binary: ASCII headers decode the same on repeat (cached names) and next to non-ASCII ones', () => {
    const ascii = cmd({ code: 310, opaque: 9, extFields: { a: 'PG', b: 'TopicTest', queueOffset: '17', i: 'TAGS\u0001x\u0002' } });
    for (let i = 0; i < 3; i++) expect(decodeBinaryHeader(encodeBinaryHeader(ascii)).extFields).toEqual(ascii.extFields);
    const mixed = cmd({ code: 310, extFields: { queueOffset: 'ü', b: 'TopicTest' } });
    expect(decodeBinaryHeader(encodeBinaryHeader(mixed)).extFields).toEqual({ queueOffset: 'ü', b: 'TopicTest' });
    // in place, between offsets, as the frame decoder calls it
    const bytes = encodeBinaryHeader(ascii);
    const framed = Buffer.concat([Buffer.from([1, 2, 3]), bytes, Buffer.from([4])]);
    expect(decodeBinaryHeader(framed, 3, 3 + bytes.length).extFields).toEqual(ascii.extFields);
  });

  it('binary empty strings decode as absent', () => {
    const c = cmd({ code: 1, extFields: { a: '', b: 'x' } });
    expect(decodeBinaryHeader(encodeBinaryHeader(c)).extFields).toEqual({ b: 'x' });
  });

  it('rejects broken headers', () => {
    expect(() => decodeJsonHeader(Buffer.from('{nope'))).toThrow(FrameDecodeError);
    expect(() => decodeJsonHeader(Buffer.from('[1,2]'))).toThrow(FrameDecodeError);
    const bin = encodeBinaryHeader(cmd({ code: 1, extFields: { key: 'value' } }));
    expect(() => decodeBinaryHeader(bin.subarray(0, bin.length - 3))).toThrow(FrameDecodeError);
    const bad = Buffer.from(bin);
    bad.writeInt32BE(1 << 20, 13); // remark length far past the header
    expect(() => decodeBinaryHeader(bad)).toThrow(FrameDecodeError);
  });
});

describe('FrameSplitter', () => {
  const frames = Array.from({ length: 100 }, (_, i) =>
    encodeFrame(cmd({ code: i, opaque: i, body: i % 3 === 0 ? Buffer.alloc(i * 7, i) : undefined, serializeType: (i % 2) as 0 | 1 })),
  );
  const all = Buffer.concat(frames);

  it('100 frames in one chunk', () => {
    const out = new FrameSplitter().push(all).map(decodeFrameContent);
    expect(out.map((c) => c.opaque)).toEqual(frames.map((_, i) => i));
    expect(out[99].body?.length ?? 0).toBe(99 * 7);
  });

  it('the same bytes one at a time', () => {
    const s = new FrameSplitter();
    const out: RemotingCommand[] = [];
    for (let i = 0; i < all.length; i++) out.push(...s.push(all.subarray(i, i + 1)).map(decodeFrameContent));
    expect(out.map((c) => c.code)).toEqual(frames.map((_, i) => i));
    expect(out[3].body).toEqual(Buffer.alloc(21, 3));
  });

  it('the same bytes in random chunk sizes, frames and bodies intact', () => {
    let seed = 7;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (let round = 0; round < 20; round++) {
      const s = new FrameSplitter();
      const out: RemotingCommand[] = [];
      for (let p = 0; p < all.length;) {
        const n = 1 + rnd(round % 2 ? 7 : 3000);
        out.push(...s.push(all.subarray(p, p + n)).map(decodeFrameContent));
        p += n;
      }
      expect(out.map((c) => c.opaque)).toEqual(frames.map((_, i) => i));
      for (const [i, c] of out.entries()) expect(c.body ?? Buffer.alloc(0)).toEqual(i % 3 === 0 ? Buffer.alloc(i * 7, i) : Buffer.alloc(0));
    }
  });

  it('refuses oversized, negative and inconsistent lengths', () => {
    const s = new FrameSplitter(1024);
    const big = Buffer.alloc(8);
    big.writeInt32BE(2000, 0);
    expect(() => s.push(big)).toThrow(/exceeds maximum/);
    const neg = Buffer.alloc(8);
    neg.writeInt32BE(-5, 0);
    expect(() => new FrameSplitter().push(neg)).toThrow(/bad frame length/);
    const inconsistent = Buffer.alloc(12);
    inconsistent.writeInt32BE(8, 0);
    inconsistent.writeInt32BE(100, 4); // header says 100 bytes, frame has 4
    expect(() => decodeFrameContent(new FrameSplitter().push(inconsistent)[0])).toThrow(/bad header length/);
    const badType = Buffer.alloc(8);
    badType.writeInt32BE(4, 0);
    badType.writeUInt32BE(0x07000000, 4);
    expect(() => decodeFrameContent(new FrameSplitter().push(badType)[0])).toThrow(/unknown serialize type/);
  });
});

describe('JSON header writer and frame arena', () => {
  const tricky = [
    '', 'plain', 'quote " backslash \\ slash /', '\u0000\u0001\u0008\u0009\u000a\u000c\u000d\u001f\u007f',
    'é ä 中 €', 'astral \ud83d\ude00 pair', 'lone high \ud800 end', 'lone low \udc00 x', 'high at end \udbff',
    '\u0080\u07ff\u0800\uffff', 'x'.repeat(3000),
  ];

  it('writes the same bytes as the string encoder for control, quote, non-ASCII and lone surrogates', () => {
    for (const s of tricky) {
      const c = cmd({ code: 310, opaque: -7, flag: 2, language: s || 'JAVA', remark: s, extFields: { [s || 'k']: s, n: 5 as unknown as string, b: true as unknown as string, z: null as unknown as string } });
      expect(encodeJsonHeader(c).toString('hex')).toBe(Buffer.from(encodeJsonHeaderString(c), 'utf8').toString('hex'));
      const back = decodeJsonHeader(encodeJsonHeader(c));
      expect(back.remark).toBe(Buffer.from(s, 'utf8').toString('utf8'));
      expect(back.extFields?.n).toBe('5');
      expect(back.extFields?.b).toBe('true');
      expect('z' in (back.extFields ?? {})).toBe(false);
    }
  });

  it('writes code, flag, opaque and version as the string encoder prints them', () => {
    const edges = [0, -0, 7, 9, 10, 99, 100, 999, 1000, 99999, 100000, 9999999, 10000000, 999999999, 1e9, -1, -10, -2147483647];
    for (const v of [...edges, 2147483647, -2147483648, 2147483648, 1.5, NaN, Infinity, 1e21, 123456789]) {
      const c = cmd({ code: v, flag: v, opaque: v, version: v });
      expect(encodeJsonHeader(c).toString()).toBe(encodeJsonHeaderString(c));
    }
  });

  it('writeJsonHeader reports -1 rather than writing past its end', () => {
    const c = cmd({ code: 1, remark: 'r'.repeat(100), extFields: { key: 'v'.repeat(50) } });
    const want = Buffer.from(encodeJsonHeaderString(c), 'utf8');
    const buf = Buffer.alloc(want.length + 10, 0xee);
    expect(writeJsonHeader(c, buf, 5, 5 + 20)).toBe(-1);
    expect(buf.subarray(25).every((b) => b === 0xee)).toBe(true);
    // the writer's bound is conservative (6 bytes per character): given room, it writes exactly the text
    const roomy = Buffer.alloc(4096);
    const end = writeJsonHeader(c, roomy, 3, roomy.length);
    expect(roomy.subarray(3, end).equals(want)).toBe(true);
  });

  it('frames stay intact after many more frames are encoded (arena slices are never rewritten)', () => {
    const kept = Array.from({ length: 300 }, (_, i) => {
      const c = cmd({ code: i, opaque: i, extFields: { i: String(i) }, body: Buffer.alloc((i * 131) % 20000, i & 0xff) });
      const f = encodeFrame(c);
      return { f, copy: Buffer.from(f) };
    });
    for (let i = 0; i < 2000; i++) encodeFrame(cmd({ code: 9, remark: 'filler '.repeat(i % 50), body: Buffer.alloc(i % 3000, 1) }));
    for (const { f, copy } of kept) expect(f.equals(copy)).toBe(true);
    const back = decodeFrameContent(kept[299].f.subarray(4));
    expect(back.field('i')).toBe('299');
    expect(back.body?.length).toBe((299 * 131) % 20000);
  });

  it('encodes frames with headers or bodies bigger than the arena', () => {
    const big = cmd({ code: 2, remark: '\u0001'.repeat(40_000), extFields: { k: 'é'.repeat(30_000) }, body: Buffer.alloc(100_000, 3) });
    const f = encodeFrame(big);
    const back = decodeFrameContent(f.subarray(4));
    expect(back.remark).toBe(big.remark);
    expect(back.extFields).toEqual(big.extFields);
    expect(back.body?.equals(big.body!)).toBe(true);
    expect(f.readInt32BE(0)).toBe(f.length - 4);
  });

  it('decoded extFields keep string values as sent and coerce the rest as before', () => {
    const c = decodeJsonHeader(Buffer.from('{"code":1,"extFields":{"a":"x","2":"y"}}'));
    expect(c.extFields).toEqual({ a: 'x', 2: 'y' });
    expect(Object.keys(c.extFields!)).toEqual(['2', 'a']);
    const mixed = decodeJsonHeader(Buffer.from('{"code":1,"extFields":{"a":"x","n":1.5,"o":{"p":[1]},"z":null,"__proto__":"q"}}'));
    expect(mixed.extFields).toEqual({ a: 'x', n: '1.5', o: '{"p":[1]}' });
    const proto = decodeJsonHeader(Buffer.from('{"code":1,"extFields":{"__proto__":"q","a":"x"}}'));
    expect(Object.keys(proto.extFields!)).toEqual(['a']);
    expect(() => decodeJsonHeader(Buffer.from('{"code":1,"extFields":"x"}'))).toThrow(FrameDecodeError);
  });
});

describe('JSON header decoding: the byte reader agrees with the JSON.parse rules', () => {
  // the documented rules, written the plain way: what decodeJsonHeader must produce for any input
  function reference(text: string): unknown {
    let o: Record<string, unknown>;
    try {
      o = JSON.parse(text);
    } catch {
      return 'not JSON';
    }
    if (typeof o !== 'object' || o === null || Array.isArray(o)) return 'not an object';
    const int = (v: unknown): number =>
      typeof v === 'number' && Number.isFinite(v) ? Math.trunc(v)
        : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Math.trunc(Number(v)) : 0;
    const langs = ['JAVA', 'CPP', 'DOTNET', 'PYTHON', 'DELPHI', 'ERLANG', 'RUBY', 'OTHER', 'HTTP', 'GO', 'PHP', 'OMS', 'RUST', 'NODE_JS'];
    const l = o.language;
    const language = l === undefined ? 'JAVA' : typeof l === 'number' ? (langs[l] ?? 'OTHER') : typeof l === 'string' && langs.includes(l) ? l : 'OTHER';
    let extFields: Record<string, string> | undefined;
    if (o.extFields !== undefined && o.extFields !== null) {
      if (typeof o.extFields !== 'object' || Array.isArray(o.extFields)) return 'bad extFields';
      extFields = {};
      for (const [k, v] of Object.entries(o.extFields as Record<string, unknown>)) {
        if (v === null || k === '__proto__') continue;
        extFields[k] = typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
      }
    }
    const remark = o.remark === undefined || o.remark === null ? undefined : String(o.remark);
    return { code: int(o.code), flag: int(o.flag), version: int(o.version), opaque: int(o.opaque), language, remark, extFields, keys: extFields && Object.keys(extFields) };
  }
  function actual(text: string): unknown {
    try {
      const c = decodeJsonHeader(Buffer.from(text, 'utf8'));
      return { code: c.code, flag: c.flag, version: c.version, opaque: c.opaque, language: c.language, remark: c.remark, extFields: c.extFields, keys: c.extFields && Object.keys(c.extFields) };
    } catch (e) {
      expect(e).toBeInstanceOf(FrameDecodeError);
      const m = (e as Error).message;
      return m.startsWith('header is not JSON') ? 'not JSON' : m === 'header is not a JSON object' ? 'not an object' : 'bad extFields';
    }
  }

  const seeds = [
    encodeJsonHeader(cmd({ code: 310, opaque: 77, extFields: { a: 'PG', b: 'Topic', d: '8', i: 'TAGS\u0001t\u0002WAIT\u0001true\u0002', k: 'false' } })).toString(),
    encodeJsonHeader(cmd({ code: 0, flag: 1, opaque: -5, remark: 'q"\\/\n', extFields: { MSG_REGION: 'DefaultRegion', msgId: '7F00', queueOffset: '12' } })).toString(),
    '{"code":34,"language":9,"opaque":5,"extFields":{"queueId":0,"k":false},"unknown":1}',
  ];

  it('on real headers and edge cases', () => {
    const texts = [
      ...seeds, '{}', '{"code":01}', '{"code":-0}', '{"code":1.5}', '{"code":"12"}', '{"code":1e3}', '{"code":null}', '{"language":-1}',
      '{"language":"XX"}', '{"language":null}', '{"remark":5}', '{"extFields":{}}', '{"extFields":{"2":"x","1":"y"}}', '{"extFields":{"__proto__":"x","a":"b"}}',
      '{"code":1}x', '{"code":1,}', '{"c\\u006fde":7}', '{"remark":"\\ud800"}', '{"remark":"\\uZZZZ"}', '{"remark":"a\u0001"}', '{"code":9007199254740993}',
      '{"serializeTypeCurrentRPC":5}', '{"zz":"a","code":3}', '{"code":3,"code":"x"}', '{"remark":"é\\u00e9"}', '{"extFields":{"ä":"ö"}}', ' {"code":1}', '{"code" :1}', '{"remark":"""}', '{"extFields":{"a":"""}}', '{"extFields":{""":"b"}}', '{"remark":"\\"}',
    ];
    for (const t of texts) expect(actual(t), t).toEqual(reference(t));
  });

  it('on thousands of mutated headers', () => {
    let seed = 42;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const alphabet = '{}[]":,\\u0123456789abcdefABCDEF-+.eE ntrl\u0001é';
    for (let t = 0; t < 5000; t++) {
      let s = seeds[rnd(seeds.length)]!;
      for (let k = 1 + rnd(3); k > 0; k--) {
        const p = rnd(s.length + 1);
        const ch = alphabet[rnd(alphabet.length)]!;
        const op = rnd(3);
        s = op === 0 ? s.slice(0, p) + ch + s.slice(p) : op === 1 ? s.slice(0, p) + s.slice(p + 1) : s.slice(0, p) + ch + s.slice(p + 1);
      }
      expect(actual(s), s).toEqual(reference(s));
    }
  });
});
