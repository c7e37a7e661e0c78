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
import { AuthGuard } from '@duban/auth';
import { DubanKafkaServer, OutboxRelay, createKafka, kafkaConfigFor } from '@duban/messaging';
import { collectProcessMetrics, currentCorrelationId } from '@duban/observability';
import { dataSourceOptions, databaseConfigFor, pgClientConfig } from '@duban/persistence';
import { Clock, SystemClock } from './clock';
import { HealthController, READINESS_CHECKS, ReadinessChecks } from './health/health.controller';
import { consumerCheck, databaseCheck, kafkaCheck, redisCheck } from './health/readiness';
import { IdempotencyInterceptor } from './idempotency/idempotency.interceptor';
import { correlationMiddleware } from './http/correlation.middleware';
import { ProblemDetailsFilter } from './http/problem-details.filter';
import { httpMetricsMiddleware } from './metrics/http-metrics.middleware';
import { MetricsController } from './metrics/metrics.controller';
import { OutboxRelayService } from './outbox/outbox-relay.service';
import { RetentionService } from './retention/retention.service';
import { SERVICE_OPTIONS, ServiceOptions, fullSchema, redisUrl } from './service-options';

/**
 * Everything a Duban service shares, wired once: its database, JSON logs with correlation ids,
 * auth, problem-details errors, health, metrics, the outbox relay and the Kafka consumer.
 */
@Module({})
export class PlatformModule implements NestModule {
  static forService(options: ServiceOptions): DynamicModule {
    collectProcessMetrics(options.service);
    const kafkaConfig = kafkaConfigFor(`duban-${options.service}`);
    const db = databaseConfigFor(options.service);
    const schema = fullSchema(options.schema);

    const providers: Provider[] = [
      { provide: SERVICE_OPTIONS, useValue: options },
      { provide: Kafka, useValue: createKafka(kafkaConfig) },
      {
        provide: OutboxRelay,
        inject: [Kafka],
        useFactory: (kafka: Kafka) => {
          const logger = new Logger('outbox');
          return new OutboxRelay({
            service: options.service,
            pg: pgClientConfig(db),
            kafka,
            topicPrefix: kafkaConfig.topicPrefix,
            logger: { log: (m) => logger.log(m), warn: (m) => logger.warn(m) },
          });
        },
      },
      OutboxRelayService,
      RetentionService,
      {
        provide: DubanKafkaServer,
        inject: [DataSource],
        useFactory: (dataSource: DataSource) =>
          new DubanKafkaServer({
            kafka: kafkaConfig,
            // The topic prefix isolates a deployment (or a test) from another on the same broker,
            // consumer groups included.
            groupId: `${kafkaConfig.topicPrefix}duban-${options.service}`,
            topics: options.consumes ?? [],
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
        inject: [DataSource, Kafka, DubanKafkaServer],
        useFactory: (
          dataSource: DataSource,
          kafka: Kafka,
          server: DubanKafkaServer,
        ): ReadinessChecks => ({
          database: databaseCheck(dataSource),
          kafka: kafkaCheck(kafka),
          consumer: consumerCheck(server),
          ...(options.usesRedis
            ? {
                redis: redisCheck(
                  // Fail a ping fast when Redis is down rather than queue it forever.
                  new Redis(redisUrl(), { maxRetriesPerRequest: 1 }),
                ),
              }
            : {}),
        }),
      },
      { provide: Clock, useClass: SystemClock },
      { provide: APP_GUARD, useClass: AuthGuard },
      { provide: APP_FILTER, useClass: ProblemDetailsFilter },
      IdempotencyInterceptor,
      { provide: APP_INTERCEPTOR, useExisting: IdempotencyInterceptor },
    ];

    return {
      module: PlatformModule,
      global: true,
      imports: [
        TypeOrmModule.forRoot(dataSourceOptions(db, schema)),
        LoggerModule.forRoot({
          pinoHttp: {
            level: process.env.DUBAN_LOG_LEVEL ?? 'info',
            base: { service: options.service },
            mixin: () => ({ correlationId: currentCorrelationId() }),
            genReqId: () => currentCorrelationId() ?? '',
            autoLogging: { ignore: (req) => /^\/(health|metrics)/.test(req.url ?? '') },
          },
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
