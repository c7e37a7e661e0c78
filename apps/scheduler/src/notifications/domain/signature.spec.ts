import { sign, verify } from './signature';

describe('webhook signatures', () => {
  const body = JSON.stringify({ type: 'duban.alert.raised' });

  it('verifies what it signed within the window', () => {
    const header = sign('s3cret', body, 1_800_000_000);
    expect(header).toMatch(/^t=1800000000,v1=[0-9a-f]{64}$/);
    expect(verify('s3cret', body, header, 1_800_000_100)).toBe(true);
  });

  it('refuses another secret, a changed body and an old timestamp', () => {
    const header = sign('s3cret', body, 1_800_000_000);
    expect(verify('other', body, header, 1_800_000_000)).toBe(false);
    expect(verify('s3cret', body.replace('raised', 'resolved'), header, 1_800_000_000)).toBe(false);
    expect(verify('s3cret', body, header, 1_800_000_301)).toBe(false);
    expect(verify('s3cret', body, 'garbage', 1_800_000_000)).toBe(false);
  });
});
