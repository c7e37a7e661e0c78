import { ServiceSchema } from '@duban/persistence';
import { Alert } from './alerts/alert.entity';
import { SchedulerTables1764400200000 } from './migrations/1764400200000-scheduler-tables';
import { ProjectPlans1764400300000 } from './migrations/1764400300000-project-plans';
import { WebhookSafety1764400400000 } from './migrations/1764400400000-webhook-safety';
import { MailDeliveries1764400500000 } from './migrations/1764400500000-mail-deliveries';
import { ProjectPlan } from './pace/project-plan.entity';
import { Delivery } from './notifications/delivery.entity';
import { MailDelivery } from './notifications/email/mail-delivery.entity';
import { Subscription } from './notifications/subscription.entity';
import { TimetableEntry } from './timetable/timetable-entry.entity';
import { Silence } from './silences/silence.entity';
import { Silences1796000200000 } from './migrations/1796000200000-silences';
import { SubjectStatus } from './status/subject-status.entity';
import { StatusAndReports1796000300000 } from './migrations/1796000300000-status-and-reports';
import { CampaignSilences1796000400000 } from './migrations/1796000400000-campaign-silences';
import { AlertLoop1796000100000 } from './migrations/1796000100000-alert-loop';

/** The scheduler's own tables; the outbox and inbox are added by the platform. */
export const schedulerSchema: ServiceSchema = {
  entities: [
    TimetableEntry,
    Alert,
    Subscription,
    Delivery,
    MailDelivery,
    ProjectPlan,
    Silence,
    SubjectStatus,
  ],
  migrations: [
    SchedulerTables1764400200000,
    ProjectPlans1764400300000,
    WebhookSafety1764400400000,
    MailDeliveries1764400500000,
    Silences1796000200000,
    StatusAndReports1796000300000,
    CampaignSilences1796000400000,
    AlertLoop1796000100000,
  ],
};
