import { ChangeRequest } from '@duban/milestones';
import { ServiceSchema } from '@duban/persistence';
import { ChangeRequests1796000000000 } from './migrations/1796000000000-change-requests';
import { Gate } from './gates/gate.entity';
import { TransportTables1764500300000 } from './migrations/1764500300000-transport-tables';
import { OperatingMileage } from './mileage/operating-mileage.entity';
import { Section } from './sections/section.entity';
import { TransportWork } from './works/transport-work.entity';

/** The transport service's own tables; the outbox and inbox are added by the platform. */
export const transportSchema: ServiceSchema = {
  entities: [TransportWork, Gate, Section, OperatingMileage, ChangeRequest],
  migrations: [TransportTables1764500300000, ChangeRequests1796000000000],
};
