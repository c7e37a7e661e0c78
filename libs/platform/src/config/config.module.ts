import { DynamicModule, Module, Provider } from '@nestjs/common';
import { z } from 'zod';
import type { ServiceOptions } from '../service-options';
import { Env, loadConfig } from './load-config';
import {
  CONFIG_ENV,
  SERVICE_CONFIG,
  ServiceConfig,
  envParts,
  serviceConfigSchema,
} from './service-config';

const PARSED = Symbol('PARSED_CONFIG');

interface Parsed {
  platform: ServiceConfig;
  settings: unknown;
}

/**
 * The service's configuration, parsed from CONFIG_ENV when the app is created, never when a
 * module is imported: a test overrides CONFIG_ENV instead of mutating process.env, and a bad
 * variable stops the start with one error naming every one.
 */
@Module({})
export class ServiceConfigModule {
  static forService(options: ServiceOptions): DynamicModule {
    const { settings } = options;
    const schema = envParts({
      platform: serviceConfigSchema(options.service, {
        redis: options.usesRedis,
        ingest: options.ingest !== undefined,
      }),
      settings: settings?.schema ?? z.any().transform(() => undefined),
    });
    const providers: Provider[] = [
      { provide: CONFIG_ENV, useFactory: (): Env => process.env },
      { provide: PARSED, inject: [CONFIG_ENV], useFactory: (env: Env) => loadConfig(schema, env) },
      { provide: SERVICE_CONFIG, inject: [PARSED], useFactory: (c: Parsed) => c.platform },
    ];
    if (settings) {
      providers.push({
        provide: settings.provide,
        inject: [PARSED],
        useFactory: (c: Parsed) => c.settings,
      });
    }
    return {
      module: ServiceConfigModule,
      global: true,
      providers,
      exports: [SERVICE_CONFIG, ...(settings ? [settings.provide] : [])],
    };
  }
}
