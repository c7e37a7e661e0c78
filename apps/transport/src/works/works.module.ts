import { Module } from '@nestjs/common';
import { GateChangeModule } from '../gates/gate.port';
import { GatesController } from '../gates/gates.controller';
import { GatesService } from '../gates/gates.service';
import { WorksController } from './works.controller';
import { WorksService } from './works.service';

/** Works and their gates: a phase move reads the gates, so they live together. */
@Module({
  imports: [GateChangeModule],
  controllers: [WorksController, GatesController],
  providers: [WorksService, GatesService],
  exports: [WorksService, GatesService],
})
export class WorksModule {}
