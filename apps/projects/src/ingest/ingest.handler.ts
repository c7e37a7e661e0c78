import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { z } from 'zod';
import { DubanEvent, ProjectEventTypes, ProjectIngest } from '@duban/contracts';
import { DubanEventContext } from '@duban/messaging';
import { IngestSenders } from '@duban/platform';
import { MilestonesService } from '../milestones/milestones.service';
import { ProgressService } from '../progress/progress.service';
import { ProjectsService } from '../projects/projects.service';

type Ingest<K extends keyof typeof ProjectIngest> = DubanEvent<z.infer<(typeof ProjectIngest)[K]>>;

/**
 * Updates department systems publish on duban.projects.ingest.v1, each signed with the
 * department's ingest key. They run the same application code as HTTP in the inbox
 * transaction; a refusal is dead-lettered and announced with its reason.
 */
@Controller()
export class IngestHandler {
  constructor(
    private readonly senders: IngestSenders,
    private readonly projects: ProjectsService,
    private readonly milestones: MilestonesService,
    private readonly progress: ProgressService,
  ) {}

  @EventPattern(ProjectEventTypes.ingestProgressReported)
  async progressReported(@Payload() e: Ingest<'progressReported'>, @Ctx() ctx: DubanEventContext) {
    const actor = this.senders.of(ctx);
    await this.progress.submit(actor, e.data.projectId, e.data.report);
  }

  @EventPattern(ProjectEventTypes.ingestForecastReported)
  async forecastReported(@Payload() e: Ingest<'forecastReported'>, @Ctx() ctx: DubanEventContext) {
    const actor = this.senders.of(ctx);
    const { projectId, milestoneId, ...body } = e.data;
    await this.milestones.change(actor, projectId, milestoneId, { kind: 'forecast', ...body });
  }

  @EventPattern(ProjectEventTypes.ingestCompletionReported)
  async completionReported(
    @Payload() e: Ingest<'completionReported'>,
    @Ctx() ctx: DubanEventContext,
  ) {
    const actor = this.senders.of(ctx);
    const { projectId, milestoneId, ...body } = e.data;
    await this.milestones.change(actor, projectId, milestoneId, { kind: 'complete', ...body });
  }

  @EventPattern(ProjectEventTypes.ingestStatusChangeRequested)
  async statusChangeRequested(
    @Payload() e: Ingest<'statusChangeRequested'>,
    @Ctx() ctx: DubanEventContext,
  ) {
    const actor = this.senders.of(ctx);
    const { projectId, ...body } = e.data;
    await this.projects.changeStatus(actor, projectId, body);
  }
}
