import { CalendarDate, SectionProgressBody, TransportIngest, addDays } from '@duban/contracts';
import { createRng } from '../deploy/local/simulator/actions';
import {
  SimGate,
  SimSection,
  SimWork,
  TransportActionKind,
  TransportWorld,
  chooseTransportAction,
  gateMetDate,
  nextProgress,
  transportCandidates,
  transportWeights,
} from '../deploy/local/simulator/transport-actions';

const TODAY = '2026-05-20';

const work = (over: Partial<SimWork> = {}): SimWork => ({
  id: '0190c000-0000-7000-8000-0000000000a1',
  name: '茂犍高速',
  regionCode: '511112',
  leadUnit: 'TRANSPORT',
  phase: 'pre-work',
  ...over,
});
const building = work({
  id: '0190c000-0000-7000-8000-0000000000a2',
  name: 'S207线XX过境段改建工程',
  phase: 'construction',
});

let seq = 0;
const gate = (over: Partial<SimGate> = {}): SimGate => {
  seq++;
  return {
    id: `0190c000-0000-7000-8000-${String(seq).padStart(12, '0')}`,
    workId: work().id,
    gate: 'approval',
    name: `茂犍高速 立项/核准 ${seq}`,
    ownerUnit: 'NATRES',
    plannedDate: TODAY,
    currentPlannedDate: TODAY,
    forecastDate: null,
    actualDate: null,
    status: 'pending',
    ...over,
  };
};
const section = (over: Partial<SimSection> = {}): SimSection => {
  seq++;
  return {
    id: `0190c000-0000-7000-8000-${String(seq).padStart(12, '0')}`,
    workId: building.id,
    name: `K${seq} 标段`,
    progressPct: 65,
    openedOn: null,
    ...over,
  };
};
const played = (): Record<TransportActionKind, number> => ({
  'gate-met': 0,
  'gate-forecast': 0,
  'section-progress': 0,
});

describe('transport gates the simulator reports', () => {
  it('are never met in the future', () => {
    for (const seed of [1, 2, 3, 'demo']) {
      const rng = createRng(seed);
      for (let i = 0; i < 200; i++) {
        const d = gateMetDate(TODAY, rng);
        expect(CalendarDate.safeParse(d).success).toBe(true);
        expect(d <= TODAY).toBe(true);
        expect(d >= addDays(TODAY, -2)).toBe(true);
      }
    }
  });

  it('prefer late gates, leave out met, cancelled, far-off and just-acted-on ones', () => {
    const late = gate({ currentPlannedDate: '2026-05-01' });
    const soon = gate({ currentPlannedDate: '2026-05-23', gate: 'preliminary-design' });
    const farOff = gate({ currentPlannedDate: '2027-03-01', gate: 'land-and-environment' });
    const met = gate({ status: 'met', actualDate: '2026-01-01', gate: 'pre-feasibility' });
    const waived = gate({ status: 'cancelled', gate: 'feasibility-study' });
    const busy = gate({ currentPlannedDate: '2026-05-02' });
    const world: TransportWorld = {
      works: [{ work: work(), gates: [late, soon, farOff, met, waived, busy], sections: [] }],
    };
    const c = transportCandidates(world, TODAY, new Set([busy.id]));
    expect(c['gate-met'].map((p) => p.gate.id).sort()).toEqual([late.id, soon.id].sort());
    expect(c['gate-forecast'].map((p) => p.gate.id).sort()).toEqual([soon.id, farOff.id].sort());

    const rng = createRng(5);
    const p = played();
    let lateMet = 0;
    let metTotal = 0;
    for (let i = 0; i < 400; i++) {
      const a = chooseTransportAction(world, {
        today: TODAY,
        rng,
        played: p,
        busy: new Set([busy.id]),
      });
      if (!a) throw new Error('expected an action');
      if (a.kind === 'gate-met') {
        expect(a.body.actualDate <= TODAY).toBe(true);
        expect(['NATRES', 'TRANSPORT']).toContain(a.unit);
        expect(a.transport).toBe(p['gate-met'] % 2 === 0 ? 'kafka' : 'http');
        expect(
          TransportIngest.gateMetReported.safeParse({
            workId: a.work.id,
            gate: a.gate.gate,
            ...a.body,
          }).success,
        ).toBe(true);
        metTotal++;
        if (a.gate.id === late.id) lateMet++;
      }
      if (a.kind === 'gate-forecast') {
        expect(a.transport).toBe('kafka');
        expect(a.body.forecastDate > a.gate.currentPlannedDate).toBe(true);
        expect(
          TransportIngest.gateForecastReported.safeParse({
            workId: a.work.id,
            gate: a.gate.gate,
            ...a.body,
          }).success,
        ).toBe(true);
      }
      p[a.kind]++;
    }
    // Weighted 4 to 1: about 80% of the gates reported met are the late one.
    expect(metTotal).toBeGreaterThan(50);
    expect(lateMet / metTotal).toBeGreaterThan(0.65);
  });

  it('lean towards meeting gates when many are late, towards slips when few are', () => {
    const troubled: TransportWorld = {
      works: [{ work: work(), gates: [gate({ currentPlannedDate: '2026-05-01' })], sections: [] }],
    };
    const calm: TransportWorld = {
      works: [{ work: work(), gates: [gate({ currentPlannedDate: '2026-09-01' })], sections: [] }],
    };
    const t = transportWeights(troubled, TODAY);
    const c = transportWeights(calm, TODAY);
    expect(t['gate-met']).toBeGreaterThan(t['gate-forecast']);
    expect(c['gate-forecast']).toBeGreaterThan(c['gate-met']);
  });
});

describe('section progress the simulator reports', () => {
  it('never falls, never repeats, never exceeds 100, and stays a valid percentage', () => {
    for (const seed of [1, 2, 3, 'demo']) {
      const rng = createRng(seed);
      let pct = 0;
      let steps = 0;
      while (pct < 100) {
        const next = nextProgress(pct, rng);
        expect(next).toBeGreaterThan(pct);
        expect(next).toBeLessThanOrEqual(100);
        expect(SectionProgressBody.safeParse({ progressPct: next }).success).toBe(true);
        pct = next;
        steps++;
      }
      expect(steps).toBeGreaterThan(20);
    }
    expect(nextProgress(99.9, createRng(1))).toBe(100);
  });

  it('is reported only on unopened, unfinished sections of works in construction', () => {
    const open = section({ progressPct: 100, openedOn: '2026-04-20' });
    const done = section({ progressPct: 100 });
    const building1 = section({ progressPct: 65 });
    const notYet = section({ workId: work().id, progressPct: 10 });
    const world: TransportWorld = {
      works: [
        { work: building, gates: [], sections: [open, done, building1] },
        { work: work(), gates: [], sections: [notYet] },
      ],
    };
    const c = transportCandidates(world, TODAY);
    expect(c['section-progress'].map((p) => p.section.id)).toEqual([building1.id]);
    expect(transportCandidates(world, TODAY, new Set([building1.id]))['section-progress']).toEqual(
      [],
    );

    // Played on its own, the section climbs to 100 and then drops out of the candidates.
    const rng = createRng(9);
    let s = building1;
    for (let i = 0; i < 200; i++) {
      const w: TransportWorld = { works: [{ work: building, gates: [], sections: [s] }] };
      const a = chooseTransportAction(w, { today: TODAY, rng, played: played() });
      if (!a) break;
      if (a.kind !== 'section-progress') throw new Error(`unexpected ${a.kind}`);
      expect(a.transport).toBe('kafka');
      expect(a.body.progressPct).toBeGreaterThan(s.progressPct);
      expect(
        TransportIngest.sectionProgressReported.safeParse({
          workId: building.id,
          sectionId: s.id,
          ...a.body,
        }).success,
      ).toBe(true);
      s = { ...s, progressPct: a.body.progressPct };
    }
    expect(s.progressPct).toBe(100);
  });
});
