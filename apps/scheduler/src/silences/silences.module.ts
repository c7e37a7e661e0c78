import { Module } from '@nestjs/common';
import { SilenceExpiry } from './silence-expiry.service';
import { SilencesController } from './silences.controller';
import { SilencesService } from './silences.service';

/**
 * Silences: bounded pauses of notification and escalation (issue 12). Exports SilencesService
 * for `activeFor`, which the escalation, reminder and notification paths ask.
 */
@Module({
  controllers: [SilencesController],
  providers: [SilencesService, SilenceExpiry],
  exports: [SilencesService],
})
export class SilencesModule {}
