import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { DubanEvent, ParkData, ParkEventTypes } from '@duban/contracts';
import { DubanEventContext } from '@duban/messaging';
import { KnownPark } from './known-park.entity';

/** Keeps the park directory from duban.parks.v1, so project links can be checked locally. */
@Controller()
export class ParkDirectoryHandler {
  @EventPattern(ParkEventTypes.registered)
  registered(@Payload() event: DubanEvent<ParkData>, @Ctx() ctx: DubanEventContext): Promise<void> {
    return remember(event.data, ctx);
  }

  @EventPattern(ParkEventTypes.updated)
  updated(@Payload() event: DubanEvent<ParkData>, @Ctx() ctx: DubanEventContext): Promise<void> {
    return remember(event.data, ctx);
  }
}

async function remember(park: ParkData, ctx: DubanEventContext): Promise<void> {
  await ctx.manager.upsert(
    KnownPark,
    {
      parkId: park.parkId,
      name: park.name,
      regionCode: park.regionCode,
      managingUnit: park.managingUnit,
    },
    ['parkId'],
  );
}
