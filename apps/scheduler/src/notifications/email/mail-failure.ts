/**
 * What the mail log may say about a failed try: a short, generic reason. The SMTP server's text
 * and addresses stay out of it; the status code is enough to tell a refusal from an outage.
 */
const BY_CODE: Record<string, string> = {
  ECONNECTION: 'connection failed',
  ECONNREFUSED: 'connection refused',
  ESOCKET: 'connection failed',
  ETIMEDOUT: 'timeout',
  EDNS: 'host not found',
  EAUTH: 'authentication failed',
  ETLS: 'TLS error',
};

export function mailFailureReason(error: unknown): string {
  const { code, responseCode } = (error ?? {}) as { code?: unknown; responseCode?: unknown };
  if (typeof responseCode === 'number' && responseCode >= 400 && responseCode < 600)
    return `SMTP ${responseCode}`;
  return (typeof code === 'string' && BY_CODE[code]) || 'mail failed';
}
