import { Module } from '@nestjs/common';
import { Topics } from '@duban/contracts';
import { PlatformModule } from '@duban/platform';
import { parksSchema } from './schema';

/** Industrial parks (园区), enterprises, park indicators and campaign tasks. */
@Module({
  imports: [
    PlatformModule.forService({
      service: 'parks',
      schema: parksSchema,
      consumes: [Topics.parksIngest],
    }),
  ],
})
export class AppModule {}
