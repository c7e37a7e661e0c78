/**
 * `npm run seed:projects`: registers the demo key projects of the county report (region
 * 511112) in the projects database, through the real services, so their events reach Kafka
 * through the outbox. Idempotent: run it as often as you like. Needs the stack up
 * (`npm run stack:up`, which also migrates).
 */
import { runSeedCli } from '@duban/platform';
import { AppModule } from '../app.module';
import { seedDemoProjects } from './seed';

runSeedCli({
  service: 'projects',
  module: AppModule,
  tables: ['projects', 'milestones', 'progress_reports'],
  seed: seedDemoProjects,
});
