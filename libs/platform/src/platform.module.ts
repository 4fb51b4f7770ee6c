import { DynamicModule, Global, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import type { DestinationStream } from 'pino';
import { Clock } from './clock';
import { AppConfig } from './config/app-config';
import { APP_CONFIG } from './config/config.tokens';
import { DatabaseModule, DatabaseModuleOptions } from './database/database.module';
import { ReadReplicas, ReadYourWritesMiddleware } from './database/read-replicas';
import { ThrottleRepository } from './database/throttle.repository';
import { HealthController } from './health/health.controller';
import { HealthRepository } from './health/health.repository';
import { RequestContextMiddleware } from './http/request-context';
import { LoggingModule } from './logging/logging.module';
import { MetricsController } from './metrics/metrics.controller';
import { Metrics, MetricsMiddleware } from './metrics/metrics';

export interface PlatformOptions extends DatabaseModuleOptions {
  config: AppConfig;
  /** Where JSON log lines go (stdout by default; tests capture them). */
  logStream?: DestinationStream;
  /** Replaces the system clock (tests). */
  clock?: Clock;
}

/** Configuration, logging, metrics, the database and health: what every app (API, worker, CLI) stands on. */
@Global()
@Module({})
export class PlatformModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RequestContextMiddleware, MetricsMiddleware, ReadYourWritesMiddleware).forRoutes('*');
  }

  static forRoot(options: PlatformOptions): DynamicModule {
    return {
      module: PlatformModule,
      imports: [LoggingModule.forRoot(options.logStream), DatabaseModule.forRoot(options)],
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: APP_CONFIG, useValue: options.config },
        { provide: Clock, useValue: options.clock ?? new Clock() },
        ThrottleRepository,
        HealthRepository,
        Metrics,
        ReadReplicas,
      ],
      exports: [APP_CONFIG, Clock, ThrottleRepository, Metrics, ReadReplicas],
    };
  }
}
