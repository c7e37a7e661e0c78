/**
 * Where a webhook may point (SSRF): only public unicast addresses, over https. Pure rules, used
 * twice: on the URL when a subscription is made (its host may be a literal address) and on
 * every address DNS gives at delivery, just before connecting to it.
 */

export type AddressClass =
  | 'public'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'cgnat'
  | 'unique-local'
  | 'unspecified'
  | 'multicast'
  | 'reserved';

export interface AddressPolicy {
  /** Development and test only: local receivers (loopback addresses, `localhost`, over http). */
  allowLoopback: boolean;
}

export type UrlVerdict = { ok: true; url: URL } | { ok: false; reason: string };

type Range = readonly [prefix: bigint, bits: number, cls: AddressClass];

const V4: readonly Range[] = [
  [v4('0.0.0.0'), 8, 'unspecified'],
  [v4('10.0.0.0'), 8, 'private'],
  [v4('100.64.0.0'), 10, 'cgnat'],
  [v4('127.0.0.0'), 8, 'loopback'],
  [v4('169.254.0.0'), 16, 'link-local'],
  [v4('172.16.0.0'), 12, 'private'],
  [v4('192.0.0.0'), 24, 'reserved'],
  [v4('192.0.2.0'), 24, 'reserved'],
  [v4('192.88.99.0'), 24, 'reserved'],
  [v4('192.168.0.0'), 16, 'private'],
  [v4('198.18.0.0'), 15, 'reserved'],
  [v4('198.51.100.0'), 24, 'reserved'],
  [v4('203.0.113.0'), 24, 'reserved'],
  [v4('224.0.0.0'), 4, 'multicast'],
  [v4('240.0.0.0'), 4, 'reserved'],
];

// Checked in order; whatever is outside global unicast (2000::/3) is reserved.
const V6: readonly Range[] = [
  [0n, 128, 'unspecified'],
  [1n, 128, 'loopback'],
  [v6('fc00::'), 7, 'unique-local'],
  [v6('fe80::'), 10, 'link-local'],
  [v6('fec0::'), 10, 'private'],
  [v6('ff00::'), 8, 'multicast'],
  [v6('2001::'), 23, 'reserved'],
  [v6('2001:db8::'), 32, 'reserved'],
  [v6('2002::'), 16, 'reserved'],
];
const GLOBAL_UNICAST: Range = [v6('2000::'), 3, 'public'];
// Prefixes that carry an IPv4 address in their last 32 bits and reach that address.
const EMBEDS_V4 = [v6('::ffff:0:0'), v6('64:ff9b::')];

/** The class of a numeric address, `null` when the text is not one (a host name). */
export function classifyAddress(address: string): AddressClass | null {
  const bare = address.replace(/^\[(.*)\]$/, '$1');
  const four = parseV4(bare);
  if (four !== null) return classifyV4(four);
  const six = parseV6(bare);
  if (six === null) return null;
  if (EMBEDS_V4.some((p) => inRange(six, p, 96, 128))) return classifyV4(six & 0xffffffffn);
  const special = lookupRange(V6, six, 128);
  if (special) return special;
  return inRange(six, GLOBAL_UNICAST[0], GLOBAL_UNICAST[1], 128) ? 'public' : 'reserved';
}

/** Whether a delivery may connect to this resolved address. */
export function mayConnect(address: string, policy: AddressPolicy): boolean {
  const cls = classifyAddress(address);
  return cls === 'public' || (cls === 'loopback' && policy.allowLoopback);
}

/**
 * Whether a webhook URL is acceptable before any DNS is asked: https to a host name or a public
 * literal; http and loopback only under the local allowance. The answer's URL is normalised
 * (odd numeric hosts like 0x7f000001 or 127.1 already read as 127.0.0.1), so what was checked
 * is what is stored and called.
 */
export function checkWebhookUrl(raw: string, policy: AddressPolicy): UrlVerdict {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'must be an absolute URL' };
  }
  if (url.username || url.password) return { ok: false, reason: 'must not carry credentials' };
  const cls = hostClass(url.hostname);
  const local = cls === 'loopback' && policy.allowLoopback;
  if (url.protocol !== 'https:' && !(local && url.protocol === 'http:'))
    return { ok: false, reason: 'must be an https URL' };
  if (cls !== null && cls !== 'public' && !local)
    return { ok: false, reason: `address not allowed (${cls})` };
  return { ok: true, url };
}

/** A literal's class; `localhost` names loopback by definition (RFC 6761); other names null. */
function hostClass(hostname: string): AddressClass | null {
  const name = hostname.toLowerCase().replace(/\.$/, '');
  if (name === 'localhost' || name.endsWith('.localhost')) return 'loopback';
  return classifyAddress(name);
}

function classifyV4(n: bigint): AddressClass {
  return lookupRange(V4, n, 32) ?? 'public';
}

function lookupRange(ranges: readonly Range[], n: bigint, width: number): AddressClass | null {
  return ranges.find(([prefix, bits]) => inRange(n, prefix, bits, width))?.[2] ?? null;
}

function inRange(n: bigint, prefix: bigint, bits: number, width: number): boolean {
  const shift = BigInt(width - bits);
  return n >> shift === prefix >> shift;
}

/** Dotted-quad only: the URL parser has already turned other numeric forms into it. */
function parseV4(text: string): bigint | null {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p) && +p <= 255))
    return null;
  return parts.reduce((n, p) => (n << 8n) | BigInt(p), 0n);
}

function parseV6(text: string): bigint | null {
  if (!text.includes(':') || !/^[0-9a-f:.]+$/i.test(text)) return null;
  const tail = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  const v4Tail = tail ? parseV4(tail[2]) : null;
  if (tail && v4Tail === null) return null;
  const head = tail
    ? `${tail[1]}${(v4Tail! >> 16n).toString(16)}:${(v4Tail! & 0xffffn).toString(16)}`
    : text;
  const halves = head.split('::');
  if (halves.length > 2) return null;
  const groups = halves.map((h) => (h === '' ? [] : h.split(':')));
  const missing = 8 - groups.reduce((n, g) => n + g.length, 0);
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const all =
    halves.length === 1 ? groups[0] : [...groups[0], ...Array(missing).fill('0'), ...groups[1]];
  if (!all.every((g) => /^[0-9a-f]{1,4}$/i.test(g))) return null;
  return all.reduce((n, g) => (n << 16n) | BigInt(`0x${g}`), 0n);
}

function v4(text: string): bigint {
  return parseV4(text)!;
}

function v6(text: string): bigint {
  return parseV6(text)!;
}
