// Exit codes every mqctl command uses (mqadmin itself exits 0 even on failure, which breaks CI scripts).
export const ExitCode = {
  OK: 0,
  FAILED: 1, // the operation failed (broker response code and remark on stderr)
  USAGE: 2, // bad flags or arguments
  CONNECT: 3, // cannot reach the namesrv / broker
  NOT_FOUND: 4, // topic, group or message not found
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** An error a command raises to end with a specific exit code and a one-line message on stderr. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode: ExitCodeValue = ExitCode.FAILED) {
    super(message);
    this.name = 'CliError';
  }
}
