import { ServiceSchema } from '@duban/persistence';
import { Gate } from './gates/gate.entity';
import { TransportTables1764500300000 } from './migrations/1764500300000-transport-tables';
import { OperatingMileage } from './mileage/operating-mileage.entity';
import { Section } from './sections/section.entity';
import { TransportWork } from './works/transport-work.entity';

/** The transport service's own tables; the outbox and inbox are added by the platform. */
export const transportSchema: ServiceSchema = {
  entities: [TransportWork, Gate, Section, OperatingMileage],
  migrations: [TransportTables1764500300000],
};
