import { AsyncApiController } from './docs/asyncapi.controller';
import {
  DynamicModule,
  Logger,
  MiddlewareConsumer,
  Module,
  NestModule,
  Provider,
} from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import Redis from 'ioredis';
import { Kafka } from 'kafkajs';
import { LoggerModule } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { AUTH_CONFIG, AuthGuard } from '@duban/auth';
import { DubanKafkaServer, OutboxRelay, createKafka } from '@duban/messaging';
import { collectProcessMetrics, currentCorrelationId } from '@duban/observability';
import { dataSourceOptions, pgClientConfig } from '@duban/persistence';
import { Clock, SystemClock } from './clock';
import { ServiceConfigModule } from './config/config.module';
import { SERVICE_CONFIG, ServiceConfig } from './config/service-config';
import { HealthController, READINESS_CHECKS, ReadinessChecks } from './health/health.controller';
import { consumerCheck, databaseCheck, kafkaCheck, redisCheck } from './health/readiness';
import { IdempotencyInterceptor } from './idempotency/idempotency.interceptor';
import { correlationMiddleware } from './http/correlation.middleware';
import { ProblemDetailsFilter } from './http/problem-details.filter';
import { httpMetricsMiddleware } from './metrics/http-metrics.middleware';
import { MetricsController } from './metrics/metrics.controller';
import { OutboxRelayService } from './outbox/outbox-relay.service';
import { RetentionService } from './retention/retention.service';
import { SERVICE_OPTIONS, ServiceOptions, fullSchema } from './service-options';

/**
 * Everything a Duban service shares, wired once: its database, JSON logs with correlation ids,
 * auth, problem-details errors, health, metrics, the outbox relay and the Kafka consumer.
 */
@Module({})
export class PlatformModule implements NestModule {
  static forService(options: ServiceOptions): DynamicModule {
    collectProcessMetrics(options.service);
    const schema = fullSchema(options.schema);
    const config = ServiceConfigModule.forService(options);

    const providers: Provider[] = [
      { provide: SERVICE_OPTIONS, useValue: options },
      {
        provide: Kafka,
        inject: [SERVICE_CONFIG],
        useFactory: (c: ServiceConfig) => createKafka(c.kafka),
      },
      {
        provide: OutboxRelay,
        inject: [Kafka, SERVICE_CONFIG],
        useFactory: (kafka: Kafka, c: ServiceConfig) => {
          const logger = new Logger('outbox');
          return new OutboxRelay({
            service: options.service,
            pg: pgClientConfig(c.database),
            kafka,
            topicPrefix: c.kafka.topicPrefix,
            batchSize: c.outbox.batchSize,
            logger: { log: (m) => logger.log(m), warn: (m) => logger.warn(m) },
          });
        },
      },
      OutboxRelayService,
      RetentionService,
      {
        provide: DubanKafkaServer,
        inject: [DataSource, SERVICE_CONFIG, Clock],
        useFactory: (dataSource: DataSource, c: ServiceConfig, clock: Clock) =>
          new DubanKafkaServer({
            kafka: c.kafka,
            // The service's clock, not the system's: an event is "in the future" by the time
            // the service lives in (tests and replays move it).
            now: () => clock.now(),
            // The topic prefix isolates a deployment (or a test) from another on the same broker,
            // consumer groups included.
            groupId: `${c.kafka.topicPrefix}duban-${options.service}`,
            topics: options.consumes ?? [],
            stuckAfterMs: c.consumer.stuckAfterMs,
            dataSource,
            ingest: options.ingest && {
              topics: [options.ingest.topic],
              announceOn: options.ingest.announceOn,
              service: options.service,
            },
          }),
      },
      {
        provide: READINESS_CHECKS,
        inject: [DataSource, Kafka, DubanKafkaServer, SERVICE_CONFIG],
        useFactory: (
          dataSource: DataSource,
          kafka: Kafka,
          server: DubanKafkaServer,
          c: ServiceConfig,
        ): ReadinessChecks => ({
          database: databaseCheck(dataSource),
          kafka: kafkaCheck(kafka),
          consumer: consumerCheck(server),
          ...(c.redisUrl
            ? {
                redis: redisCheck(
                  // Fail a ping fast when Redis is down rather than queue it forever.
                  new Redis(c.redisUrl, { maxRetriesPerRequest: 1 }),
                ),
              }
            : {}),
        }),
      },
      { provide: Clock, useClass: SystemClock },
      { provide: AUTH_CONFIG, inject: [SERVICE_CONFIG], useFactory: (c: ServiceConfig) => c.auth },
      { provide: APP_GUARD, useClass: AuthGuard },
      { provide: APP_FILTER, useClass: ProblemDetailsFilter },
      IdempotencyInterceptor,
      { provide: APP_INTERCEPTOR, useExisting: IdempotencyInterceptor },
    ];

    return {
      module: PlatformModule,
      global: true,
      imports: [
        config,
        TypeOrmModule.forRootAsync({
          imports: [config],
          inject: [SERVICE_CONFIG],
          useFactory: (c: ServiceConfig) => dataSourceOptions(c.database, schema),
        }),
        LoggerModule.forRootAsync({
          imports: [config],
          inject: [SERVICE_CONFIG],
          useFactory: (c: ServiceConfig) => ({
            pinoHttp: {
              level: c.logLevel,
              base: { service: options.service },
              mixin: () => ({ correlationId: currentCorrelationId() }),
              genReqId: () => currentCorrelationId() ?? '',
              // A bearer token in a log line outlives it and is readable by everyone who reads logs.
              redact: {
                paths: [
                  'req.headers.authorization',
                  'req.headers.cookie',
                  'res.headers["set-cookie"]',
                ],
                censor: '[redacted]',
              },
              autoLogging: { ignore: (req) => /^\/(health|metrics)/.test(req.url ?? '') },
            },
          }),
        }),
      ],
      controllers: [HealthController, MetricsController, AsyncApiController],
      providers,
      exports: [Kafka, OutboxRelay, DubanKafkaServer, SERVICE_OPTIONS, Clock],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(correlationMiddleware, httpMetricsMiddleware).forRoutes('*path');
  }
}
