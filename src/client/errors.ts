// Errors the client raises. A broker refusal keeps the response code and remark (Java MQBrokerException);
// a client-side problem (no route, bad argument, closed client) is an MQClientError.
import { responseCodeName } from '../protocol/codes.js';

export class MQClientError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MQClientError';
  }
}

export class MQBrokerError extends Error {
  constructor(readonly code: number, readonly remark: string | undefined, readonly brokerAddr?: string) {
    const name = responseCodeName(code);
    super(`broker${brokerAddr ? ' ' + brokerAddr : ''} answered ${code}${name ? ' ' + name : ''}${remark ? ': ' + remark : ''}`);
    this.name = 'MQBrokerError';
  }
}
