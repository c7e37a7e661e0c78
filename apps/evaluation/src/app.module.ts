import { Module } from '@nestjs/common';
import { Topics } from '@duban/contracts';
import { PlatformModule } from '@duban/platform';
import { HonoursModule } from './honours/honours.module';
import { SchemesModule } from './schemes/schemes.module';
import { evaluationSchema } from './schema';

/** Evaluation (考评): schemes, indicators, scores, rankings and honours. */
@Module({
  imports: [
    PlatformModule.forService({
      service: 'evaluation',
      schema: evaluationSchema,
      consumes: [Topics.projects, Topics.parks, Topics.transport, Topics.evaluation, Topics.alerts],
    }),
    SchemesModule,
    HonoursModule,
  ],
})
export class AppModule {}
