import { ServiceSchema } from '@duban/persistence';

/** The projects service's own tables; the outbox and inbox are added by the platform. */
export const projectsSchema: ServiceSchema = {
  entities: [],
  migrations: [],
};
