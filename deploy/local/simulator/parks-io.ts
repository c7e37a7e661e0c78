/** The parks department's I/O: reading its world and playing an action of parks-actions.ts. */
import { ParksEventTypes, Topics } from '@duban/contracts';
import { Reader, Stage, say, short } from './client';
import {
  ParksAction,
  ParksWorld,
  SimCampaign,
  SimIndicators,
  SimPark,
  SimTask,
  buildIndicators,
  indicatorsKey,
} from './parks-actions';

export async function readParks(read: Reader): Promise<ParksWorld> {
  const [parks, campaigns] = await Promise.all([
    read.all<SimPark>('/api/v1/parks'),
    read.all<SimCampaign>('/api/v1/campaigns'),
  ]);
  const tasks = await Promise.all(
    campaigns.map((c) => read.get<SimTask[]>(`/api/v1/campaigns/${c.id}/tasks`)),
  );
  return { parks, campaigns: campaigns.map((campaign, i) => ({ campaign, tasks: tasks[i] })) };
}

export async function playParks(
  action: ParksAction,
  month: string,
  read: Reader,
  stage: Stage,
): Promise<void> {
  const { send } = stage;
  switch (action.kind) {
    case 'indicators': {
      const { park } = action;
      const as = { unit: park.managingUnit, region: park.regionCode };
      const about = `(park ${short(park.name)})`;
      const months = await read.get<SimIndicators[]>(`/api/v1/parks/${park.id}/indicators`);
      const plan = buildIndicators(months, month, stage.rng);
      if (plan.outcome === 'skip') {
        say(`${as.unit} skipped the ${month} indicators ${about}: ${plan.why}`);
        return;
      }
      const b = plan.body;
      const what =
        `${plan.correction ? `corrected (v${b.version})` : 'reported'} ${month} indicators ${about}: ` +
        `output ${b.outputValueWan} 万元, value added ${b.industrialValueAddedWan} 万元, ` +
        `tax ${b.taxWan} 万元, ${b.employees} employees`;
      stage.markBusy(indicatorsKey(park.id));
      if (action.transport === 'http') {
        await send.http(
          read.base,
          'PUT',
          as,
          `/api/v1/parks/${park.id}/indicators/${month}`,
          b,
          what,
        );
      } else {
        await send.kafka(as, {
          topic: Topics.parksIngest,
          type: ParksEventTypes.ingestIndicatorsSubmitted,
          subject: park.id,
          key: park.id,
          data: { parkId: park.id, month, indicators: b },
          what,
        });
      }
      return;
    }
    case 'task-complete': {
      const { campaign, task, body } = action;
      const as = { unit: task.ownerUnit, region: campaign.regionCode };
      const late = task.currentPlannedDate < body.actualDate ? ', late' : '';
      const what =
        `completed task ${task.name} on ${body.actualDate} (due ${task.currentPlannedDate}${late}) ` +
        `(campaign ${short(campaign.name)})`;
      stage.markBusy(task.id);
      if (action.transport === 'http') {
        await send.http(
          read.base,
          'POST',
          as,
          `/api/v1/campaigns/${campaign.id}/tasks/${task.id}/complete`,
          body,
          what,
        );
      } else {
        await send.kafka(as, {
          topic: Topics.parksIngest,
          type: ParksEventTypes.ingestTaskCompletionReported,
          subject: task.id,
          key: campaign.id,
          data: { campaignId: campaign.id, taskId: task.id, ...body },
          what,
        });
      }
      return;
    }
    case 'task-forecast': {
      const { campaign, task, body } = action;
      stage.markBusy(task.id);
      await send.kafka(
        { unit: task.ownerUnit, region: campaign.regionCode },
        {
          topic: Topics.parksIngest,
          type: ParksEventTypes.ingestTaskForecastReported,
          subject: task.id,
          key: campaign.id,
          data: { campaignId: campaign.id, taskId: task.id, ...body },
          what:
            `forecasts task ${task.name} for ${body.forecastDate}, after its plan ` +
            `${task.currentPlannedDate} (campaign ${short(campaign.name)})`,
        },
      );
      return;
    }
  }
}
