import { DynamicModule, Module } from '@nestjs/common';
import type { DestinationStream } from 'pino';
import { HierarchyModule } from '../../../libs/hierarchy/src';
import { AppConfig, Clock, PlatformModule } from '../../../libs/platform/src';
import { ENTITIES, MIGRATIONS } from './schema';

export interface AppOptions {
  config: AppConfig;
  logStream?: DestinationStream;
  clock?: Clock;
}

@Module({})
export class AppModule {
  static forRoot(options: AppOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({ ...options, entities: ENTITIES, migrations: MIGRATIONS }),
        HierarchyModule,
      ],
    };
  }
}
