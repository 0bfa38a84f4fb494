// Remoting microbenchmark (`npm run bench -- remoting`): CPU µs per operation of the codec and of one RPC, a
// figure, never a test. The shapes are those of issue 4's broker bench: SEND_MESSAGE_V2 with a JSON header and a
// 1 KB body, and the broker's send response (MSG_REGION, TRACE_ON, msgId, queueId, queueOffset, transactionId).
//  - codec: decode of a send request header, encode of a send request frame (createRequest + encodeFrame) and of
//    a send response frame, each timed by process.cpuUsage over a fixed count
//  - rpc: our RemotingClient against an echo RemotingServer in a child process, 32 in flight; CPU µs per round
//    trip in each process (like brokerUsPerSend / clientUsPerSend of the broker bench)
// Options: BENCH_SECONDS (rpc run, default 3), BENCH_INFLIGHT (32), BENCH_DIST (compiled tree, default dist/),
// BENCH_PART (codec | rpc: only that half, e.g. under --cpu-prof).
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DIST = path.resolve(process.env.BENCH_DIST ?? path.join(ROOT, 'dist'));
const load = (p) => import(pathToFileURL(path.join(DIST, p)).href);
const { RemotingClient } = await load('remoting/client.js');
const { RemotingServer } = await load('remoting/server.js');
const { RemotingCommand } = await load('remoting/command.js');
const { decodeFrameContent, encodeFrame } = await load('remoting/frame.js');
const { decodeJsonHeader } = await load('remoting/header-json.js');

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const INFLIGHT = Number(process.env.BENCH_INFLIGHT ?? 32);
const PART = process.env.BENCH_PART ?? 'all';
const body = Buffer.alloc(1024, 0x61);

function sendReq(queueId) {
  return RemotingCommand.createRequest(310, {
    a: 'PG_BENCH', b: 'BenchBrokerTopic', c: 'TBW102', d: 8, e: queueId, f: 0, g: Date.now(), h: 0,
    i: 'TAGS\u0001bench\u0002WAIT\u0001true\u0002UNIQ_KEY\u00017F0000010B2C18B4AAC2741B6E4E0000\u0002', j: 0, k: false, m: false,
  }, body);
}

function sendResp(opaque, offset) {
  const res = RemotingCommand.createResponse(-1);
  res.extFields = { MSG_REGION: 'DefaultRegion', TRACE_ON: 'true' };
  res.code = 0;
  res.extFields.msgId = '7F00000100002A9F00000000004C4B40';
  res.extFields.queueId = String(offset & 7);
  res.extFields.queueOffset = String(offset);
  res.extFields.transactionId = '7F0000010B2C18B4AAC2741B6E4E0000';
  res.opaque = opaque;
  res.markResponse();
  return res;
}

/** CPU µs per call of fn over n calls (after a warm-up of n/5). */
function cpuPerOp(n, fn) {
  for (let i = 0; i < n / 5; i++) fn(i);
  const c0 = process.cpuUsage();
  for (let i = 0; i < n; i++) fn(i);
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / n;
}

function cpuSeconds(pid) {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}

if (process.argv[2] === 'server') {
  // child: echo server answering every request with a send-shaped response
  const server = new RemotingServer({ host: '127.0.0.1', port: 0 });
  let offset = 0;
  server.registerProcessor(310, () => {
    const r = sendResp(0, offset++);
    r.flag = 0;
    return r;
  });
  const { port } = await server.listen();
  process.send({ port });
  process.on('message', async (m) => {
    if (m === 'stop') { await server.close(); process.exit(0); }
  });
} else {
  const N = 200_000;
  const reqFrame = encodeFrame(sendReq(3));
  const headerLen = reqFrame.readUInt32BE(4) & 0xffffff;
  const header = reqFrame.subarray(8, 8 + headerLen);
  let sink = 0;
  const codec = PART === 'rpc' ? {} : {
    decodeSendHeaderUs: cpuPerOp(N, () => { sink += decodeJsonHeader(header).opaque; }),
    decodeSendFrameUs: cpuPerOp(N, () => { sink += decodeFrameContent(reqFrame.subarray(4)).opaque; }),
    encodeSendRequestUs: cpuPerOp(N, (i) => { sink += encodeFrame(sendReq(i & 7)).length; }),
    encodeSendResponseUs: cpuPerOp(N, (i) => { sink += encodeFrame(sendResp(i, i)).length; }),
  };
  for (const k of Object.keys(codec)) codec[k] = Number(codec[k].toFixed(2));

  if (PART === 'codec') {
    console.log(JSON.stringify({ bench: 'remoting', node: process.version, codec }, null, 2));
    process.exit(0);
  }
  const child = fork(fileURLToPath(import.meta.url), ['server'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], env: process.env });
  const { port } = await new Promise((resolve) => child.once('message', resolve));
  const addr = `127.0.0.1:${port}`;
  const client = new RemotingClient();
  const run = async (seconds) => {
    let done = 0;
    const end = performance.now() + seconds * 1000;
    const worker = async (w) => {
      let q = w & 7;
      while (performance.now() < end) {
        const r = await client.invoke(addr, sendReq(q), 5000);
        if (r.code !== 0) throw new Error(`unexpected code ${r.code}`);
        done++;
        q = (q + 1) & 7;
      }
    };
    const t0 = performance.now();
    await Promise.all(Array.from({ length: INFLIGHT }, (_, w) => worker(w)));
    return { done, secs: (performance.now() - t0) / 1000 };
  };
  try {
    await run(1); // warm-up
    const s0 = cpuSeconds(child.pid);
    const c0 = process.cpuUsage();
    const r = await run(SECONDS);
    const c = process.cpuUsage(c0);
    const serverCpu = cpuSeconds(child.pid) - s0;
    console.log(JSON.stringify({
      bench: 'remoting',
      node: process.version,
      codec,
      rpc: {
        inflight: INFLIGHT,
        roundTripsPerSec: Math.round(r.done / r.secs),
        clientUsPerRoundTrip: Number(((c.user + c.system) / r.done).toFixed(1)),
        serverUsPerRoundTrip: Number(((serverCpu * 1e6) / r.done).toFixed(1)),
      },
      sink: sink > 0,
    }, null, 2));
  } finally {
    client.close();
    child.send('stop');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}
