import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { RemotingClient } from '../../../src/remoting/client.js';
import { RemotingCommand, SerializeType } from '../../../src/remoting/command.js';
import { RemotingSysResponseCode } from '../../../src/remoting/codes.js';
import { RemotingConnectError, RemotingSendError, RemotingTimeoutError } from '../../../src/remoting/errors.js';
import { decodeFrameContent, encodeFrame } from '../../../src/remoting/frame.js';
import { RemotingServer, type Channel } from '../../../src/remoting/server.js';

const closers: Array<() => unknown> = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

async function startServer(maxFrameSize?: number): Promise<{ server: RemotingServer; addr: string }> {
  const server = new RemotingServer({ host: '127.0.0.1', port: 0, maxFrameSize });
  server.registerProcessor(1000, (req) => RemotingCommand.createResponse(0, undefined, { echo: req.field('v') }));
  server.registerProcessor(1001, () => {
    throw new Error('boom in processor');
  });
  server.registerProcessor(1002, async () => {
    await new Promise((r) => setTimeout(r, 400));
    return RemotingCommand.createResponse(0);
  });
  server.registerProcessor(1003, () => null);
  const { port } = await server.listen();
  closers.push(() => server.close());
  return { server, addr: `127.0.0.1:${port}` };
}

function newClient(): RemotingClient {
  const c = new RemotingClient({ connectTimeoutMs: 1000 });
  closers.push(() => c.close());
  return c;
}

describe('RemotingServer + RemotingClient', () => {
  it('answers a request, reusing one connection', async () => {
    const { server, addr } = await startServer();
    const client = newClient();
    for (let i = 0; i < 5; i++) {
      const resp = await client.invokeSync(addr, RemotingCommand.createRequest(1000, { v: i }), 2000);
      expect(resp.code).toBe(0);
      expect(resp.field('echo')).toBe(String(i));
      expect(resp.isResponse()).toBe(true);
    }
    expect(server.channels.size).toBe(1);
  });

  it('unknown code -> REQUEST_CODE_NOT_SUPPORTED with Apache remark; throwing processor -> SYSTEM_ERROR', async () => {
    const { addr } = await startServer();
    const client = newClient();
    const r1 = await client.invoke(addr, RemotingCommand.createRequest(4242));
    expect(r1.code).toBe(RemotingSysResponseCode.REQUEST_CODE_NOT_SUPPORTED);
    expect(r1.remark).toBe(' request type 4242 not supported');
    const r2 = await client.invoke(addr, RemotingCommand.createRequest(1001));
    expect(r2.code).toBe(RemotingSysResponseCode.SYSTEM_ERROR);
    expect(r2.remark).toContain('boom in processor');
  });

  it('a response goes out in the serialize type of its request', async () => {
    const { addr } = await startServer();
    const sock = net.connect(Number(addr.split(':')[1]), '127.0.0.1');
    closers.push(() => sock.destroy());
    const req = RemotingCommand.createRequest(1000, { v: 'bin' });
    req.serializeType = SerializeType.ROCKETMQ;
    const got = await new Promise<Buffer>((resolve) => {
      sock.once('data', resolve);
      sock.write(encodeFrame(req));
    });
    expect(got.readUInt8(4)).toBe(SerializeType.ROCKETMQ);
  });

  it('times out with an error naming address, code and timeout', async () => {
    const { addr } = await startServer();
    const client = newClient();
    const err = await client.invoke(addr, RemotingCommand.createRequest(1003), 150).catch((e) => e);
    expect(err).toBeInstanceOf(RemotingTimeoutError);
    expect(err.message).toContain(addr);
    expect(err.message).toContain('1003');
    expect(err.message).toContain('150');
  });

  it('one connection times out each request by its own deadline, short after long, and keeps working', async () => {
    const { addr } = await startServer();
    const client = newClient();
    await client.invoke(addr, RemotingCommand.createRequest(1000, { v: 0 }));
    const t0 = Date.now();
    // a long timeout first arms the connection's timer far away; the shorter one armed after must still fire
    const long = client.invoke(addr, RemotingCommand.createRequest(1003), 1200).catch((e) => e);
    const shorts = Array.from({ length: 5 }, (_, i) => client.invoke(addr, RemotingCommand.createRequest(1003), 100 + i * 20).catch((e) => e));
    const errs = await Promise.all(shorts);
    for (const [i, e] of errs.entries()) {
      expect(e).toBeInstanceOf(RemotingTimeoutError);
      expect(e.message).toContain(`${100 + i * 20} ms`);
    }
    expect(Date.now() - t0).toBeLessThan(1000);
    // a slow answer that does come in time resolves; the long one is still pending meanwhile
    const slow = await client.invoke(addr, RemotingCommand.createRequest(1002), 1000);
    expect(slow.code).toBe(0);
    const ok = await client.invoke(addr, RemotingCommand.createRequest(1000, { v: 'still' }), 1000);
    expect(ok.field('echo')).toBe('still');
    const e = await long;
    expect(e).toBeInstanceOf(RemotingTimeoutError);
    expect(e.message).toContain('1200 ms');
  });

  it('fails in-flight requests at once when the connection drops, then reconnects', async () => {
    const { server, addr } = await startServer();
    const client = newClient();
    await client.invoke(addr, RemotingCommand.createRequest(1000, { v: 1 }));
    const pending = client.invoke(addr, RemotingCommand.createRequest(1002), 5000);
    await new Promise((r) => setTimeout(r, 50));
    const t0 = Date.now();
    for (const ch of server.channels) ch.close();
    const err = await pending.catch((e) => e);
    expect(err).toBeInstanceOf(RemotingSendError);
    expect(Date.now() - t0).toBeLessThan(1000);
    const again = await client.invoke(addr, RemotingCommand.createRequest(1000, { v: 2 }));
    expect(again.field('echo')).toBe('2');
  });

  it('connect failure names the address', async () => {
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise((r) => probe.close(r));
    const err = await newClient().invoke(`127.0.0.1:${port}`, RemotingCommand.createRequest(1000)).catch((e) => e);
    expect(err).toBeInstanceOf(RemotingConnectError);
    expect(err.message).toContain(`127.0.0.1:${port}`);
  });

  it('the server can send a request to a connected client and await the answer', async () => {
    const { server, addr } = await startServer();
    const client = newClient();
    client.registerProcessor(39, (req, from) => RemotingCommand.createResponse(0, `client saw ${req.field('x')} from ${from}`));
    let channel: Channel | undefined;
    server.registerProcessor(34, (_req, ch) => {
      channel = ch;
      return RemotingCommand.createResponse(0);
    });
    await client.invoke(addr, RemotingCommand.createRequest(34));
    const answer = await channel!.invoke(RemotingCommand.createRequest(39, { x: 'hello' }), 2000);
    expect(answer.remark).toBe(`client saw hello from ${addr}`);
  });

  it('oneway requests get no response', async () => {
    const { addr } = await startServer();
    const client = newClient();
    let seen = 0;
    await client.invokeOneway(addr, RemotingCommand.createRequest(4242));
    await client.invokeOneway(addr, RemotingCommand.createRequest(1000, { v: 'x' }));
    const sock = net.connect(Number(addr.split(':')[1]), '127.0.0.1');
    closers.push(() => sock.destroy());
    sock.on('data', () => seen++);
    sock.write(encodeFrame(RemotingCommand.createRequest(4242).markOneway()));
    await new Promise((r) => setTimeout(r, 150));
    expect(seen).toBe(0);
  });

  it('an oversized or garbage frame closes only that connection', async () => {
    const { addr } = await startServer(1024);
    const client = newClient();
    await client.invoke(addr, RemotingCommand.createRequest(1000, { v: 'before' }));
    for (const bad of [Buffer.from([0, 0, 0x10, 0, 1, 2, 3, 4]), Buffer.from('00000008000000037b7b7b7b', 'hex'), Buffer.from('0000000403000000', 'hex'), Buffer.from('fffffff0', 'hex')]) {
      const sock = net.connect(Number(addr.split(':')[1]), '127.0.0.1');
      const closed = new Promise<void>((r) => sock.on('close', () => r()));
      sock.on('error', () => undefined);
      sock.write(bad);
      await closed;
    }
    const resp = await client.invoke(addr, RemotingCommand.createRequest(1000, { v: 'after' }));
    expect(resp.field('echo')).toBe('after');
  });

  it('takes requestsPerTurn requests per event-loop turn, answers the first group before the rest, keeps order', async () => {
    const server = new RemotingServer({ host: '127.0.0.1', port: 0, requestsPerTurn: 4 });
    let turn = 0;
    let ticking = true;
    const tick = (): void => { turn++; if (ticking) setImmediate(tick); };
    setImmediate(tick);
    const seen: Array<{ v: number; turn: number }> = [];
    server.registerProcessor(1000, (req) => {
      seen.push({ v: Number(req.field('v')), turn });
      return RemotingCommand.createResponse(0, undefined, { echo: req.field('v') });
    });
    const { port } = await server.listen();
    closers.push(() => { ticking = false; return server.close(); });
    const sock = net.connect(port, '127.0.0.1');
    closers.push(() => sock.destroy());
    const answers: number[] = [];
    const got = new Promise<void>((resolve) => {
      let buf = Buffer.alloc(0);
      sock.on('data', (d: Buffer) => {
        buf = Buffer.concat([buf, d]);
        while (buf.length >= 4 && buf.length >= 4 + buf.readInt32BE(0)) {
          const len = buf.readInt32BE(0);
          answers.push(Number(decodeFrameContent(buf.subarray(4, 4 + len)).field('echo')));
          buf = buf.subarray(4 + len);
        }
        if (answers.length === 10) resolve();
      });
    });
    // ten requests in one TCP write: one read on the server
    sock.write(Buffer.concat(Array.from({ length: 10 }, (_, v) => encodeFrame(RemotingCommand.createRequest(1000, { v })))));
    await got;
    expect(answers).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(seen.map((s) => s.v)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // groups of 4, 4, 2 in three different turns
    const turns = [...new Set(seen.map((s) => s.turn))];
    expect(turns.length).toBe(3);
    expect(seen.filter((s) => s.turn === turns[0]).length).toBe(4);
    expect(seen.filter((s) => s.turn === turns[2]).length).toBe(2);
  });
});
