import { createHmac, timingSafeEqual } from 'node:crypto';
import { Principal } from './principal';

/**
 * Department systems sign each ingest message instead of carrying a bearer token: a token in a
 * header is replayable by anyone who reads the topic or its dead letters for as long as it
 * lives, a signature authorises only the exact bytes it covers.
 *
 * Signed bytes: `duban-ingest:v1\n<key id>\n` followed by the Kafka record value exactly as
 * produced (the CloudEvent JSON: id, time, type, subject, source, region and data included).
 * Raw bytes need no canonical JSON on either side, and nothing a parser normalises (key order,
 * unknown fields, number forms) can differ between what was signed and what is applied.
 */
export const IngestHeaders = {
  signature: 'duban-signature',
  keyId: 'duban-key-id',
  /** `t=<ISO time>,v1=<hex>`: the server's word that an operator redrove the message at t. */
  redrive: 'duban-redrive-signature',
} as const;

const SIGNATURE_PREFIX = 'v1=';
// Region and unit as RegionCode and UnitCode accept them, so the sender is a valid principal.
const KEY_ID = /^(\d{6}):([A-Z0-9][A-Z0-9-]{1,31}):([1-9]\d{0,8})$/;

/** Who holds a key: `<region>:<unit>:<version>`, e.g. `511112:AGRI:1`. */
export interface IngestKeyId {
  region: string;
  unit: string;
  version: number;
}

export const formatKeyId = (k: IngestKeyId): string => `${k.region}:${k.unit}:${k.version}`;

export function parseKeyId(value: string): IngestKeyId | null {
  const m = KEY_ID.exec(value);
  return m ? { region: m[1], unit: m[2], version: Number(m[3]) } : null;
}

/**
 * A department's key, derived rather than stored: nothing secret is kept per unit, and a
 * leaked key opens one unit in one region until its version is retired.
 */
export function deriveIngestKey(serverSecret: string, keyId: IngestKeyId): string {
  return hmacHex(serverSecret, `duban-ingest-key:v1:${formatKeyId(keyId)}`);
}

/** The headers that authenticate `value`, as a department system adds them. */
export function signIngestMessage(
  value: Buffer | string,
  departmentKey: string,
  keyId: IngestKeyId,
): Record<string, string> {
  const id = formatKeyId(keyId);
  return {
    [IngestHeaders.keyId]: id,
    [IngestHeaders.signature]: SIGNATURE_PREFIX + hmacHex(departmentKey, signedBytes(id, value)),
  };
}

export interface IngestTrust {
  serverSecret: string;
  /** Broker append time may trail or lead the signed `time` by at most this much. */
  replayWindowMs: number;
  /** Lowest key version still accepted for a region and unit (revocation); 1 if unset. */
  minKeyVersion(region: string, unit: string): number;
}

export interface ReceivedIngestMessage {
  value: Buffer | null;
  headers: Record<string, string | undefined>;
  /** When the broker appended the record (ingest topics use LogAppendTime), not now. */
  appendedAt: Date;
}

export class IngestSignatureError extends Error {
  override readonly name = 'IngestSignatureError';
}

/**
 * The department a message comes from, or IngestSignatureError saying why it is refused.
 * The replay check compares the signed `time` (or an attested redrive's) with the broker's
 * append time, never with the consumer's clock: a backlog read an hour late is as fresh as
 * when it was appended, and a copy appended again later is stale however soon it is read.
 */
export function verifyIngestMessage(msg: ReceivedIngestMessage, trust: IngestTrust): Principal {
  const keyIdHeader = msg.headers[IngestHeaders.keyId];
  const signature = msg.headers[IngestHeaders.signature];
  if (keyIdHeader === undefined || signature === undefined) {
    throw new IngestSignatureError(
      `unsigned message: headers ${IngestHeaders.keyId} and ${IngestHeaders.signature} are required`,
    );
  }
  const keyId = parseKeyId(keyIdHeader);
  if (!keyId) {
    throw new IngestSignatureError(
      `${IngestHeaders.keyId} must be <region>:<unit>:<version>; got ${keyIdHeader.slice(0, 80)}`,
    );
  }
  assertKeyCurrent(keyId, trust);
  if (msg.value === null) throw new IngestSignatureError('empty message value');
  const expected = signIngestMessage(msg.value, deriveIngestKey(trust.serverSecret, keyId), keyId);
  if (!sameText(signature, expected[IngestHeaders.signature])) {
    throw new IngestSignatureError(`signature does not match the message for key ${keyIdHeader}`);
  }
  const redrivenAt = attestedRedrive(msg.headers, signature, trust.serverSecret);
  const since =
    redrivenAt === null
      ? { at: signedTime(msg.value), what: 'its signed time' }
      : { at: redrivenAt, what: 'its redrive' };
  assertFresh(since, msg.appendedAt, trust.replayWindowMs);
  return senderOf(keyId, keyIdHeader);
}

/**
 * The header a redrive adds, with the server's secret: a dead letter put back on its ingest
 * topic is appended long after it was signed and would otherwise be refused as a replay. The
 * attestation covers the department's signature, so it vouches for those bytes only, and its
 * time starts a fresh window: the redriven copy cannot be replayed later either.
 */
export function attestRedrive(
  headers: Record<string, string | undefined>,
  redrivenAt: Date,
  serverSecret: string,
): Record<string, string> {
  const signature = headers[IngestHeaders.signature];
  if (signature === undefined) return {};
  const t = redrivenAt.toISOString();
  return { [IngestHeaders.redrive]: `t=${t},v1=${redriveMac(serverSecret, t, signature)}` };
}

/** When a valid attestation says the message was redriven; null if it carries none. */
function attestedRedrive(
  headers: Record<string, string | undefined>,
  signature: string,
  serverSecret: string,
): number | null {
  const header = headers[IngestHeaders.redrive];
  if (header === undefined) return null;
  const m = /^t=([^,]+),v1=([0-9a-f]{64})$/.exec(header);
  if (!m || !sameText(m[2], redriveMac(serverSecret, m[1], signature))) {
    throw new IngestSignatureError(`${IngestHeaders.redrive} does not match the message`);
  }
  return Date.parse(m[1]);
}

const redriveMac = (serverSecret: string, t: string, signature: string): string =>
  hmacHex(serverSecret, `duban-redrive:v1\n${t}\n${signature}`);

function assertKeyCurrent(keyId: IngestKeyId, trust: IngestTrust): void {
  const min = trust.minKeyVersion(keyId.region, keyId.unit);
  if (keyId.version < min) {
    throw new IngestSignatureError(
      `key ${formatKeyId(keyId)} is retired: ${keyId.region}:${keyId.unit} needs version ${min} or later`,
    );
  }
}

function signedTime(value: Buffer): number {
  let time: unknown;
  try {
    time = (JSON.parse(value.toString()) as { time?: unknown }).time;
  } catch {
    // The consumer refuses non-JSON before any handler runs; this only guards the parse.
  }
  const at = typeof time === 'string' ? Date.parse(time) : NaN;
  if (Number.isNaN(at)) throw new IngestSignatureError('the signed event has no valid time');
  return at;
}

function assertFresh(
  since: { at: number; what: string },
  appendedAt: Date,
  windowMs: number,
): void {
  const skewMs = appendedAt.getTime() - since.at;
  if (Math.abs(skewMs) > windowMs) {
    throw new IngestSignatureError(
      `replayed or stale: appended ${Math.round(skewMs / 1000)} s after ${since.what} ` +
        `${new Date(since.at).toISOString()} (window ±${Math.round(windowMs / 1000)} s)`,
    );
  }
}

const senderOf = (keyId: IngestKeyId, subject: string): Principal => ({
  subject,
  role: 'department',
  unit: keyId.unit,
  region: keyId.region,
});

const signedBytes = (keyId: string, value: Buffer | string): Buffer =>
  Buffer.concat([Buffer.from(`duban-ingest:v1\n${keyId}\n`), Buffer.from(value)]);

const hmacHex = (key: string, data: string | Buffer): string =>
  createHmac('sha256', key).update(data).digest('hex');

/** Constant time, so the comparison leaks nothing about how much of a forgery was right. */
function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
