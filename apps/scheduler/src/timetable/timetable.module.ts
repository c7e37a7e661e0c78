import { Module } from '@nestjs/common';
import { AlertsModule } from '../alerts/alerts.module';
import { PaceModule } from '../pace/pace.module';
import { StatusModule } from '../status/status.module';
import { TimersService } from '../timers/timers.service';
import { TimetableController } from './timetable.controller';
import { TimetableHandler } from './timetable.handler';

@Module({
  imports: [AlertsModule, StatusModule, PaceModule],
  controllers: [TimetableController, TimetableHandler],
  providers: [TimersService],
  exports: [TimersService],
})
export class TimetableModule {}
