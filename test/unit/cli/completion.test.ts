import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildProgram } from '../../../src/cli/main.js';
import { bashScript, zshScript } from '../../../src/cli/commands/completion.js';

function complete(script: string, words: string[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'mqctl-compl-'));
  const file = join(dir, 'c.sh');
  writeFileSync(file, script);
  const arr = words.map((w) => `'${w}'`).join(' ');
  const out = execFileSync('bash', ['-c', `source ${file}; COMP_WORDS=(${arr}); COMP_CWORD=${words.length - 1}; _mqctl_complete; echo "\${COMPREPLY[@]}"`]).toString();
  return out.trim().split(/\s+/).filter(Boolean);
}

describe('completion', () => {
  it('bash completes command groups, subcommands and flags from the command tree', async () => {
    const program = await buildProgram();
    const script = bashScript(program);
    expect(complete(script, ['mqctl', 'to'])).toEqual(['topic']);
    expect(complete(script, ['mqctl', 'topic', 'cr'])).toEqual(['create']);
    expect(complete(script, ['mqctl', 'topic', 'create', '--read'])).toEqual(['--read-queues']);
    expect(complete(script, ['mqctl', 'offset', 'reset', '--dr'])).toEqual(['--dry-run']);
    expect(complete(script, ['mqctl', 'admin', 'topicS'])).toEqual(['topicStatus']);
  });
  it('zsh wraps the bash function with bashcompinit', async () => {
    const s = zshScript(await buildProgram());
    expect(s).toContain('bashcompinit');
    expect(s).toContain('complete -F _mqctl_complete mqctl');
  });
});
