import { DynamicModule, Provider, Type } from '@nestjs/common';
import { SERVICES, ServiceName } from '@duban/contracts';
import { SERVICE_TOPICS } from '@duban/messaging';
import { SERVICE_OPTIONS, ServiceOptions } from '@duban/platform';

const appModules: Record<ServiceName, () => Promise<Type>> = {
  projects: async () => (await import('../../apps/projects/src/app.module')).AppModule,
  parks: async () => (await import('../../apps/parks/src/app.module')).AppModule,
  transport: async () => (await import('../../apps/transport/src/app.module')).AppModule,
  evaluation: async () => (await import('../../apps/evaluation/src/app.module')).AppModule,
  scheduler: async () => (await import('../../apps/scheduler/src/app.module')).AppModule,
};

/** What the app module hands PlatformModule.forService: the topics its consumer subscribes to. */
async function optionsOf(service: ServiceName): Promise<ServiceOptions> {
  const imports = Reflect.getMetadata('imports', await appModules[service]()) as unknown[];
  const providers = imports.flatMap((i) => (i as DynamicModule).providers ?? []) as Provider[];
  const found = providers.find(
    (p): p is { provide: symbol; useValue: ServiceOptions } =>
      typeof p === 'object' && 'provide' in p && p.provide === SERVICE_OPTIONS,
  );
  if (!found) throw new Error(`${service}: no PlatformModule.forService options`);
  return found.useValue;
}

// The Kafka ACLs are granted from SERVICE_TOPICS: a topic an app starts consuming without it
// would be refused by the broker in production, so the two lists must agree.
describe.each(SERVICES)('the %s service’s Kafka ACLs', (service) => {
  it('let it read exactly the topics its app consumes', async () => {
    const { consumes = [] } = await optionsOf(service);
    expect([...consumes].sort()).toEqual([...SERVICE_TOPICS[service].consumes].sort());
  });

  it('let it write where it announces refused ingest updates', async () => {
    const { ingest } = await optionsOf(service);
    const announced = ingest ? [ingest.announceOn] : [];
    expect(SERVICE_TOPICS[service].publishes).toEqual(expect.arrayContaining(announced));
  });
});
