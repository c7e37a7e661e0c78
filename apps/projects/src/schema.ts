import { ChangeRequest } from '@duban/milestones';
import { ServiceSchema } from '@duban/persistence';
import { ChangeRequests1796000000000 } from './migrations/1796000000000-change-requests';
import { ProjectsTables1764400100000 } from './migrations/1764400100000-projects-tables';
import { Milestone } from './milestones/milestone.entity';
import { KnownPark } from './parks/known-park.entity';
import { ProgressReport } from './progress/progress-report.entity';
import { Project } from './projects/project.entity';

/** The projects service's own tables; the outbox and inbox are added by the platform. */
export const projectsSchema: ServiceSchema = {
  entities: [Project, Milestone, ProgressReport, KnownPark, ChangeRequest],
  migrations: [ProjectsTables1764400100000, ChangeRequests1796000000000],
};
