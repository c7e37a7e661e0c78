import { INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestApplicationOptions } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { DubanKafkaServer } from '@duban/messaging';
import { ConfigError } from './config/load-config';
import { SERVICE_CONFIG, ServiceConfig } from './config/service-config';
import { jsonBody } from './http/json-body';
import { SERVICE_OPTIONS, ServiceOptions } from './service-options';

/**
 * How every Duban app is created, by main.ts and by the test helpers alike: logs buffered
 * until pino is ready, errors thrown to the caller rather than Nest exiting the process, and
 * no built-in body parsers (jsonBody replaces them, with limits).
 */
export const SERVICE_APP_OPTIONS: NestApplicationOptions = {
  bufferLogs: true,
  abortOnError: false,
  bodyParser: false,
};

/**
 * Starts a Duban service (main.ts). A configuration it refuses ends the process with the
 * list of bad variables and exit code 1, without a stack trace to dig through.
 */
export async function bootstrapService(appModule: Type<unknown>): Promise<INestApplication> {
  try {
    return await startService(await NestFactory.create(appModule, SERVICE_APP_OPTIONS));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}

/**
 * Makes a created app a running Duban service: HTTP on its configured address, plus the Kafka
 * consumer when it consumes topics. Returns once both accept work.
 */
export async function startService(app: INestApplication): Promise<INestApplication> {
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  const options = app.get<ServiceOptions>(SERVICE_OPTIONS);
  const config = app.get<ServiceConfig>(SERVICE_CONFIG);
  app.use(jsonBody(config.http.bodyLimitBytes));
  if (config.docs) serveOpenApi(app, options);

  if (options.consumes?.length) {
    app.connectMicroservice({ strategy: app.get(DubanKafkaServer) }, { inheritAppConfig: true });
    await app.startAllMicroservices();
  }
  await app.listen(config.http.port, config.http.host);
  return app;
}

function serveOpenApi(app: INestApplication, { service }: ServiceOptions): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle(`Duban ${service}`)
      .setDescription(
        `The ${service} service of Duban (督办). Errors are RFC 9457 problem details.`,
      )
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
