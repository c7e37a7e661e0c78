import { ServiceSchema } from '@duban/persistence';

/** The parks service's own tables; the outbox and inbox are added by the platform. */
export const parksSchema: ServiceSchema = {
  entities: [],
  migrations: [],
};
