// Child for the SIGKILL crash test: appends under SYNC_FLUSH and prints one line per acknowledged message.
// argv: <builtStoreModule> <storeDir> <round> <segmentSize>
const [modPath, storeDir, round, segSize] = process.argv.slice(2);
const { MessageStore } = await import(modPath);
const store = await MessageStore.open({
  storePathRootDir: storeDir, flushDiskType: 'SYNC_FLUSH', mappedFileSizeCommitLog: Number(segSize),
  mappedFileSizeConsumeQueue: 20 * 64, maxHashSlotNum: 64, maxIndexNum: 256,
});
process.stdout.write('READY\n');
let i = 0;
async function producer(q) {
  for (;;) {
    const id = `r${round}-q${q}-${i++}`;
    const body = Buffer.from(`${id}:${'p'.repeat(i % 300)}`);
    const r = await store.putMessage({
      topic: 'CrashT', queueId: q, flag: 0, body, properties: { KEYS: id, TAGS: `q${q}`, WAIT: 'true' }, sysFlag: 0,
      bornTimestamp: Date.now(), bornHost: '127.0.0.1:5000', storeHost: '127.0.0.1:10911', reconsumeTimes: 0,
      preparedTransactionOffset: 0,
    });
    if (r.status === 'PUT_OK') process.stdout.write(`ACK ${q} ${r.appendResult.queueOffset} ${r.appendResult.wroteOffset} ${id}\n`);
  }
}
for (let q = 0; q < 4; q++) void producer(q);
