import { Module } from '@nestjs/common';
import { ParkDirectoryHandler } from './park-directory.handler';

@Module({ controllers: [ParkDirectoryHandler] })
export class ParkDirectoryModule {}
