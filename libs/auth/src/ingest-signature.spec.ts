import {
  IngestHeaders,
  IngestKeyId,
  IngestSignatureError,
  IngestTrust,
  attestRedrive,
  deriveIngestKey,
  parseKeyId,
  signIngestMessage,
  verifyIngestMessage,
} from './ingest-signature';
import { ingestTrustFrom, parseMinKeyVersions } from './ingest-key';

const SECRET = 'server-secret';
const AGRI: IngestKeyId = { region: '511112', unit: 'AGRI', version: 1 };
const SIGNED_AT = new Date('2026-11-29T08:00:00.000Z');
const MINUTE = 60_000;

const trust = (overrides: Partial<IngestTrust> = {}): IngestTrust => ({
  serverSecret: SECRET,
  replayWindowMs: 10 * MINUTE,
  minKeyVersion: () => 1,
  ...overrides,
});

const event = (overrides: object = {}) => ({
  specversion: '1.0',
  id: '0193a6a0-0000-7000-8000-000000000001',
  source: '/duban/agri-system',
  type: 'duban.milestone.completion-reported',
  subject: 'm-1',
  time: SIGNED_AT.toISOString(),
  region: '511112',
  data: { projectId: 'p-1', milestoneId: 'm-1', actualDate: '2026-11-29' },
  ...overrides,
});

function signed(keyId = AGRI, value = JSON.stringify(event())) {
  return {
    value: Buffer.from(value),
    headers: signIngestMessage(value, deriveIngestKey(SECRET, keyId), keyId),
  };
}

const receive = (
  msg: { value: Buffer; headers: Record<string, string> },
  appendedAt = SIGNED_AT,
  t = trust(),
) => verifyIngestMessage({ ...msg, appendedAt }, t);

const refusal = (act: () => unknown): string => {
  try {
    act();
  } catch (err) {
    if (err instanceof IngestSignatureError) return err.message;
    throw err;
  }
  throw new Error('expected the message to be refused');
};

describe('ingest message signatures', () => {
  it('names the signing department as a region-bound department principal', () => {
    expect(receive(signed())).toEqual({
      subject: '511112:AGRI:1',
      role: 'department',
      unit: 'AGRI',
      region: '511112',
    });
  });

  it('carries the key id and a v1 hex signature in their own headers, not in authorization', () => {
    expect(signed().headers).toEqual({
      'duban-key-id': '511112:AGRI:1',
      'duban-signature': expect.stringMatching(/^v1=[0-9a-f]{64}$/),
    });
  });

  it('refuses data changed after signing', () => {
    const msg = signed();
    const tampered = JSON.stringify(
      event({ data: { projectId: 'p-1', milestoneId: 'm-1', actualDate: '2026-01-01' } }),
    );
    expect(refusal(() => receive({ ...msg, value: Buffer.from(tampered) }))).toBe(
      'signature does not match the message for key 511112:AGRI:1',
    );
  });

  it.each([
    ['id', { id: '0193a6a0-0000-7000-8000-000000000002' }],
    ['time', { time: new Date(SIGNED_AT.getTime() + MINUTE).toISOString() }],
    ['type', { type: 'duban.project.status-change-requested' }],
    ['subject', { subject: 'm-2' }],
    ['source', { source: '/duban/other-system' }],
  ])('refuses a changed %s', (_field, change) => {
    const msg = signed();
    const altered = Buffer.from(JSON.stringify(event(change)));
    expect(refusal(() => receive({ ...msg, value: altered }))).toMatch(/^signature does not match/);
  });

  it('refuses a signature made with another unit, region or version than the key id claims', () => {
    for (const claimed of ['511112:WATER:1', '511113:AGRI:1', '511112:AGRI:2']) {
      const msg = signed();
      const headers = { ...msg.headers, [IngestHeaders.keyId]: claimed };
      expect(refusal(() => receive({ ...msg, headers }))).toBe(
        `signature does not match the message for key ${claimed}`,
      );
    }
  });

  it('refuses a key version below the unit’s minimum (revoked), and accepts the next one', () => {
    const t = trust({ minKeyVersion: parseMinKeyVersions('511112:AGRI=2') });
    expect(refusal(() => receive(signed(), SIGNED_AT, t))).toBe(
      'key 511112:AGRI:1 is retired: 511112:AGRI needs version 2 or later',
    );
    expect(receive(signed({ ...AGRI, version: 2 }), SIGNED_AT, t).unit).toBe('AGRI');
  });

  it('refuses an unsigned message, even one with an old-style bearer token', () => {
    const msg = { value: signed().value, headers: { authorization: 'Bearer eyJ...' } };
    expect(refusal(() => receive(msg))).toBe(
      'unsigned message: headers duban-key-id and duban-signature are required',
    );
  });

  it('refuses a key id that is not <region>:<unit>:<version>', () => {
    const msg = signed();
    const headers = { ...msg.headers, [IngestHeaders.keyId]: 'AGRI' };
    expect(refusal(() => receive({ ...msg, headers }))).toBe(
      'duban-key-id must be <region>:<unit>:<version>; got AGRI',
    );
  });

  it('refuses as a replay a message appended more than the window after its signed time', () => {
    const late = new Date(SIGNED_AT.getTime() + 11 * MINUTE);
    expect(refusal(() => receive(signed(), late))).toBe(
      'replayed or stale: appended 660 s after its signed time 2026-11-29T08:00:00.000Z (window ±600 s)',
    );
  });

  it('refuses a signed time far ahead of the append time, which would stretch the window', () => {
    const early = new Date(SIGNED_AT.getTime() - 11 * MINUTE);
    expect(refusal(() => receive(signed(), early))).toMatch(/^replayed or stale: appended -660 s/);
  });

  it('accepts a backlog: only the append time counts, however late the consumer reads it', () => {
    // Nothing here reads a clock: a consumer down for an hour sees the same append time.
    expect(receive(signed(), new Date(SIGNED_AT.getTime() + 9 * MINUTE)).unit).toBe('AGRI');
  });

  describe('a redrive attested with the server secret', () => {
    const redrivenAt = new Date(SIGNED_AT.getTime() + 60 * MINUTE);
    const redriven = (secret = SECRET, from = signed()) => {
      const msg = signed();
      return {
        ...msg,
        headers: { ...msg.headers, ...attestRedrive(from.headers, redrivenAt, secret) },
      };
    };

    it('is fresh from when it was redriven, however old its signature', () => {
      expect(receive(redriven(), redrivenAt).unit).toBe('AGRI');
    });

    it('is a replay again once appended more than the window after the redrive', () => {
      const late = new Date(redrivenAt.getTime() + 11 * MINUTE);
      expect(refusal(() => receive(redriven(), late))).toMatch(
        /^replayed or stale: appended 660 s after its redrive 2026-11-29T09:00:00.000Z/,
      );
    });

    it('cannot be forged without the server secret, nor moved to another message', () => {
      expect(refusal(() => receive(redriven('guess'), redrivenAt))).toBe(
        'duban-redrive-signature does not match the message',
      );
      const other = signed(AGRI, JSON.stringify(event({ subject: 'm-2' })));
      expect(refusal(() => receive(redriven(SECRET, other), redrivenAt))).toBe(
        'duban-redrive-signature does not match the message',
      );
    });
  });

  it('derives a different key per region, unit and version', () => {
    const keys = new Set(
      ['511112:AGRI:1', '511113:AGRI:1', '511112:WATER:1', '511112:AGRI:2'].map((id) =>
        deriveIngestKey(SECRET, parseKeyId(id)!),
      ),
    );
    expect(keys.size).toBe(4);
  });
});

describe('ingest trust configuration', () => {
  it('defaults to a ten-minute window and version 1 for everyone', () => {
    const t = ingestTrustFrom({ DUBAN_INGEST_SECRET: 'x' });
    expect(t.replayWindowMs).toBe(10 * MINUTE);
    expect(t.minKeyVersion('511112', 'AGRI')).toBe(1);
  });

  it('refuses to start in production without its own secret, or with an unreadable revocation list', () => {
    expect(() => ingestTrustFrom({ NODE_ENV: 'production' })).toThrow(
      'DUBAN_INGEST_SECRET must be set unless NODE_ENV is development or test',
    );
    expect(() => ingestTrustFrom({})).toThrow('DUBAN_INGEST_SECRET must be set');
    expect(() => parseMinKeyVersions('AGRI=2')).toThrow(
      '"AGRI=2" is not <region>:<unit>=<version>',
    );
  });
});
