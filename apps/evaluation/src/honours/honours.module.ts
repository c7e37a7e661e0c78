import { Module } from '@nestjs/common';
import { HonoursController } from './honours.controller';
import { HonoursService } from './honours.service';

@Module({
  controllers: [HonoursController],
  providers: [HonoursService],
  exports: [HonoursService],
})
export class HonoursModule {}
