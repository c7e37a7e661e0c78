import { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CreateHonourBody, RuleViolation, chinaDate } from '@duban/contracts';
import { Principal } from '@duban/auth';
import { inTransaction } from '@duban/persistence';
import { SeedResult } from '@duban/platform';
import { Honour } from '../honours/honour.entity';
import { HonoursService } from '../honours/honours.service';
import { ManualValuesService } from '../schemes/manual-values.service';
import { Scheme } from '../schemes/scheme.entity';
import { SchemesService } from '../schemes/schemes.service';
import {
  CITY_SCHEME,
  CITY_VALUES,
  COUNTY_SCHEME,
  COUNTY_VALUES,
  DEMO_HONOURS,
  DemoHonour,
} from './demo-schemes';

/** Who the demo data is written as (an admin may post for the statistics bureau). */
export const DEMO_SEED_ACTOR: Principal = { subject: 'demo-seed', role: 'admin' };

/**
 * Creates the demo schemes (with the report's figures) and honours through the real services,
 * so their events leave through the outbox. Each scheme or honour is written in one
 * transaction. Idempotent: what already exists (same code, or same honour and year, in the
 * region) is skipped, never touched. `now` places the honour deadlines.
 */
export async function seedDemoEvaluation(
  app: INestApplicationContext,
  now: Date,
  log: (line: string) => void,
): Promise<SeedResult> {
  const ds = app.get(DataSource);
  const result: SeedResult = { created: 0, skipped: 0 };
  const count = (created: boolean, line: string) => {
    result[created ? 'created' : 'skipped'] += 1;
    log(`${created ? 'created' : 'skipped'} ${line}`);
  };
  for (const [body, values] of [
    [COUNTY_SCHEME, COUNTY_VALUES],
    [CITY_SCHEME, CITY_VALUES],
  ] as const) {
    const { regionCode, code } = body;
    if (await ds.getRepository(Scheme).existsBy({ regionCode, code })) {
      count(false, `scheme ${code} (already exists in region ${regionCode})`);
      continue;
    }
    const created = await ifNotConcurrent(() =>
      inTransaction(ds, async () => {
        const scheme = await app.get(SchemesService).create(DEMO_SEED_ACTOR, body);
        await app.get(ManualValuesService).record(DEMO_SEED_ACTOR, scheme.id, values);
      }),
    );
    count(
      created,
      `scheme ${code} (${body.subjects.length} subjects, ${values.values.length} values)`,
    );
  }
  for (const demo of DEMO_HONOURS) {
    const body = honourBody(demo, now);
    const { regionCode, name, targetYear } = body;
    if (await ds.getRepository(Honour).existsBy({ regionCode, name, targetYear })) {
      count(false, `honour ${name} ${targetYear} (already pursued)`);
      continue;
    }
    const created = await ifNotConcurrent(() =>
      inTransaction(ds, async () => {
        const honours = app.get(HonoursService);
        const honour = await honours.create(DEMO_SEED_ACTOR, body);
        for (const status of demo.statusPath) {
          await honours.changeStatus(DEMO_SEED_ACTOR, honour.id, { status, on: chinaDate(now) });
        }
      }),
    );
    count(created, `honour ${name} ${targetYear} (${body.deadlines.length} deadlines)`);
  }
  return result;
}

function honourBody(demo: DemoHonour, now: Date): CreateHonourBody {
  return {
    ...demo.body,
    deadlines: demo.body.deadlines.map(({ inDays, ...d }) => ({
      ...d,
      plannedDate: chinaDate(new Date(now.getTime() + inDays * 86_400_000)),
    })),
  };
}

/** False when another seeder created the same record meanwhile (its unique code wins). */
async function ifNotConcurrent(write: () => Promise<void>): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (err) {
    if (err instanceof RuleViolation && err.kind === 'conflict') return false;
    throw err;
  }
}
