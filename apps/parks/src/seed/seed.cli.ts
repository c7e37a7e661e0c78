/**
 * `npm run seed:parks`: registers the demo parks, enterprises, indicators and campaign tasks of
 * the county report (region 511112) in the parks database, through the real services, so their
 * events reach Kafka through the outbox. Idempotent: run it as often as you like. Needs the
 * stack up (`npm run stack:up`, which also migrates).
 */
import { runSeedCli } from '@duban/platform';
import { AppModule } from '../app.module';
import { seedDemoParks } from './seed';

runSeedCli({
  service: 'parks',
  module: AppModule,
  tables: ['parks', 'enterprises', 'park_indicators', 'campaigns', 'campaign_tasks'],
  seed: seedDemoParks,
});
