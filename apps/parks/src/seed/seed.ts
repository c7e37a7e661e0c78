import { INestApplicationContext } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { RuleViolation, chinaDate } from '@duban/contracts';
import { Principal } from '@duban/auth';
import { inTransaction } from '@duban/persistence';
import { Clock, SeedResult } from '@duban/platform';
import { CampaignsService } from '../campaigns/campaigns.service';
import { Campaign } from '../campaigns/campaign.entity';
import { EnterprisesService } from '../enterprises/enterprises.service';
import { ParkIndicatorsService } from '../indicators/park-indicators.service';
import { Park } from '../parks/park.entity';
import { ParksService } from '../parks/parks.service';
import { CampaignPlan, ParkPlan, planDemoCampaigns, planDemoParks } from './demo-plan';

/** Who the demo data is written as: it shows in task history and `reportedBy`. */
export const DEMO_SEED_ACTOR: Principal = { subject: 'demo-seed', role: 'admin' };

/**
 * Registers the demo parks (with designations, enterprises and indicators) and campaigns (with
 * tasks) through the real services, so every change leaves through the outbox as the events an
 * HTTP client would cause. Each park and each campaign is one transaction: there entirely or not
 * at all. Idempotent: a park or campaign whose name exists in the region is skipped, untouched.
 *
 * `now` places the relative dates; it must not be after the app's clock, as the services refuse
 * status changes, completions and indicators in the future.
 */
export async function seedDemoParks(
  app: INestApplicationContext,
  now: Date,
  log: (line: string) => void,
): Promise<SeedResult> {
  const serviceToday = chinaDate(app.get(Clock).now());
  if (chinaDate(now) > serviceToday) {
    throw new Error(`cannot seed for ${chinaDate(now)}: the service's today is ${serviceToday}`);
  }
  // Resolve and validate everything before writing anything.
  const parks = planDemoParks(now);
  const campaigns = planDemoCampaigns(now);
  const ds = app.get(DataSource);
  const result: SeedResult = { created: 0, skipped: 0 };
  const count = (created: boolean) => (created ? result.created++ : result.skipped++);

  for (const plan of parks) count(await seedPark(app, ds, plan, log));
  for (const plan of campaigns) count(await seedCampaign(app, ds, plan, log));
  return result;
}

async function seedPark(
  app: INestApplicationContext,
  ds: DataSource,
  plan: ParkPlan,
  log: (line: string) => void,
): Promise<boolean> {
  const { name, regionCode } = plan.park;
  if (await ds.getRepository(Park).existsBy({ regionCode, name })) {
    log(`skipped park ${name} (already in region ${regionCode})`);
    return false;
  }
  const actor = DEMO_SEED_ACTOR;
  const created = await once(`park ${name}`, log, () =>
    inTransaction(ds, async () => {
      const park = await app.get(ParksService).create(actor, plan.park);
      for (const e of plan.enterprises) {
        const enterprises = app.get(EnterprisesService);
        const enterprise = await enterprises.create(actor, { ...e.create, parkId: park.id });
        for (const move of e.moves) await enterprises.changeStatus(actor, enterprise.id, move);
      }
      for (const i of plan.indicators) {
        await app.get(ParkIndicatorsService).put(actor, park.id, i.month, i.body);
      }
    }),
  );
  if (created) log(`created park ${name} (${describe(plan)})`);
  return created;
}

async function seedCampaign(
  app: INestApplicationContext,
  ds: DataSource,
  plan: CampaignPlan,
  log: (line: string) => void,
): Promise<boolean> {
  const { name, regionCode } = plan.campaign;
  if (await ds.getRepository(Campaign).existsBy({ regionCode, name })) {
    log(`skipped campaign ${name} (already in region ${regionCode})`);
    return false;
  }
  const actor = DEMO_SEED_ACTOR;
  const campaigns = app.get(CampaignsService);
  const created = await once(`campaign ${name}`, log, () =>
    inTransaction(ds, async (m) => {
      const campaign = await campaigns.create(actor, plan.campaign);
      for (const t of plan.tasks) {
        const parkId = t.park ? await parkIdOf(m, regionCode, t.park) : null;
        const task = await campaigns.addTask(actor, campaign.id, { ...t.create, parkId });
        for (const command of t.then) {
          await campaigns.changeTask(actor, campaign.id, task.id, command);
        }
      }
    }),
  );
  if (created) log(`created campaign ${name} (${plan.tasks.length} tasks)`);
  return created;
}

function describe(plan: ParkPlan): string {
  const n = (count: number, what: string) => `${count} ${what}${count === 1 ? '' : 's'}`;
  return [
    n(plan.park.designations.length, 'designation'),
    n(plan.enterprises.length, 'enterprise'),
    `${n(plan.indicators.length, 'month')} of indicators`,
  ].join(', ');
}

async function parkIdOf(m: EntityManager, regionCode: string, name: string): Promise<string> {
  const park = await m.findOneBy(Park, { regionCode, name });
  if (!park) throw new Error(`demo task names park ${name}, which is not registered`);
  return park.id;
}

/**
 * Runs one record's transaction. Another seeder that registered the same name meanwhile wins:
 * ours rolled back and counts as skipped.
 */
async function once(
  what: string,
  log: (line: string) => void,
  work: () => Promise<unknown>,
): Promise<boolean> {
  try {
    await work();
    return true;
  } catch (err) {
    const { parkId, campaignId } = err instanceof RuleViolation ? err.details : {};
    if (err instanceof RuleViolation && err.kind === 'conflict' && (parkId || campaignId)) {
      log(`skipped ${what} (registered concurrently)`);
      return false;
    }
    throw new Error(`seeding ${what} failed: ${(err as Error).message}`, { cause: err });
  }
}
