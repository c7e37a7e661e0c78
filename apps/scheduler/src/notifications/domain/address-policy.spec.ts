import { checkWebhookUrl, classifyAddress, mayConnect } from './address-policy';

const strict = { allowLoopback: false };
const local = { allowLoopback: true };

describe('webhook address policy', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['::1', 'loopback'],
    ['0:0:0:0:0:0:0:1', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['fe80::1', 'link-local'],
    ['febf::1', 'link-local'],
    ['100.64.0.1', 'cgnat'],
    ['100.127.255.255', 'cgnat'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456::1', 'unique-local'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['::', 'unspecified'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:10.1.2.3', 'private'],
    ['::ffff:a9fe:a9fe', 'link-local'],
    ['0:0:0:0:0:ffff:c0a8:101', 'private'],
    ['64:ff9b::7f00:1', 'loopback'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['ff02::1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['240.0.0.1', 'reserved'],
    ['192.0.2.10', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['2001:db8::1', 'reserved'],
    ['2002:7f00:1::1', 'reserved'],
    ['::7f00:1', 'reserved'],
    ['100::1', 'reserved'],
  ])('classifies %s as %s and refuses it', (address, cls) => {
    expect(classifyAddress(address)).toBe(cls);
    expect(mayConnect(address, strict)).toBe(false);
  });

  it.each([
    '93.184.215.14',
    '8.8.8.8',
    '172.32.0.1',
    '100.128.0.1',
    '2606:4700::1111',
    '::ffff:8.8.8.8',
  ])('lets the public address %s through', (address) => {
    expect(classifyAddress(address)).toBe('public');
    expect(mayConnect(address, strict)).toBe(true);
  });

  it('refuses what is not an address at all, such as a zone-scoped one from DNS', () => {
    expect(classifyAddress('fe80::1%eth0')).toBeNull();
    expect(mayConnect('fe80::1%eth0', local)).toBe(false);
    expect(classifyAddress('256.1.1.1')).toBeNull();
    expect(classifyAddress('1::2::3')).toBeNull();
  });

  it('connects to loopback only under the local allowance, and to nothing else private', () => {
    expect(mayConnect('127.0.0.1', local)).toBe(true);
    expect(mayConnect('::1', local)).toBe(true);
    expect(mayConnect('10.0.0.1', local)).toBe(false);
    expect(mayConnect('169.254.169.254', local)).toBe(false);
  });

  it.each([
    'https://127.0.0.1/hook',
    'https://[::1]/hook',
    'https://0x7f000001/hook',
    'https://2130706433/hook',
    'https://0177.0.0.1/hook',
    'https://127.1/hook',
    'https://[::ffff:127.0.0.1]/hook',
    'https://[::ffff:7f00:1]/hook',
    'https://10.0.0.1/hook',
    'https://172.16.5.4/hook',
    'https://192.168.0.10/hook',
    'https://169.254.169.254/latest/meta-data/',
    'https://[fe80::1]/hook',
    'https://100.64.1.1/hook',
    'https://[fd00::1]/hook',
    'https://0.0.0.0/hook',
    'https://[::]/hook',
    'https://224.0.0.1/hook',
    'https://localhost/hook',
    'https://api.localhost/hook',
  ])('refuses the webhook URL %s', (url) => {
    const verdict = checkWebhookUrl(url, strict);
    expect(verdict).toEqual({ ok: false, reason: expect.stringMatching(/^address not allowed/) });
  });

  it('wants https, no credentials and an absolute URL', () => {
    expect(checkWebhookUrl('http://hooks.example.com/a', strict)).toMatchObject({ ok: false });
    expect(checkWebhookUrl('http://hooks.example.com/a', local)).toMatchObject({ ok: false });
    expect(checkWebhookUrl('ftp://hooks.example.com/a', strict)).toMatchObject({ ok: false });
    expect(checkWebhookUrl('https://u:p@hooks.example.com/a', strict)).toMatchObject({
      ok: false,
      reason: 'must not carry credentials',
    });
    expect(checkWebhookUrl('/relative', strict)).toMatchObject({ ok: false });
  });

  it('accepts https to a host name or a public literal, normalised', () => {
    expect(checkWebhookUrl('https://hooks.example.com/a?b=1', strict)).toMatchObject({ ok: true });
    const verdict = checkWebhookUrl('https://0x5db8d70e/x', strict);
    expect(verdict.ok && verdict.url.hostname).toBe('93.184.215.14');
    expect(checkWebhookUrl('https://[2606:4700::1111]/x', strict)).toMatchObject({ ok: true });
  });

  it('lets local receivers in over http only under the allowance', () => {
    for (const url of ['http://127.0.0.1:8080/a', 'http://localhost:8080/a', 'http://[::1]/a'])
      expect(checkWebhookUrl(url, local)).toMatchObject({ ok: true });
    expect(checkWebhookUrl('http://127.0.0.1:8080/a', strict)).toMatchObject({ ok: false });
    expect(checkWebhookUrl('http://10.0.0.1/a', local)).toMatchObject({ ok: false });
  });
});
