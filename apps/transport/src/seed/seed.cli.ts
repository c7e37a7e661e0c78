/**
 * `npm run seed:transport`: registers the demo transport works of the county report (region
 * 511112) and its 141 km expressway baseline in the transport database, through the real
 * services, so their events reach Kafka through the outbox. Idempotent: run it as often as you
 * like. Needs the stack up (`npm run stack:up`, which also migrates).
 */
import { runSeedCli } from '@duban/platform';
import { AppModule } from '../app.module';
import { seedDemoTransport } from './seed';

runSeedCli({
  service: 'transport',
  module: AppModule,
  tables: ['transport_works', 'transport_gates', 'transport_sections', 'operating_mileage'],
  seed: seedDemoTransport,
});
