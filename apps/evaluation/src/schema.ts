import { ServiceSchema } from '@duban/persistence';

/** The evaluation service's own tables; the outbox and inbox are added by the platform. */
export const evaluationSchema: ServiceSchema = {
  entities: [],
  migrations: [],
};
