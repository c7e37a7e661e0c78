import { validate as isUuid, version as uuidVersion } from 'uuid';
import {
  CLOUDEVENTS_CONTENT_TYPE,
  DubanEvent,
  NewEvent,
  createEvent,
  decodeEvent,
  encodeEvent,
  parseEvent,
} from './envelope';
import {
  ContractError,
  MalformedEventError,
  SchemaViolationError,
  UnknownEventTypeError,
} from './errors';
import { MilestoneEventData, MilestoneEventTypes } from './milestone.events';

const SUBJECT = '0190a4c2-7b3e-7c1d-8f2a-3b4c5d6e7f80';

const milestone = (overrides: Record<string, unknown> = {}): MilestoneEventData =>
  ({
    subjectType: 'project',
    subjectId: SUBJECT,
    milestoneId: '0190a4c2-7b3e-7c1d-8f2a-3b4c5d6e7f81',
    name: '主体结构封顶',
    ownerUnit: 'DRC',
    plannedDate: '2026-06-30',
    currentPlannedDate: '2026-06-30',
    forecastDate: null,
    actualDate: null,
    status: 'pending',
    ...overrides,
  }) as MilestoneEventData;

const newEvent = (overrides: Partial<NewEvent<unknown>> = {}): NewEvent<unknown> => ({
  type: MilestoneEventTypes.scheduled,
  service: 'projects',
  subject: SUBJECT,
  region: '511112',
  data: milestone(),
  ...overrides,
});

/** Runs `fn`, expecting it to throw, and returns what it threw. */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('createEvent', () => {
  it('builds a CloudEvents 1.0 envelope for the type', () => {
    const before = Date.now();
    const event = createEvent(newEvent());
    const after = Date.now();

    expect(event).toMatchObject({
      specversion: '1.0',
      source: '/duban/projects',
      type: 'duban.milestone.scheduled',
      subject: SUBJECT,
      datacontenttype: 'application/json',
      dataschema: 'urn:duban:schema:duban.milestone.scheduled:v1',
      region: '511112',
      partitionkey: SUBJECT,
      data: milestone(),
    });
    expect(isUuid(event.id)).toBe(true);
    expect(uuidVersion(event.id)).toBe(7);
    expect(new Date(event.time).toISOString()).toBe(event.time);
    expect(Date.parse(event.time)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(event.time)).toBeLessThanOrEqual(after);
  });

  it('gives each event a fresh id', () => {
    expect(createEvent(newEvent()).id).not.toBe(createEvent(newEvent()).id);
  });

  it('uses the given id, time and partition key', () => {
    const id = '0190a4c2-7b3e-7c1d-8f2a-3b4c5d6e7f99';
    const event = createEvent(
      newEvent({ id, time: new Date('2026-02-01T02:03:04.005Z'), partitionKey: 'park-7' }),
    );
    expect(event.id).toBe(id);
    expect(event.time).toBe('2026-02-01T02:03:04.005Z');
    expect(event.partitionkey).toBe('park-7');
    expect(event.subject).toBe(SUBJECT);
  });

  it('throws UnknownEventTypeError for a type not in the catalogue', () => {
    const error = thrown(() => createEvent(newEvent({ type: 'duban.milestone.exploded' })));
    expect(error).toBeInstanceOf(UnknownEventTypeError);
    expect(error).toBeInstanceOf(ContractError);
    expect(error).toMatchObject({ reason: 'unknown-type', type: 'duban.milestone.exploded' });
    expect((error as Error).message).toBe('unknown event type: duban.milestone.exploded');
  });

  it.each([
    ['an impossible plannedDate', milestone({ plannedDate: '2026-02-30' }), 'plannedDate'],
    ['a missing ownerUnit', milestone({ ownerUnit: undefined }), 'ownerUnit'],
    ['an unknown status', milestone({ status: 'late' }), 'status'],
  ])('throws SchemaViolationError for %s', (_case, data, field) => {
    const error = thrown(() => createEvent(newEvent({ data })));
    expect(error).toBeInstanceOf(SchemaViolationError);
    const violation = error as SchemaViolationError;
    expect(violation.reason).toBe('schema-violation');
    expect(violation.type).toBe('duban.milestone.scheduled');
    expect(violation.issues.map((i) => i.field)).toEqual([field]);
    expect(violation.message).toContain(
      `event duban.milestone.scheduled violates its schema: ${field}: `,
    );
  });

  it('drops a field its schema does not know (tolerant reader: schemas grow additively)', () => {
    const event = createEvent(newEvent({ data: milestone({ colour: 'red' }) }));
    expect(event.data).not.toHaveProperty('colour');
    expect(event.data).toMatchObject({ name: expect.any(String) });
  });

  it('rejects a bad region as a malformed envelope', () => {
    const error = thrown(() => createEvent(newEvent({ region: '5111' })));
    expect(error).toBeInstanceOf(MalformedEventError);
    expect((error as MalformedEventError).issues.map((i) => i.field)).toEqual(['region']);
  });
});

describe('decodeEvent', () => {
  const valid = (): DubanEvent => createEvent(newEvent());
  const asJson = (event: unknown) => JSON.stringify(event);

  it('round-trips through encodeEvent', () => {
    const event = valid();
    const bytes = encodeEvent(event);
    expect(Buffer.isBuffer(bytes)).toBe(true);
    expect(decodeEvent(bytes)).toEqual(event);
  });

  it('accepts a string as well as a Buffer', () => {
    const event = valid();
    expect(decodeEvent(asJson(event))).toEqual(event);
  });

  it('round-trips every milestone event type', () => {
    for (const type of Object.values(MilestoneEventTypes)) {
      const event = createEvent(newEvent({ type }));
      expect(decodeEvent(encodeEvent(event))).toEqual(event);
      expect(event.dataschema).toBe(`urn:duban:schema:${type}:v1`);
    }
  });

  it('throws MalformedEventError for a null value (tombstone)', () => {
    const error = thrown(() => decodeEvent(null));
    expect(error).toBeInstanceOf(MalformedEventError);
    expect(error).toMatchObject({ reason: 'malformed', issues: [] });
    expect((error as Error).message).toBe('malformed event: empty message value');
  });

  it.each(['not json', '', '{"id":'])('throws MalformedEventError for non-JSON %p', (raw) => {
    const error = thrown(() => decodeEvent(Buffer.from(raw)));
    expect(error).toBeInstanceOf(MalformedEventError);
    expect(error).toMatchObject({ reason: 'malformed' });
    expect((error as Error).message).toBe('malformed event: value is not JSON');
  });

  it.each<[string, (e: Record<string, unknown>) => void, string]>([
    ['a missing id', (e) => delete e.id, 'id'],
    ['a non-UUID id', (e) => (e.id = 'evt-1'), 'id'],
    ['the wrong specversion', (e) => (e.specversion = '0.3'), 'specversion'],
    ['a bad region', (e) => (e.region = '51111'), 'region'],
    ['a time without offset', (e) => (e.time = '2026-02-01T10:00:00'), 'time'],
    ['a type of the wrong shape', (e) => (e.type = 'milestone.scheduled'), 'type'],
    ['a missing partitionkey', (e) => delete e.partitionkey, 'partitionkey'],
    ['the wrong datacontenttype', (e) => (e.datacontenttype = 'text/plain'), 'datacontenttype'],
  ])('throws MalformedEventError with issues for %s', (_case, mutate, field) => {
    const event = valid() as unknown as Record<string, unknown>;
    mutate(event);
    const error = thrown(() => decodeEvent(asJson(event)));
    expect(error).toBeInstanceOf(MalformedEventError);
    const malformed = error as MalformedEventError;
    expect(malformed.reason).toBe('malformed');
    expect(malformed.issues.map((i) => i.field)).toEqual([field]);
    expect(malformed.message).toMatch(/^malformed event: not a Duban CloudEvent: /);
  });

  it('throws MalformedEventError for JSON that is not an object', () => {
    const error = thrown(() => decodeEvent('[1,2,3]'));
    expect(error).toBeInstanceOf(MalformedEventError);
    expect((error as MalformedEventError).issues).toEqual([
      expect.objectContaining({ field: '(body)' }),
    ]);
  });

  it('throws UnknownEventTypeError for a well-formed event of an unknown type', () => {
    const event = { ...valid(), type: 'duban.milestone.teleported' };
    const error = thrown(() => decodeEvent(asJson(event)));
    expect(error).toBeInstanceOf(UnknownEventTypeError);
    expect(error).toMatchObject({ reason: 'unknown-type', type: 'duban.milestone.teleported' });
  });

  it('throws SchemaViolationError when the data does not match the type', () => {
    const event = { ...valid(), data: milestone({ subjectType: 'village' }) };
    const error = thrown(() => decodeEvent(asJson(event)));
    expect(error).toBeInstanceOf(SchemaViolationError);
    expect(error).toMatchObject({ reason: 'schema-violation', type: 'duban.milestone.scheduled' });
    expect((error as SchemaViolationError).issues.map((i) => i.field)).toEqual(['subjectType']);
  });
});

describe('parseEvent', () => {
  it('returns the checked event for a valid object', () => {
    const event = createEvent(newEvent());
    expect(parseEvent(JSON.parse(JSON.stringify(event)))).toEqual(event);
  });
});

describe('ContractError reasons', () => {
  it('each subclass carries its own reason and is an Error', () => {
    const errors: [ContractError, string][] = [
      [new MalformedEventError('x'), 'malformed'],
      [new UnknownEventTypeError('duban.x.y'), 'unknown-type'],
      [new SchemaViolationError('duban.x.y', [{ field: 'f', message: 'm' }]), 'schema-violation'],
    ];
    for (const [error, reason] of errors) {
      expect(error).toBeInstanceOf(Error);
      expect(error).toBeInstanceOf(ContractError);
      expect(error.reason).toBe(reason);
    }
  });

  it('MalformedEventError lists its issues in the message', () => {
    const error = new MalformedEventError('bad', [{ field: 'id', message: 'must be a UUID' }]);
    expect(error.message).toBe('malformed event: bad: id: must be a UUID');
    expect(error.issues).toEqual([{ field: 'id', message: 'must be a UUID' }]);
  });
});

it('exports the structured-mode content type', () => {
  expect(CLOUDEVENTS_CONTENT_TYPE).toBe('application/cloudevents+json');
});
