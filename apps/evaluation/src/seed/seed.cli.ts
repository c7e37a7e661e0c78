/**
 * `npm run seed:evaluation`: the county's 2026 scheme for its units and the city's 2026 scheme
 * ranking its counties (with the report's figures), and the honours the report pursues, through
 * the real services so their events reach Kafka. Idempotent. Needs the stack up.
 */
import { runSeedCli } from '@duban/platform';
import { AppModule } from '../app.module';
import { seedDemoEvaluation } from './seed';

runSeedCli({
  service: 'evaluation',
  module: AppModule,
  tables: ['schemes', 'facts', 'actuals', 'scores', 'honours'],
  seed: seedDemoEvaluation,
});
