import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/common/logger.js';
import { RemotingCommand } from '../../../src/remoting/command.js';
import { Connection } from '../../../src/remoting/connection.js';
import { encodeFrame } from '../../../src/remoting/frame.js';

const closers: Array<() => unknown> = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

describe('Connection and its TurnSizer', () => {
  it('tells the sizer each read\'s frame count and takes as many requests per turn as it says', async () => {
    // the sizer's own choice (split or whole from measured rates) has unit tests; here, what the connection does
    // with it: a stand-in whose answer the test sets
    const sizer = { perTurn: 4, reads: [] as number[], onRead(frames: number): void { this.reads.push(frames); } };
    let turn = 0;
    let ticking = true;
    const tick = (): void => { turn++; if (ticking) setImmediate(tick); };
    setImmediate(tick);
    const seen: Array<{ v: number; turn: number }> = [];
    let got: () => void = () => undefined;
    const server = net.createServer((sock) => {
      const conn = new Connection(sock, {
        maxFrameSize: 1 << 20, logger: silentLogger, sizer,
        onRequest: (req) => {
          seen.push({ v: Number(req.field('v')), turn });
          if (seen.length % 10 === 0) got();
        },
      });
      closers.push(() => conn.close());
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    closers.push(() => { ticking = false; return new Promise((r) => server.close(r)); });
    const sock = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
    closers.push(() => sock.destroy());
    const burst = (base: number): Promise<void> => {
      const done = new Promise<void>((r) => { got = r; });
      // ten requests in one TCP write: one read on the server
      sock.write(Buffer.concat(Array.from({ length: 10 }, (_, i) => encodeFrame(RemotingCommand.createRequest(1000, { v: base + i })))));
      return done;
    };
    const turnsOf = (from: number): number[] => {
      const counts = new Map<number, number>();
      for (const s of seen.slice(from)) counts.set(s.turn, (counts.get(s.turn) ?? 0) + 1);
      return [...counts.values()];
    };

    await burst(0);
    expect(sizer.reads).toEqual([10]);
    expect(turnsOf(0)).toEqual([4, 4, 2]); // split
    sizer.perTurn = Infinity;
    await burst(10);
    expect(sizer.reads).toEqual([10, 10]);
    expect(turnsOf(10)).toEqual([10]); // whole: one turn
    expect(seen.map((s) => s.v)).toEqual(Array.from({ length: 20 }, (_, i) => i)); // in order either way
  });
});
