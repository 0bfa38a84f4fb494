/** What the page-cache tests (BlockReserver, PageWarmer, PageDropper) look at: util-linux tools and the cache. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const MB = 1024 * 1024;

export const allocatedBytes = (file: string): number => fs.statSync(file).blocks * 512;

export async function until(cond: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

const onPath = (tool: string) => (process.env.PATH ?? '').split(':').some((d) => fs.existsSync(path.join(d, tool)));
export const fallocateAvailable = process.platform === 'linux' && onPath('fallocate');
/** fincore (util-linux) tells how much of a file is in the page cache. */
export const cacheVisible = fallocateAvailable && onPath('fincore');
/** PageDropper's tool: perl (its syscall() makes posix_fadvise), on an architecture whose call number it knows. */
export const perlAvailable = process.platform === 'linux' && onPath('perl') && ['x64', 'arm64'].includes(process.arch);
export const cachedBytes = (file: string): number =>
  Number(execFileSync('fincore', ['--bytes', '--noheadings', '--output', 'RES', file], { encoding: 'utf8' }).trim());
