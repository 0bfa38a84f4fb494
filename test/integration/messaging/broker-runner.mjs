// Child process for the messaging integration tests: our standalone name server + broker (from dist/) with
// broker.conf keys from MQCTL_IT_CONFIG (JSON). Prints "it-ready <namesrv> <broker>"; SIGTERM closes cleanly.
import { startStandalone } from '../../../dist/standalone.js';
import { createLogger } from '../../../dist/common/logger.js';

const cfg = JSON.parse(process.env.MQCTL_IT_CONFIG ?? '{}');
const mq = await startStandalone({
  namesrvPort: cfg.namesrvPort ?? 0,
  port: cfg.port ?? 0,
  storeDir: cfg.storeDir,
  host: '127.0.0.1',
  brokerConfig: cfg.brokerConfig ?? {},
  logger: createLogger('it-broker', { level: process.env.MQCTL_IT_LOG ?? 'warn' }),
});
process.stdout.write(`it-ready ${mq.namesrvAddr} ${mq.brokerAddr}\n`);
let closing = false;
process.on('SIGTERM', () => {
  if (closing) return;
  closing = true;
  mq.close().then(() => process.exit(0), (e) => {
    process.stderr.write(`close failed: ${e?.message ?? e}\n`);
    process.exit(1);
  });
});
