import { findEventDefinition } from './event-types';
import {
  AddSectionBody,
  MileageChangedData,
  RegisterTransportWorkBody,
  SectionOpenedData,
  TransportEventTypes,
  TransportIngest,
  TransportPhaseChangedData,
} from './transport.events';
import { validate } from './validation';

const work = {
  kind: 'general-aviation-airport',
  name: 'XX通用机场',
  regionCode: '511112',
  leadUnit: 'TRANSPORT',
  plannedInvestmentWan: '48000.00',
};
const ID = '0190d3c4-6f1e-7a52-9c1b-2f8e4a6b7c10';

const fieldsOf = (result: ReturnType<typeof validate>) =>
  result.ok ? [] : result.issues.map((i) => i.field);

describe('transport contracts', () => {
  it('registers every transport event type, inbound ones included', () => {
    for (const type of Object.values(TransportEventTypes)) {
      expect(findEventDefinition(type)?.type).toBe(type);
    }
  });

  it('keeps the shapes evaluation reads unchanged', () => {
    const phase = { workId: ID, ...work, phase: 'tender', version: 3, previousPhase: 'pre-work' };
    expect(validate(TransportPhaseChangedData, phase).ok).toBe(true);
    const opened = {
      workId: ID,
      sectionId: ID,
      kind: 'expressway',
      regionCode: '511112',
      leadUnit: 'TRANSPORT',
      name: 'TJ1',
      lengthKm: 12.345,
      openedOn: '2026-11-20',
    };
    expect(validate(SectionOpenedData, opened).ok).toBe(true);
    const mileage = { regionCode: '511112', kind: 'expressway', operatingKm: 141, changeKm: 141 };
    expect(validate(MileageChangedData, mileage)).toEqual({ ok: true, value: mileage });
  });

  it('registers a work with no gates by default, and refuses a repeated gate on gates', () => {
    const ok = validate(RegisterTransportWorkBody, work);
    expect(ok).toEqual({ ok: true, value: { ...work, gates: [] } });
    const gate = { gate: 'approval', plannedDate: '2026-12-31' };
    expect(fieldsOf(validate(RegisterTransportWorkBody, { ...work, gates: [gate, gate] }))).toEqual(
      ['gates'],
    );
  });

  it.each([
    [12.345, true],
    [0.001, true],
    [12.3456, false],
    [0, false],
    [-1, false],
  ])('takes a section of %s km: %s', (lengthKm, ok) => {
    expect(validate(AddSectionBody, { name: 'TJ1', lengthKm }).ok).toBe(ok);
  });

  it('refuses an unknown gate and unknown fields on the ingest topic', () => {
    const met = { workId: ID, gate: 'approval', actualDate: '2026-11-20' };
    expect(validate(TransportIngest.gateMetReported, met).ok).toBe(true);
    expect(
      fieldsOf(validate(TransportIngest.gateMetReported, { ...met, gate: 'x', extra: 1 })).sort(),
    ).toEqual(['extra', 'gate']);
  });
});
