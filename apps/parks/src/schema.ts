import { ChangeRequest } from '@duban/milestones';
import { ServiceSchema } from '@duban/persistence';
import { ChangeRequests1796000000000 } from './migrations/1796000000000-change-requests';
import { CampaignTask } from './campaigns/campaign-task.entity';
import { Campaign } from './campaigns/campaign.entity';
import { Enterprise } from './enterprises/enterprise.entity';
import { ParkIndicators } from './indicators/park-indicators.entity';
import { ParksTables1764400200000 } from './migrations/1764400200000-parks-tables';
import { Park } from './parks/park.entity';

/** The parks service's own tables; the outbox and inbox are added by the platform. */
export const parksSchema: ServiceSchema = {
  entities: [Park, Enterprise, ParkIndicators, Campaign, CampaignTask, ChangeRequest],
  migrations: [ParksTables1764400200000, ChangeRequests1796000000000],
};
