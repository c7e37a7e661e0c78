import { ServiceSchema } from '@duban/persistence';

/** The transport service's own tables; the outbox and inbox are added by the platform. */
export const transportSchema: ServiceSchema = {
  entities: [],
  migrations: [],
};
