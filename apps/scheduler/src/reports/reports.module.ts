import { Module } from '@nestjs/common';
import { SlipReportController } from './slip-report.controller';
import { SlipReportService } from './slip-report.service';

/** Reports from the timetable: the slip report (延期台账). */
@Module({ controllers: [SlipReportController], providers: [SlipReportService] })
export class ReportsModule {}
