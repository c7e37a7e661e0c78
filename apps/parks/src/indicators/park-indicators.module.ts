import { Module } from '@nestjs/common';
import { ParkIndicatorsController } from './park-indicators.controller';
import { ParkIndicatorsService } from './park-indicators.service';

@Module({
  controllers: [ParkIndicatorsController],
  providers: [ParkIndicatorsService],
  exports: [ParkIndicatorsService],
})
export class ParkIndicatorsModule {}
