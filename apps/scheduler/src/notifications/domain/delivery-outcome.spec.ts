import { AddressNotAllowed, ReceiverAnswered, failureReason } from './delivery-outcome';

const withCode = (code: string, message = `connect ${code} 10.1.2.3:443`) =>
  Object.assign(new Error(message), { code });

describe('delivery failure reasons', () => {
  it('names the answer, never its body', () => {
    expect(failureReason(new ReceiverAnswered(500))).toBe('HTTP 500');
    expect(failureReason(new ReceiverAnswered(404))).toBe('HTTP 404');
    expect(failureReason(new ReceiverAnswered(302))).toBe('redirect not followed');
    expect(failureReason(new ReceiverAnswered(307))).toBe('redirect not followed');
  });

  it('reduces network errors to a generic reason without addresses', () => {
    expect(failureReason(withCode('ECONNREFUSED'))).toBe('connection refused');
    expect(failureReason(withCode('ECONNRESET'))).toBe('connection reset');
    expect(failureReason(withCode('ENOTFOUND'))).toBe('host not found');
    expect(failureReason(withCode('ERR_TLS_CERT_ALTNAME_INVALID'))).toBe('TLS error');
    expect(failureReason(withCode('DEPTH_ZERO_SELF_SIGNED_CERT'))).toBe('TLS error');
    expect(failureReason(new AddressNotAllowed('hook.example resolved to 127.0.0.1'))).toBe(
      'address not allowed',
    );
  });

  it('calls an abort a timeout and anything else a failed delivery', () => {
    expect(failureReason(new DOMException('signal timed out', 'TimeoutError'))).toBe('timeout');
    expect(failureReason(Object.assign(new Error('aborted'), { name: 'AbortError' }))).toBe(
      'timeout',
    );
    expect(failureReason(new Error('socket 10.0.0.7 said: secret internals'))).toBe(
      'delivery failed',
    );
    expect(failureReason(withCode('EWHATEVER'))).toBe('delivery failed');
    expect(failureReason(undefined)).toBe('delivery failed');
  });
});
