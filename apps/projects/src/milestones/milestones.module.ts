import { Module } from '@nestjs/common';
import { MILESTONE_CHANGE_FLOW } from '@duban/milestones';
import { projectMilestoneFlow } from './milestone.port';
import { MilestonesController } from './milestones.controller';
import { MilestonesService } from './milestones.service';

@Module({
  controllers: [MilestonesController],
  providers: [MilestonesService, projectMilestoneFlow],
  exports: [MilestonesService, MILESTONE_CHANGE_FLOW],
})
export class MilestonesModule {}
