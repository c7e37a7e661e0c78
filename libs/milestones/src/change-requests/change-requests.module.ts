import { DynamicModule, Module, ModuleMetadata } from '@nestjs/common';
import { ChangeRequestsController } from './change-requests.controller';

/**
 * `/api/v1/change-requests` of a service: register it with the module that provides (and
 * exports) the service's MILESTONE_CHANGE_FLOW.
 */
@Module({})
export class ChangeRequestsModule {
  static register(flowModule: NonNullable<ModuleMetadata['imports']>[number]): DynamicModule {
    return {
      module: ChangeRequestsModule,
      imports: [flowModule],
      controllers: [ChangeRequestsController],
    };
  }
}
