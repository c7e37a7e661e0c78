/** The projects department's I/O: reading its world and playing an action of actions.ts. */
import { ProjectEventTypes, Topics } from '@duban/contracts';
import {
  Action,
  SimMilestone,
  SimProject,
  SimReport,
  World,
  buildProgressReport,
  reportKey,
} from './actions';
import { Reader, Stage, say, short } from './client';

export async function readProjects(read: Reader): Promise<World> {
  const projects = await read.all<SimProject>('/api/v1/projects');
  const milestones = await Promise.all(
    projects.map((p) => read.get<SimMilestone[]>(`/api/v1/projects/${p.id}/milestones`)),
  );
  return { projects: projects.map((project, i) => ({ project, milestones: milestones[i] })) };
}

export async function playProjects(
  action: Action,
  month: string,
  read: Reader,
  stage: Stage,
): Promise<void> {
  const { project } = action;
  const { send } = stage;
  const about = `(project ${short(project.name)} ${project.code})`;
  const as = (unit: string) => ({ unit, region: project.regionCode });
  const post = (unit: string, path: string, body: unknown, what: string) =>
    send.http(read.base, 'POST', as(unit), path, body, what);
  const ingest = (unit: string, type: string, subject: string, data: unknown, what: string) =>
    send.kafka(as(unit), {
      topic: Topics.projectsIngest,
      type,
      subject,
      key: project.id,
      data,
      what,
    });
  switch (action.kind) {
    case 'report': {
      const reports = await read.get<SimReport[]>(
        `/api/v1/projects/${project.id}/progress-reports`,
      );
      const plan = buildProgressReport(project, reports, month, stage.rng);
      if (plan.outcome === 'skip') {
        say(`${project.leadUnit} skipped the ${month} progress report ${about}: ${plan.why}`);
        return;
      }
      const b = plan.body;
      const what =
        `${b.correction ? 'corrected' : 'reported'} ${month} progress ${about}: ` +
        `cumulative ${b.cumulativeInvestmentWan} 万元, ${b.physicalProgressPct}%` +
        (b.problems.length ? `, problem「${b.problems[0].description}」` : '') +
        (b.coordinationRequests.length ? `, asks「${b.coordinationRequests[0].description}」` : '');
      stage.markBusy(reportKey(project.id));
      if (action.transport === 'http') {
        await post(project.leadUnit, `/api/v1/projects/${project.id}/progress-reports`, b, what);
      } else {
        await ingest(
          project.leadUnit,
          ProjectEventTypes.ingestProgressReported,
          project.id,
          { projectId: project.id, report: b },
          what,
        );
      }
      return;
    }
    case 'complete': {
      const m = action.milestone;
      const late = m.currentPlannedDate < action.body.actualDate ? ', late' : '';
      const what = `completed ${m.name} on ${action.body.actualDate} (due ${m.currentPlannedDate}${late}) ${about}`;
      stage.markBusy(m.id);
      if (action.transport === 'http') {
        await post(
          m.ownerUnit,
          `/api/v1/projects/${project.id}/milestones/${m.id}/complete`,
          action.body,
          what,
        );
      } else {
        await ingest(
          m.ownerUnit,
          ProjectEventTypes.ingestCompletionReported,
          m.id,
          { projectId: project.id, milestoneId: m.id, ...action.body },
          what,
        );
      }
      return;
    }
    case 'create': {
      const b = action.body;
      await post(
        project.leadUnit,
        `/api/v1/projects/${project.id}/milestones`,
        b,
        `set milestone ${b.name} for ${b.ownerUnit}, due ${b.plannedDate} ${about}`,
      );
      return;
    }
    case 'reschedule': {
      const m = action.milestone;
      stage.markBusy(m.id);
      await post(
        project.leadUnit,
        `/api/v1/projects/${project.id}/milestones/${m.id}/reschedule`,
        action.body,
        `rescheduled ${m.name} from ${m.currentPlannedDate} to ${action.body.plannedDate}` +
          `「${action.body.reason}」 ${about}`,
      );
      return;
    }
    case 'forecast': {
      const m = action.milestone;
      stage.markBusy(m.id);
      await ingest(
        m.ownerUnit,
        ProjectEventTypes.ingestForecastReported,
        m.id,
        { projectId: project.id, milestoneId: m.id, ...action.body },
        `forecasts ${m.name} for ${action.body.forecastDate}, after its plan ${m.currentPlannedDate} ${about}`,
      );
      return;
    }
  }
}
