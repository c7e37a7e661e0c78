import { Module } from '@nestjs/common';
import { Topics } from '@duban/contracts';
import { PlatformModule } from '@duban/platform';
import { transportSchema } from './schema';

/** Transport works (交通建设), phases and gates, sections and km opened. */
@Module({
  imports: [
    PlatformModule.forService({
      service: 'transport',
      schema: transportSchema,
      consumes: [Topics.transportIngest],
    }),
  ],
})
export class AppModule {}
