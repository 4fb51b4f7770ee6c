import { Inject, Module, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../platform/src';
import { OrganisationController } from './organisation.controller';
import { OrganisationRepository } from './organisation.repository';
import { OrganisationService } from './organisation.service';
import { PopulationController } from './population.controller';
import { PopulationFigureController } from './population-figure.controller';
import { PopulationRepository } from './population.repository';
import { PopulationService } from './population.service';
import { UnitController } from './unit.controller';
import { UnitExcelImportService } from './unit-excel-import.service';
import { UnitImportController } from './unit-import.controller';
import { UnitImportService } from './unit-import.service';
import { UnitReorgService } from './unit-reorg.service';
import { UnitSuccessionService } from './unit-succession.service';
import { UnitRepository } from './unit.repository';
import { UnitService } from './unit.service';
import { UnitWriter } from './unit-writer.repository';

@Module({
  controllers: [
    UnitImportController,
    UnitController,
    OrganisationController,
    PopulationController,
    PopulationFigureController,
  ],
  providers: [
    UnitRepository,
    UnitWriter,
    UnitService,
    UnitImportService,
    UnitExcelImportService,
    UnitReorgService,
    UnitSuccessionService,
    OrganisationRepository,
    OrganisationService,
    PopulationService,
    PopulationRepository,
  ],
  exports: [
    UnitService,
    UnitImportService,
    UnitReorgService,
    UnitSuccessionService,
    UnitRepository,
    OrganisationRepository,
    PopulationService,
  ],
})
export class HierarchyModule implements OnApplicationBootstrap {
  constructor(
    private readonly importer: UnitImportService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** An empty database gets today's administrative units before the service takes requests. */
  async onApplicationBootstrap(): Promise<void> {
    await this.importer.seedIfEmpty(this.config.unitsSeedFile);
  }
}
