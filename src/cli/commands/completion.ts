// mqctl completion bash|zsh — a completion script generated from the command tree itself, so every command
// group that registers with the program is completed without this file knowing it.
import type { Command } from 'commander';
import { run } from '../run.js';
import { usage } from '../output/index.js';
import { compatCommands } from './admin/registry.js';

interface Node {
  path: string;
  words: string[];
}

function walk(cmd: Command, path: string[], out: Node[]): void {
  const subs = cmd.commands.map((c) => c.name());
  // `mqctl admin <mqadmin command>`: the compatible commands are arguments, not subcommands
  if (path.join(' ') === 'admin') subs.push(...compatCommands.map((c) => c.name));
  const flags = cmd.options.flatMap((o) => [o.short, o.long].filter((f): f is string => !!f));
  out.push({ path: path.join(' '), words: [...subs, ...flags, '--help'] });
  for (const c of cmd.commands) walk(c, [...path, c.name()], out);
}

export function bashScript(program: Command): string {
  const nodes: Node[] = [];
  walk(program, [], nodes);
  const cases = nodes.map((n) => `    "${n.path}") words="${n.words.join(' ')}" ;;`).join('\n');
  return `# mqctl bash completion: eval "$(mqctl completion bash)"
_mqctl_complete() {
  local cur path="" w i
  cur="\${COMP_WORDS[COMP_CWORD]}"
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    case "$w" in -*) continue ;; esac
    if [[ -n "$(_mqctl_words "\${path:+$path }$w")" ]]; then path="\${path:+$path }$w"; fi
  done
  COMPREPLY=( $(compgen -W "$(_mqctl_words "$path")" -- "$cur") )
}
_mqctl_words() {
  local words=""
  case "$1" in
${cases}
  esac
  echo "$words"
}
complete -F _mqctl_complete mqctl
`;
}

export function zshScript(program: Command): string {
  return `# mqctl zsh completion: eval "$(mqctl completion zsh)"
autoload -U +X bashcompinit && bashcompinit
${bashScript(program)}`;
}

export function register(program: Command): void {
  program
    .command('completion')
    .description('print a shell completion script: eval "$(mqctl completion bash)"')
    .argument('<shell>', 'bash or zsh')
    .showHelpAfterError(false)
    .action(
      run(async (shell: string) => {
        if (shell === 'bash') process.stdout.write(bashScript(program));
        else if (shell === 'zsh') process.stdout.write(zshScript(program));
        else throw usage(`shell must be bash or zsh, got '${shell}'`);
      }),
    );
}
