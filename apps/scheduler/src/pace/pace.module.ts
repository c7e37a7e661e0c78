import { Module } from '@nestjs/common';
import { AlertsModule } from '../alerts/alerts.module';
import { StatusModule } from '../status/status.module';
import { PaceHandler } from './pace.handler';
import { PaceService } from './pace.service';

/** Project-level rules: behind pace and missing monthly reports. */
@Module({
  imports: [AlertsModule, StatusModule],
  controllers: [PaceHandler],
  providers: [PaceService],
  exports: [PaceService],
})
export class PaceModule {}
