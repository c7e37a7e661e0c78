import { INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { DubanKafkaServer } from '@duban/messaging';
import { SERVICE_OPTIONS, ServiceOptions, portFor } from './service-options';

/**
 * Starts a Duban service as a hybrid app: HTTP on its port, plus the Kafka consumer when it
 * consumes topics. Returns once both accept work.
 */
export async function bootstrapService(
  appModule: Type<unknown>,
  port?: number,
): Promise<INestApplication> {
  const app = await NestFactory.create(appModule, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  const options = app.get<ServiceOptions>(SERVICE_OPTIONS);

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle(`Duban ${options.service}`)
      .setDescription(
        `The ${options.service} service of Duban (督办). Errors are RFC 9457 problem details.`,
      )
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });

  if (options.consumes?.length) {
    app.connectMicroservice({ strategy: app.get(DubanKafkaServer) }, { inheritAppConfig: true });
    await app.startAllMicroservices();
  }
  await app.listen(port ?? portFor(options.service), process.env.DUBAN_HTTP_HOST ?? '127.0.0.1');
  return app;
}
