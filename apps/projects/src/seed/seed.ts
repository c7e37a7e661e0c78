import { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { RuleViolation, chinaDate } from '@duban/contracts';
import { Principal } from '@duban/auth';
import { inTransaction } from '@duban/persistence';
import { Clock } from '@duban/platform';
import { MilestonesService } from '../milestones/milestones.service';
import { ProgressService } from '../progress/progress.service';
import { Project } from '../projects/project.entity';
import { ProjectsService } from '../projects/projects.service';
import { ProjectPlan, planDemoProjects } from './demo-plan';

/** Who the demo data is written as: it shows in milestone history and report `submittedBy`. */
export const DEMO_SEED_ACTOR: Principal = { subject: 'demo-seed', role: 'admin' };

export interface SeedResult {
  created: number;
  skipped: number;
}

/**
 * Registers the demo key projects through the real services, so every change leaves through
 * the outbox as the same events an HTTP client would cause. Each project (with its milestones,
 * status moves and reports) is written in one transaction: it is there entirely or not at all.
 * Idempotent: a project whose code already exists in the region is skipped, never touched.
 *
 * `now` places the relative milestone dates; it must not be after the app's clock, as the
 * services refuse completions and reports in the future.
 */
export async function seedDemoProjects(
  app: INestApplicationContext,
  now: Date,
  log: (line: string) => void,
): Promise<SeedResult> {
  const ds = app.get(DataSource);
  const projects = app.get(ProjectsService);
  const milestones = app.get(MilestonesService);
  const progress = app.get(ProgressService);
  const serviceToday = chinaDate(app.get(Clock).now());
  if (chinaDate(now) > serviceToday) {
    throw new Error(`cannot seed for ${chinaDate(now)}: the service's today is ${serviceToday}`);
  }

  // Resolve and validate everything before writing anything.
  const plans = planDemoProjects(now);
  const actor = DEMO_SEED_ACTOR;
  const result: SeedResult = { created: 0, skipped: 0 };

  for (const plan of plans) {
    const { code, name, regionCode } = plan.project;
    if (await ds.getRepository(Project).existsBy({ regionCode, code })) {
      result.skipped += 1;
      log(`skipped ${name} (${code} already exists in region ${regionCode})`);
      continue;
    }
    try {
      await inTransaction(ds, async () => {
        const project = await projects.create(actor, plan.project);
        for (const status of plan.statusPath) {
          await projects.changeStatus(actor, project.id, { status });
        }
        for (const ms of plan.milestones) {
          const milestone = await milestones.create(actor, project.id, ms.create);
          if (ms.reschedule)
            await milestones.change(actor, project.id, milestone.id, {
              kind: 'reschedule',
              ...ms.reschedule,
            });
          if (ms.forecast)
            await milestones.change(actor, project.id, milestone.id, {
              kind: 'forecast',
              ...ms.forecast,
            });
          if (ms.complete)
            await milestones.change(actor, project.id, milestone.id, {
              kind: 'complete',
              ...ms.complete,
            });
        }
        for (const report of plan.reports) {
          await progress.submit(actor, project.id, report);
        }
      });
    } catch (err) {
      // Another seeder registered the same code meanwhile: its project stands, ours rolled back.
      if (err instanceof RuleViolation && err.kind === 'conflict' && err.details.projectId) {
        result.skipped += 1;
        log(`skipped ${name} (${code} was registered concurrently)`);
        continue;
      }
      throw new Error(`seeding ${code} ${name} failed: ${(err as Error).message}`, { cause: err });
    }
    result.created += 1;
    log(`created ${name} (${describe(plan)})`);
  }
  return result;
}

function describe(plan: ProjectPlan): string {
  const n = (count: number, what: string) => `${count} ${what}${count === 1 ? '' : 's'}`;
  return [
    n(plan.milestones.length, 'milestone'),
    n(plan.reports.length, 'report'),
    plan.statusPath.at(-1) ?? 'reserve',
  ].join(', ');
}
