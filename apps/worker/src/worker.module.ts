import { DynamicModule, Module } from '@nestjs/common';
import { AuditModule } from '../../../libs/audit/src';
import { CertificatesModule } from '../../../libs/certificates/src';
import { ClassesModule } from '../../../libs/classes/src';
import { FlagsModule } from '../../../libs/flags/src';
import { HierarchyModule } from '../../../libs/hierarchy/src';
import { JobsModule } from '../../../libs/jobs/src';
import { KpiModule } from '../../../libs/kpi/src';
import { PartnersModule } from '../../../libs/partners/src';
import { PeopleModule } from '../../../libs/people/src';
import { ProgramsModule } from '../../../libs/programs/src';
import { TrainersModule } from '../../../libs/trainers/src';
import { AppConfig, PlatformModule } from '../../../libs/platform/src';
import { ENTITIES, MIGRATIONS } from '../../../migrations/schema';

/**
 * The worker's composition root: the modules whose jobs it runs and whose listeners those jobs call —
 * attendance's derived work (classes, KPI facts, flags), certificate batches, exports, partners' webhooks.
 * Not the demo seed nor the citizens' pages, which belong to the API.
 */
@Module({})
export class WorkerModule {
  static forRoot(options: { config: AppConfig }): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        PlatformModule.forRoot({ ...options, entities: ENTITIES, migrations: MIGRATIONS }),
        AuditModule,
        HierarchyModule,
        ProgramsModule,
        PeopleModule,
        TrainersModule,
        ClassesModule,
        JobsModule,
        CertificatesModule,
        KpiModule,
        FlagsModule,
        PartnersModule,
      ],
    };
  }
}
