import { DynamicModule, Module } from '@nestjs/common';
import type { DestinationStream } from 'pino';
import { AuditModule } from '../../../libs/audit/src';
import { AuthModule } from '../../../libs/auth/src';
import { CertificatesModule } from '../../../libs/certificates/src';
import { CitizensModule } from '../../../libs/citizens/src';
import { ClassesModule } from '../../../libs/classes/src';
import { DemoModule } from '../../../libs/demo/src';
import { FlagsModule } from '../../../libs/flags/src';
import { HierarchyModule } from '../../../libs/hierarchy/src';
import { JobsModule } from '../../../libs/jobs/src';
import { KpiModule } from '../../../libs/kpi/src';
import { PartnersModule } from '../../../libs/partners/src';
import { PeopleModule } from '../../../libs/people/src';
import { ProgramsModule } from '../../../libs/programs/src';
import { TrainersModule } from '../../../libs/trainers/src';
import { AppConfig, Clock, PlatformModule } from '../../../libs/platform/src';
import { ENTITIES, MIGRATIONS } from '../../../migrations/schema';

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
        AuditModule,
        HierarchyModule,
        AuthModule,
        ProgramsModule,
        PeopleModule,
        TrainersModule,
        ClassesModule,
        JobsModule,
        CertificatesModule,
        CitizensModule,
        KpiModule,
        FlagsModule,
        PartnersModule,
        DemoModule,
      ],
    };
  }
}
