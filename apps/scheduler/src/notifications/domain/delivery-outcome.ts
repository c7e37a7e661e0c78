/**
 * What a delivery log may say about a failure: a short, generic reason. Raw error messages,
 * resolved addresses and receiver bodies stay out of it: the log is read by the subscriber,
 * and an SSRF probe must learn nothing about the network behind us from it.
 */

/** The receiver answered, but not with a 2xx. */
export class ReceiverAnswered extends Error {
  constructor(readonly status: number) {
    super(`receiver answered ${status}`);
    this.name = 'ReceiverAnswered';
  }
}

/** The URL or an address it resolved to is outside the address policy. */
export class AddressNotAllowed extends Error {
  readonly code = 'EDUBANADDRNOTALLOWED';

  constructor(detail: string) {
    super(`address not allowed: ${detail}`);
    this.name = 'AddressNotAllowed';
  }
}

const BY_CODE: Record<string, string> = {
  EDUBANADDRNOTALLOWED: 'address not allowed',
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection reset',
  ETIMEDOUT: 'timeout',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'host unreachable',
};

export function failureReason(error: unknown): string {
  if (error instanceof ReceiverAnswered) return answerReason(error.status);
  const { code, name } = (error ?? {}) as { code?: unknown; name?: unknown };
  if (name === 'AbortError' || name === 'TimeoutError') return 'timeout';
  if (typeof code !== 'string') return 'delivery failed';
  if (BY_CODE[code]) return BY_CODE[code];
  return /^(ERR_TLS|ERR_SSL|CERT_|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO_)/.test(code)
    ? 'TLS error'
    : 'delivery failed';
}

function answerReason(status: number): string {
  return status >= 300 && status < 400 ? 'redirect not followed' : `HTTP ${status}`;
}
