import { Module } from '@nestjs/common';
import { SilencesService } from './silences.service';

/** Silences: bounded pauses of notification and escalation (issue 12). */
@Module({
  providers: [SilencesService],
  exports: [SilencesService],
})
export class SilencesModule {}
