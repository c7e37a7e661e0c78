import { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { RuleViolation, chinaDate } from '@duban/contracts';
import { Principal } from '@duban/auth';
import { inTransaction } from '@duban/persistence';
import { Clock, SeedResult } from '@duban/platform';
import { GatesService } from '../gates/gates.service';
import { MileageService } from '../mileage/mileage.service';
import { OperatingMileage } from '../mileage/operating-mileage.entity';
import { SectionsService } from '../sections/sections.service';
import { TransportWork } from '../works/transport-work.entity';
import { WorksService } from '../works/works.service';
import { WorkPlan, planDemoBaselines, planDemoWorks } from './demo-plan';

/** Who the demo data is written as: it shows in gate history. */
export const DEMO_SEED_ACTOR: Principal = { subject: 'demo-seed', role: 'admin' };

interface Services {
  works: WorksService;
  gates: GatesService;
  sections: SectionsService;
}

/**
 * Registers the demo transport works and the expressway baseline through the real services, so
 * every change leaves through the outbox as the same events an HTTP client would cause. Each
 * work (with its gates, phase moves and sections) is written in one transaction. Idempotent: a
 * work whose name already exists in the region is skipped, and a baseline already recorded is
 * left as it is (an admin may have corrected it since).
 *
 * `now` places the relative dates; it must not be after the app's clock, as the services refuse
 * gates met and sections opened in the future.
 */
export async function seedDemoTransport(
  app: INestApplicationContext,
  now: Date,
  log: (line: string) => void,
): Promise<SeedResult> {
  const ds = app.get(DataSource);
  const serviceToday = chinaDate(app.get(Clock).now());
  if (chinaDate(now) > serviceToday) {
    throw new Error(`cannot seed for ${chinaDate(now)}: the service's today is ${serviceToday}`);
  }
  // Resolve and validate everything before writing anything.
  const plans = planDemoWorks(now);
  const services = {
    works: app.get(WorksService),
    gates: app.get(GatesService),
    sections: app.get(SectionsService),
  };
  const result: SeedResult = { created: 0, skipped: 0 };
  const count = (created: boolean): void => {
    if (created) result.created += 1;
    else result.skipped += 1;
  };

  for (const baseline of planDemoBaselines()) {
    const { regionCode, kind, baselineKm } = baseline;
    const existing = await ds.manager.findOneBy(OperatingMileage, { regionCode, kind });
    if (existing && existing.baselineMetres > 0) {
      count(false);
      log(`skipped the ${kind} baseline of region ${regionCode} (already recorded)`);
      continue;
    }
    await app.get(MileageService).setBaseline(baseline);
    count(true);
    log(`recorded ${baselineKm} km of ${kind} open in region ${regionCode} before Duban`);
  }
  for (const plan of plans) count(await seedWork(ds, services, plan, log));
  return result;
}

async function seedWork(
  ds: DataSource,
  services: Services,
  plan: WorkPlan,
  log: (line: string) => void,
): Promise<boolean> {
  const { name, regionCode } = plan.work;
  if (await ds.getRepository(TransportWork).existsBy({ regionCode, name })) {
    log(`skipped ${name} (already exists in region ${regionCode})`);
    return false;
  }
  try {
    await inTransaction(ds, () => writeWork(services, plan));
  } catch (err) {
    // Another seeder registered the same work meanwhile: its work stands, ours rolled back.
    if (err instanceof RuleViolation && err.kind === 'conflict' && err.details.workId) {
      log(`skipped ${name} (registered concurrently)`);
      return false;
    }
    throw new Error(`seeding ${name} failed: ${(err as Error).message}`, { cause: err });
  }
  log(
    `created ${name} (${plan.gates.length} gates, ${plan.sections.length} sections, ` +
      `${plan.phasePath.at(-1) ?? 'planning'})`,
  );
  return true;
}

async function writeWork(s: Services, plan: WorkPlan): Promise<void> {
  const actor = DEMO_SEED_ACTOR;
  const { work } = await s.works.register(actor, plan.work);
  for (const g of plan.gates) {
    if (g.reschedule) {
      await s.gates.change(actor, work.id, g.gate, { kind: 'reschedule', ...g.reschedule });
    }
    if (g.forecast) {
      await s.gates.change(actor, work.id, g.gate, { kind: 'forecast', ...g.forecast });
    }
    if (g.complete) {
      await s.gates.change(actor, work.id, g.gate, { kind: 'complete', ...g.complete });
    }
  }
  for (const phase of plan.phasePath) await s.works.advance(actor, work.id, { phase });
  for (const section of plan.sections) {
    const added = await s.sections.add(actor, work.id, section.add);
    if (section.progress) {
      await s.sections.reportProgress(actor, work.id, added.id, section.progress);
    }
    if (section.open) await s.sections.open(actor, work.id, added.id, section.open);
  }
}
