import { Module } from '@nestjs/common';
import { StatusController } from './status.controller';
import { StatusHandler } from './status.handler';
import { StatusService } from './status.service';

/** Traffic lights (红黄绿灯) per subject, with counts per unit and region. */
@Module({
  controllers: [StatusController, StatusHandler],
  providers: [StatusService],
  exports: [StatusService],
})
export class StatusModule {}
