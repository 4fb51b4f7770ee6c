import { Inject, Module, OnApplicationBootstrap } from '@nestjs/common';
import { AuthModule } from '../../auth/src';
import { ClassesModule } from '../../classes/src';
import { HierarchyModule } from '../../hierarchy/src';
import { KpiModule } from '../../kpi/src';
import { PeopleModule } from '../../people/src';
import { APP_CONFIG, AppConfig } from '../../platform/src';
import { ProgramsModule } from '../../programs/src';
import { TrainersModule } from '../../trainers/src';
import { DemoSeedRepository } from './demo-seed.repository';
import { DemoSeedService } from './demo-seed.service';

/**
 * Seeds the demo campaign at start: on the embedded database unless SEED_DEMO=false, on a PostgreSQL
 * server only with SEED_DEMO=true. Imports every module it uses, so their own start-up (units, the first
 * administrator) has run before.
 */
@Module({
  imports: [
    HierarchyModule,
    AuthModule,
    ProgramsModule,
    PeopleModule,
    TrainersModule,
    ClassesModule,
    KpiModule,
  ],
  providers: [DemoSeedRepository, DemoSeedService],
  exports: [DemoSeedService],
})
export class DemoModule implements OnApplicationBootstrap {
  constructor(
    private readonly seed: DemoSeedService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const wanted =
      this.config.seedDemo === 'true' ||
      (this.config.seedDemo === 'auto' && this.config.databaseUrl === null);
    if (wanted) await this.seed.seedIfAbsent();
  }
}
