import { Module } from '@nestjs/common';
import { AlertsModule } from '../alerts/alerts.module';
import { PaceHandler } from './pace.handler';

@Module({ imports: [AlertsModule], controllers: [PaceHandler] })
export class PaceModule {}
