// One line per event, on stderr (and optionally appended to a file). Servers log through this so that a
// foreground `mqctl start` shows what happens and `--log-file` keeps it.
import { appendFileSync } from 'node:fs';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(msg: string): void;
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface LoggerOptions {
  file?: string;
  level?: LogLevel;
  silent?: boolean;
}

export function createLogger(name: string, opts: LoggerOptions = {}): Logger {
  const envLevel = process.env.MQCTL_LOG_LEVEL as LogLevel | undefined;
  const min = RANK[opts.level ?? (envLevel && RANK[envLevel] ? envLevel : 'info')];
  const write = (level: LogLevel, msg: string): void => {
    if (RANK[level] < min) return;
    const line = `${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} [${name}] ${msg}\n`;
    if (!opts.silent) process.stderr.write(line);
    if (opts.file) {
      try {
        appendFileSync(opts.file, line);
      } catch {
        // a log file we cannot write must not take the server down
      }
    }
  };
  return {
    debug: (m) => write('debug', m),
    info: (m) => write('info', m),
    warn: (m) => write('warn', m),
    error: (m) => write('error', m),
  };
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
