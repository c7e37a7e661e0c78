import { DubanEvent, MilestoneEventData, MilestoneEventType, createEvent } from '@duban/contracts';
import { Campaign } from './campaign.entity';
import { CampaignTask } from './campaign-task.entity';

/**
 * A campaign task as the shared milestone shape. The task is the supervised subject and its
 * own single milestone, so subjectId = milestoneId = the task id (and so is the Kafka key):
 * an alert points at the task, which is what its owner unit answers for. The campaign is
 * reached from the task (GET /campaigns/{campaignId}/tasks/{taskId}).
 */
export function taskData(c: Campaign, t: CampaignTask): MilestoneEventData {
  return {
    subjectType: 'campaign-task',
    subjectId: t.id,
    milestoneId: t.id,
    name: `${c.name}：${t.name}`.slice(0, 200),
    ownerUnit: t.ownerUnit,
    plannedDate: t.plannedDate,
    currentPlannedDate: t.currentPlannedDate,
    forecastDate: t.forecastDate,
    actualDate: t.actualDate,
    status: t.status,
    campaignId: c.id,
  };
}

export function taskEvent(type: MilestoneEventType, c: Campaign, t: CampaignTask): DubanEvent {
  return createEvent({
    type,
    service: 'parks',
    subject: t.id,
    region: c.regionCode,
    data: taskData(c, t),
  });
}
