import { Module } from '@nestjs/common';
import { MILESTONE_CHANGE_FLOW } from '@duban/milestones';
import { taskChangeFlow } from './campaign-task.port';
import { CampaignsController } from './campaigns.controller';
import { CampaignsService } from './campaigns.service';

@Module({
  controllers: [CampaignsController],
  providers: [CampaignsService, taskChangeFlow],
  exports: [CampaignsService, MILESTONE_CHANGE_FLOW],
})
export class CampaignsModule {}
