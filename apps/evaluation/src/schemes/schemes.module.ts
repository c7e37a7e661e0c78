import { Module } from '@nestjs/common';
import { FactsService } from '../measures/facts.service';
import { MeasureHandler } from '../measures/measure.handler';
import { ResultsService } from '../scoring/results.service';
import { ScoringService } from '../scoring/scoring.service';
import { ManualValuesService } from './manual-values.service';
import { SchemesController } from './schemes.controller';
import { SchemesService } from './schemes.service';

/** Schemes, their actuals (from events and manual values), scores and rankings. */
@Module({
  controllers: [SchemesController, MeasureHandler],
  providers: [SchemesService, ManualValuesService, ResultsService, ScoringService, FactsService],
  exports: [SchemesService, ManualValuesService],
})
export class SchemesModule {}
