/**
 * `npm run migrate [-- <service> ...]`: creates each service's database if missing and applies
 * its pending migrations. A deploy step, never run by replicas at boot.
 */
import { databaseConfigFor, migrate } from '@duban/persistence';
import { ServiceName } from '@duban/contracts';
import { fullSchema } from '@duban/platform';
import { ServiceSchema } from '@duban/persistence';
import { projectsSchema } from '../../apps/projects/src/schema';
import { parksSchema } from '../../apps/parks/src/schema';
import { transportSchema } from '../../apps/transport/src/schema';
import { evaluationSchema } from '../../apps/evaluation/src/schema';
import { schedulerSchema } from '../../apps/scheduler/src/schema';

const SCHEMAS: Record<ServiceName, ServiceSchema> = {
  projects: projectsSchema,
  parks: parksSchema,
  transport: transportSchema,
  evaluation: evaluationSchema,
  scheduler: schedulerSchema,
};

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((s) => !(s in SCHEMAS));
  if (unknown.length)
    throw new Error(
      `unknown service(s): ${unknown.join(', ')}; known: ${Object.keys(SCHEMAS).join(', ')}`,
    );
  const services = (wanted.length ? wanted : Object.keys(SCHEMAS)) as ServiceName[];
  for (const service of services) {
    const db = databaseConfigFor(service);
    const applied = await migrate(db, fullSchema(SCHEMAS[service]));
    const what = applied.length ? `applied ${applied.join(', ')}` : 'up to date';
    process.stdout.write(`[migrate] ${service} (${db.database}): ${what}\n`);
  }
}

main().catch((err: Error) => {
  process.stderr.write(`[migrate] failed: ${err.message}\n`);
  process.exit(1);
});
