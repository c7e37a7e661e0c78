import { World, createRng } from '../deploy/local/simulator/actions';
import {
  DOMAINS,
  Domain,
  Kind,
  Worlds,
  chooseNext,
  domainOf,
  domainWeights,
  emptyPlayedAll,
} from '../deploy/local/simulator/mix';
import { ParksWorld } from '../deploy/local/simulator/parks-actions';
import { TransportWorld } from '../deploy/local/simulator/transport-actions';

const TODAY = '2026-05-20';
const REGION = '511112';
const id = (n: number) => `0190d000-0000-7000-8000-${String(n).padStart(12, '0')}`;
const dated = (n: number, due: string, forecastDate: string | null = null) => ({
  id: id(n),
  name: `节点${n}`,
  ownerUnit: 'DRC',
  plannedDate: due,
  currentPlannedDate: due,
  forecastDate,
  actualDate: null,
  status: 'pending' as const,
});

// One late and one future item per domain: each can both resolve and raise an alert.
const projects: World = {
  projects: [
    {
      project: {
        id: id(1),
        code: 'DEMO-1',
        name: '产业园',
        leadUnit: 'DRC',
        regionCode: REGION,
        status: 'under-construction',
        totalPlannedInvestmentWan: '120000.00',
        annualPlannedInvestmentWan: '36000.00',
      },
      milestones: [
        { ...dated(2, '2026-05-10'), projectId: id(1) },
        { ...dated(3, '2026-07-01'), projectId: id(1) },
      ],
    },
  ],
};
const parks: ParksWorld = {
  parks: [{ id: id(10), name: '园区', regionCode: REGION, managingUnit: 'PARK-FOOD' }],
  campaigns: [
    {
      campaign: { id: id(11), name: '园区提质', regionCode: REGION, leadUnit: 'ECON' },
      tasks: [
        { ...dated(12, '2026-05-12'), campaignId: id(11) },
        { ...dated(13, '2026-07-01'), campaignId: id(11) },
      ],
    },
  ],
};
const transport: TransportWorld = {
  works: [
    {
      work: {
        id: id(20),
        name: '茂犍高速',
        regionCode: REGION,
        leadUnit: 'TRANSPORT',
        phase: 'construction',
      },
      gates: [
        { ...dated(21, '2026-05-15'), workId: id(20), gate: 'approval' },
        { ...dated(22, '2026-07-01'), workId: id(20), gate: 'preliminary-design' },
      ],
      sections: [{ id: id(23), workId: id(20), name: 'TJ1 标段', progressPct: 40, openedOn: null }],
    },
  ],
};

function play(worlds: Worlds, seed: number, n: number) {
  const rng = createRng(seed);
  const played = emptyPlayedAll();
  const kinds: Kind[] = [];
  for (let i = 0; i < n; i++) {
    const a = chooseNext(worlds, { today: TODAY, rng, played });
    if (!a) throw new Error('expected an action');
    played[a.kind]++;
    kinds.push(a.kind);
  }
  return { played, kinds };
}

const perDomain = (kinds: Kind[]) => {
  const counts: Record<Domain, number> = { projects: 0, parks: 0, transport: 0 };
  for (const k of kinds) counts[domainOf(k)]++;
  return counts;
};

describe('the mix across domains', () => {
  it('is the same for the same seed', () => {
    const worlds = { projects, parks, transport };
    expect(play(worlds, 42, 60).kinds).toEqual(play(worlds, 42, 60).kinds);
  });

  it('gives every domain an even share, even over a short watch', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const { kinds } = play({ projects, parks, transport }, seed, 300);
      const total = perDomain(kinds);
      for (const d of DOMAINS) expect(total[d]).toBeGreaterThanOrEqual(90);
      // Any 12 actions in a row (one minute at the default interval) touch every domain.
      for (let i = 0; i + 12 <= kinds.length; i += 12) {
        const window = perDomain(kinds.slice(i, i + 12));
        for (const d of DOMAINS) expect(window[d]).toBeGreaterThanOrEqual(2);
      }
    }
  });

  it('both raises and resolves alerts in every domain', () => {
    const { played } = play({ projects, parks, transport }, 7, 300);
    const pairs: [Kind, Kind][] = [
      ['complete', 'forecast'],
      ['task-complete', 'task-forecast'],
      ['gate-met', 'gate-forecast'],
    ];
    for (const [resolves, raises] of pairs) {
      expect(played[resolves]).toBeGreaterThan(5);
      expect(played[raises]).toBeGreaterThan(5);
    }
    expect(played.indicators).toBeGreaterThan(5);
    expect(played['section-progress']).toBeGreaterThan(5);
  });

  it('plays only the domains it could read, and falls back when one has nothing to do', () => {
    const noParks = perDomain(play({ projects, transport }, 3, 60).kinds);
    expect(noParks.parks).toBe(0);
    expect(noParks.projects + noParks.transport).toBe(60);

    const idle: TransportWorld = { works: [] };
    const fallback = perDomain(play({ projects, parks, transport: idle }, 3, 60).kinds);
    expect(fallback.transport).toBe(0);
    expect(fallback.projects).toBeGreaterThan(20);
    expect(fallback.parks).toBeGreaterThan(20);

    expect(
      chooseNext(
        { transport: idle, parks: { parks: [], campaigns: [] } },
        { today: TODAY, rng: createRng(1), played: emptyPlayedAll() },
      ),
    ).toBeNull();
  });

  it('weighs a domain that is ahead the less, the further ahead it is', () => {
    const played = emptyPlayedAll();
    expect(domainWeights(DOMAINS, played)).toEqual([1, 1, 1]);
    played.report = 2;
    played['gate-met'] = 1;
    const [p, k, t] = domainWeights(DOMAINS, played);
    expect(k).toBe(1);
    expect(t).toBeLessThan(k);
    expect(p).toBeLessThan(t);
  });
});
