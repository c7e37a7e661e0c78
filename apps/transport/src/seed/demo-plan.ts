import { z } from 'zod';
import {
  AddSectionBody,
  CompleteMilestoneBody,
  ForecastBody,
  GateInput,
  MileageBaselineBody,
  OpenSectionBody,
  RegisterTransportWorkBody,
  RescheduleBody,
  SectionProgressBody,
  TRANSPORT_PHASES,
  TransportGate,
  chinaDate,
  describeIssues,
  validate,
} from '@duban/contracts';
import { resolveDay } from '@duban/platform';
import { TransportPhase } from '../works/domain/phase';
import {
  DEMO_BASELINES,
  DEMO_REGION_CODE,
  DEMO_WORKS,
  DemoGate,
  DemoSection,
  DemoWork,
} from './demo-works';

/**
 * The demo data resolved for one day: every relative date made concrete and every body parsed
 * through the same schemas the HTTP API uses, so bad demo data fails before anything is written.
 */
export interface GatePlan {
  gate: TransportGate;
  reschedule: z.infer<typeof RescheduleBody> | null;
  forecast: z.infer<typeof ForecastBody> | null;
  complete: z.infer<typeof CompleteMilestoneBody> | null;
}

export interface SectionPlan {
  add: AddSectionBody;
  progress: z.infer<typeof SectionProgressBody> | null;
  open: z.infer<typeof OpenSectionBody> | null;
}

export interface WorkPlan {
  work: RegisterTransportWorkBody;
  gates: GatePlan[];
  /** Phase moves after registration, in order (planning → pre-work → …). */
  phasePath: TransportPhase[];
  sections: SectionPlan[];
}

export function planDemoWorks(now: Date, works: readonly DemoWork[] = DEMO_WORKS): WorkPlan[] {
  const today = chinaDate(now);
  return works.map((w) => {
    const where = `demo work ${w.name}`;
    const gateInputs: GateInput[] = w.gates.map((g) => ({
      gate: g.gate,
      plannedDate: resolveDay(g.due, today),
      ...(g.ownerUnit ? { ownerUnit: g.ownerUnit } : {}),
    }));
    const work = parse(
      RegisterTransportWorkBody,
      {
        kind: w.kind,
        name: w.name,
        regionCode: DEMO_REGION_CODE,
        leadUnit: w.leadUnit,
        plannedInvestmentWan: w.plannedInvestmentWan,
        gates: gateInputs,
      },
      where,
    );
    return {
      work,
      gates: w.gates.map((g) => planGate(g, today, `${where}, gate ${g.gate}`)),
      phasePath: TRANSPORT_PHASES.slice(1, TRANSPORT_PHASES.indexOf(w.phase) + 1),
      sections: (w.sections ?? []).map((s) => planSection(s, today, `${where}, ${s.name}`)),
    };
  });
}

export const planDemoBaselines = (): MileageBaselineBody[] =>
  DEMO_BASELINES.map((b) =>
    parse(MileageBaselineBody, { regionCode: DEMO_REGION_CODE, ...b }, `baseline ${b.kind}`),
  );

function planGate(g: DemoGate, today: string, at: string): GatePlan {
  const complete = g.metOn
    ? parse(CompleteMilestoneBody, { actualDate: resolveDay(g.metOn, today) }, at)
    : null;
  if (complete && complete.actualDate > today) {
    throw new Error(`${at}: met on ${complete.actualDate}, after today ${today}`);
  }
  return {
    gate: g.gate,
    reschedule: g.rescheduled
      ? parse(
          RescheduleBody,
          { plannedDate: resolveDay(g.rescheduled.to, today), reason: g.rescheduled.reason },
          at,
        )
      : null,
    forecast: g.forecast
      ? parse(ForecastBody, { forecastDate: resolveDay(g.forecast, today) }, at)
      : null,
    complete,
  };
}

function planSection(s: DemoSection, today: string, at: string): SectionPlan {
  return {
    add: parse(AddSectionBody, { name: s.name, lengthKm: s.lengthKm }, at),
    progress:
      s.progressPct === undefined
        ? null
        : parse(SectionProgressBody, { progressPct: s.progressPct }, at),
    open: s.openedOn
      ? parse(OpenSectionBody, { openedOn: resolveDay(s.openedOn, today) }, at)
      : null,
  };
}

function parse<S extends z.ZodType>(schema: S, value: unknown, where: string): z.output<S> {
  const result = validate(schema, value);
  if (!result.ok) throw new Error(`${where} is invalid: ${describeIssues(result.issues)}`);
  return result.value;
}
