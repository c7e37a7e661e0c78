import { ServiceSchema } from '@duban/persistence';

/** The scheduler service's own tables; the outbox and inbox are added by the platform. */
export const schedulerSchema: ServiceSchema = {
  entities: [],
  migrations: [],
};
