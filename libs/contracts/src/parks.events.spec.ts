import { ParkData } from './directory.events';
import { findEventDefinition } from './event-types';
import {
  CreateEnterpriseBody,
  CreateParkBody,
  EnterpriseData,
  ParkIndicatorsBody,
  ParksEventTypes,
} from './parks.events';
import { validate } from './validation';

const park = {
  name: '纺织鞋服产业园',
  regionCode: '511112',
  leadIndustry: 'textile-shoes-apparel',
  plannedAreaMu: 5200,
  developedAreaMu: 3860.5,
  managingUnit: 'PARK-TEXTILE',
};

const fieldsOf = (result: ReturnType<typeof validate>) =>
  result.ok ? [] : result.issues.map((i) => i.field);

describe('parks contracts', () => {
  it("keeps ParkData readable in the projects directory's four-field shape", () => {
    const directory = {
      parkId: '0190d3c4-6f1e-7a52-9c1b-2f8e4a6b7c10',
      name: 'XX·武侯智谷智能制造产业园',
      regionCode: '511112',
      managingUnit: 'PARK-WH',
    };
    expect(validate(ParkData, directory)).toEqual({ ok: true, value: directory });
  });

  it('carries the day of the current status, optional for older producers', () => {
    const enterprise = {
      enterpriseId: '0190d3c4-6f1e-7a52-9c1b-2f8e4a6b7c11',
      uscc: '91350100M000100Y43',
      name: 'n',
      parkId: '0190d3c4-6f1e-7a52-9c1b-2f8e4a6b7c10',
      regionCode: '511112',
      industry: 'i',
      investmentWan: '1.00',
      employees: 1,
      aboveDesignatedSize: false,
      status: 'signed',
      version: 1,
    };
    expect(validate(EnterpriseData, enterprise).ok).toBe(true);
    const dated = { ...enterprise, statusChangedOn: '2025-03-18' };
    expect(validate(EnterpriseData, dated)).toEqual({ ok: true, value: dated });
    expect(
      fieldsOf(validate(EnterpriseData, { ...enterprise, statusChangedOn: '2025-02-30' })),
    ).toEqual(['statusChangedOn']);
  });

  it('registers every parks event type, inbound ones included', () => {
    for (const type of Object.values(ParksEventTypes)) {
      expect(findEventDefinition(type)?.type).toBe(type);
    }
  });

  it('refuses developed land above planned land on developedAreaMu', () => {
    expect(fieldsOf(validate(CreateParkBody, { ...park, developedAreaMu: 5200.01 }))).toEqual([
      'developedAreaMu',
    ]);
    expect(validate(CreateParkBody, park)).toMatchObject({ ok: true, value: { designations: [] } });
  });

  it('says which USCC rule a code breaks', () => {
    const result = validate(CreateEnterpriseBody, {
      uscc: '91110000600037341A',
      name: 'n',
      parkId: '0190d3c4-6f1e-7a52-9c1b-2f8e4a6b7c10',
      industry: 'i',
      investmentWan: '1.00',
      employees: 1,
      aboveDesignatedSize: false,
    });
    expect(result).toEqual({
      ok: false,
      issues: [
        {
          field: 'uscc',
          message: "wrong check character 'A': for 91110000600037341 it should be 'L'",
        },
      ],
    });
  });

  it('compares value added with output in fen, reporting one mistake once', () => {
    const figures = {
      outputValueWan: '100.00',
      industrialValueAddedWan: '100.01',
      taxWan: '1.00',
      fixedInvestmentWan: '1.00',
      employees: 1,
    };
    expect(fieldsOf(validate(ParkIndicatorsBody, figures))).toEqual(['industrialValueAddedWan']);
    expect(fieldsOf(validate(ParkIndicatorsBody, { ...figures, outputValueWan: '-1.00' }))).toEqual(
      ['outputValueWan'],
    );
    expect(validate(ParkIndicatorsBody, { ...figures, industrialValueAddedWan: '100.00' }).ok).toBe(
      true,
    );
  });
});
