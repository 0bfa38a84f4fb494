import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Compiles src/store (and what it imports) into a private directory so child processes can run it,
 * independent of the state of dist/ and of other areas' compile errors.
 */
export function buildStoreForChildren(): { dir: string; module: string } {
  const root = path.resolve(__dirname, '../../..');
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'mqctl-store-build-'));
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  execFileSync(process.execPath, [tsc, '--module', 'NodeNext', '--moduleResolution', 'NodeNext', '--target', 'ES2022',
    '--skipLibCheck', '--types', 'node', '--rootDir', path.join(root, 'src'), '--outDir', out,
    path.join(root, 'src', 'store', 'message-store.ts')], { cwd: root, stdio: 'pipe' });
  fs.writeFileSync(path.join(out, 'package.json'), '{"type":"module"}');
  return { dir: out, module: pathToFileURL(path.join(out, 'store', 'message-store.js')).href };
}
