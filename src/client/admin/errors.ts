// Errors of the admin client. Each carries the exit code the CLI maps it to (1 failed, 4 not found) so the
// CLI needs no knowledge of response codes, and the broker's response code and remark for the message.
import { responseCodeName } from '../../protocol/codes.js';

export class AdminError extends Error {
  readonly exitCode: 1 | 4;
  constructor(message: string, readonly responseCode?: number, readonly remark?: string, exitCode: 1 | 4 = 1) {
    super(message);
    this.name = new.target.name;
    this.exitCode = exitCode;
  }
}

/** Topic, group, message or broker that does not exist. */
export class NotFoundError extends AdminError {
  constructor(message: string, responseCode?: number, remark?: string) {
    super(message, responseCode, remark, 4);
  }
}

/** "what failed: CODE_NAME(code) remark" — the line the CLI prints on stderr. */
export function describeFailure(what: string, code: number, remark: string | undefined): string {
  const name = responseCodeName(code) ?? 'UNKNOWN';
  const r = remark ? ` ${remark.split('\n')[0].trim()}` : '';
  return `${what}: ${name}(${code})${r}`;
}
