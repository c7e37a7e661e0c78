import { mailFailureReason } from './mail-failure';

describe('mail failure reasons', () => {
  it('names the SMTP status or the kind of failure, never the text', () => {
    const refused = Object.assign(new Error('550 5.1.1 <x@internal.lan> unknown'), {
      code: 'EENVELOPE',
      responseCode: 550,
    });
    expect(mailFailureReason(refused)).toBe('SMTP 550');
    expect(mailFailureReason(Object.assign(new Error('x'), { code: 'ETIMEDOUT' }))).toBe('timeout');
    expect(mailFailureReason(new Error('connect ECONNREFUSED 10.0.0.5:25'))).toBe('mail failed');
    expect(mailFailureReason(undefined)).toBe('mail failed');
  });
});
