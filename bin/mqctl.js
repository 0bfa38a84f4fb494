#!/usr/bin/env node
import('../dist/cli/main.js').then((m) => m.main(process.argv)).catch((err) => {
  process.stderr.write(`mqctl: ${err && err.message ? err.message : err}\n`);
  process.exit(1);
});
