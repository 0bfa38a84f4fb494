import { spawn, type ChildProcess } from 'node:child_process';

/**
 * A long-lived `sh -c <script>` fed one request per line through a pipe, whose script answers one line (an exit
 * status) per request, in order. For the store's command-line tools (BlockReserver's util-linux `fallocate`):
 * forking the broker itself (a large, busy process) for every request blocked its event loop for ~2 ms each time;
 * the helper forks instead.
 *
 * It never keeps the process alive, and exits when its stdin closes (this process ending too). Once it is gone
 * (no sh, killed, closed) it stays gone: `send` answers false.
 */
export class ShellHelper {
  private child: ChildProcess | null = null;
  private out = '';
  private gone = false;

  constructor(
    private readonly script: string,
    private readonly onAnswer: (status: string) => void,
    private readonly onGone: () => void,
  ) {}

  /** Writes one request line (no newline in it); false when the helper cannot take it. */
  send(line: string): boolean {
    if (this.gone || /[\n\r]/.test(line)) return false;
    const h = this.child ?? this.start();
    if (!h?.stdin?.writable) return false;
    h.stdin.write(`${line}\n`);
    return true;
  }

  /** Ends the helper: lines it already has still run; their answers are ignored. */
  close(): void {
    this.gone = true;
    this.child?.stdin?.end();
    this.child = null;
  }

  private start(): ChildProcess | null {
    let h: ChildProcess;
    try {
      h = spawn('sh', ['-c', this.script], { stdio: ['pipe', 'pipe', 'ignore'] });
    } catch {
      this.close();
      this.onGone();
      return null;
    }
    const giveUp = () => {
      if (this.child !== h) return;
      this.close();
      this.onGone();
    };
    h.on('error', giveUp);
    h.on('exit', giveUp);
    h.stdin!.on('error', giveUp);
    h.stdout!.setEncoding('latin1');
    h.stdout!.on('data', (d: string) => {
      if (this.child !== h) return;
      this.out += d;
      let nl: number;
      while ((nl = this.out.indexOf('\n')) >= 0) {
        const status = this.out.slice(0, nl).trim();
        this.out = this.out.slice(nl + 1);
        this.onAnswer(status);
      }
    });
    h.unref();
    (h.stdin as unknown as { unref?: () => void }).unref?.();
    (h.stdout as unknown as { unref?: () => void }).unref?.();
    this.child = h;
    return h;
  }
}
