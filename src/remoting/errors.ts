// Errors raised by the remoting client; messages name the address, the request code and the timeout so a
// failure in a log or on a CLI's stderr says where and what.
export class RemotingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export class RemotingConnectError extends RemotingError {
  constructor(readonly addr: string, cause: string) {
    super(`connect to ${addr} failed: ${cause}`);
  }
}

export class RemotingTimeoutError extends RemotingError {
  constructor(readonly addr: string, readonly code: number, readonly timeoutMs: number) {
    super(`request code ${code} to ${addr} timed out after ${timeoutMs} ms`);
  }
}

export class RemotingSendError extends RemotingError {
  constructor(readonly addr: string, readonly code: number, cause: string) {
    super(`request code ${code} to ${addr} failed: ${cause}`);
  }
}

/** A frame we cannot decode: the connection that sent it is closed. */
export class FrameDecodeError extends RemotingError {}
