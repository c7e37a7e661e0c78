import { findEventDefinition, EVENT_DEFINITIONS, dataSchemaFor } from './event-types';
import { MilestoneEventData, MilestoneEventTypes } from './milestone.events';
import { validate } from './validation';

const sample = {
  subjectType: 'transport-work',
  subjectId: '0190a4c2-7b3e-7c1d-8f2a-3b4c5d6e7f80',
  milestoneId: '0190a4c2-7b3e-7c1d-8f2a-3b4c5d6e7f81',
  name: '路基完工',
  ownerUnit: 'TOWN-QINGFU',
  plannedDate: '2026-06-30',
  currentPlannedDate: '2026-07-31',
  forecastDate: '2026-08-15',
  actualDate: null,
  status: 'pending',
};

const fieldsOf = (input: unknown): string[] => {
  const result = validate(MilestoneEventData, input);
  return result.ok ? [] : result.issues.map((i) => i.field);
};

describe('MilestoneEventData', () => {
  it('accepts a valid sample and returns it unchanged', () => {
    expect(validate(MilestoneEventData, sample)).toEqual({ ok: true, value: sample });
  });

  it.each(['project', 'park', 'campaign-task', 'transport-work', 'honour'])(
    'accepts subjectType %p',
    (subjectType) => {
      expect(fieldsOf({ ...sample, subjectType })).toEqual([]);
    },
  );

  it.each(['pending', 'met', 'missed', 'cancelled'])('accepts status %p', (status) => {
    expect(fieldsOf({ ...sample, status })).toEqual([]);
  });

  it.each(['village', 'Project', ''])('rejects subjectType %p', (subjectType) => {
    expect(fieldsOf({ ...sample, subjectType })).toEqual(['subjectType']);
  });

  it.each(['late', 'done', 'PENDING'])('rejects status %p', (status) => {
    expect(fieldsOf({ ...sample, status })).toEqual(['status']);
  });

  it('requires forecastDate and actualDate to be present, though they may be null', () => {
    const { forecastDate: _f, actualDate: _a, ...rest } = sample;
    expect(fieldsOf(rest).sort()).toEqual(['actualDate', 'forecastDate']);
  });

  it.each([
    ['subjectId', 'p-1'],
    ['name', ''],
    ['name', 'x'.repeat(201)],
    ['ownerUnit', 'drc'],
    ['plannedDate', '2026-02-29'],
    ['currentPlannedDate', '2026/07/31'],
    ['actualDate', '2026-13-01'],
  ])('rejects a bad %s (%p)', (field, value) => {
    expect(fieldsOf({ ...sample, [field]: value })).toEqual([field]);
  });

  it('drops an unknown field, so a newer producer adding one breaks no consumer', () => {
    expect(validate(MilestoneEventData, { ...sample, delayDays: 3 })).toEqual({
      ok: true,
      value: sample,
    });
  });
});

describe('milestone event definitions', () => {
  it('registers every milestone type with the shared schema at version 1', () => {
    for (const type of Object.values(MilestoneEventTypes)) {
      const def = findEventDefinition(type);
      expect(def).toBeDefined();
      expect(def?.schema).toBe(MilestoneEventData);
      expect(def?.version).toBe(1);
    }
  });

  it('has no duplicate types and every type matches the envelope pattern', () => {
    const types = EVENT_DEFINITIONS.map((d) => d.type);
    expect(new Set(types).size).toBe(types.length);
    for (const type of types) expect(type).toMatch(/^duban\.[a-z-]+\.[a-z-]+$/);
  });

  it('finds nothing for an unknown type', () => {
    expect(findEventDefinition('duban.milestone.unknown')).toBeUndefined();
  });

  it('names the schema version in dataschema', () => {
    expect(dataSchemaFor({ type: 'duban.milestone.completed', version: 3 })).toBe(
      'urn:duban:schema:duban.milestone.completed:v3',
    );
  });
});
