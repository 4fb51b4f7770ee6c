// What other libraries, the apps and the tests use of libs/hierarchy; everything else stays inside it.
export { HIERARCHY_ENTITIES } from './hierarchy.entities';
export { HierarchyModule } from './hierarchy.module';
export { OrganisationIdParam } from './organisation.dto';
export { OrganisationEntity } from './organisation.entity';
export { POPULATION_FIGURE_CODE } from './population.entity';
export { PopulationService } from './population.service';
export { parseUnitFile, parseUnitFileText } from './unit-file';
export {
  BUNDLED_HISTORY_FILE,
  BUNDLED_UNITS_FILE,
  TWO_LEVEL_SINCE,
  UnitImportService,
} from './unit-import.service';
export type { ImportSummary } from './unit-import.service';
export { UnitReorgService } from './unit-reorg.service';
export type { Reorganisation } from './unit-reorg.service';
export { BUNDLED_SUCCESSIONS_FILE, UnitSuccessionService } from './unit-succession.service';
export type { SuccessionSummary } from './unit-succession.service';
export { MergeUnitsDto, ReparentUnitDto, SplitUnitDto, UnitCodeParam, UnitRefDto } from './unit.dto';
export { AdminUnitEntity, UNIT_LEVELS } from './unit.entity';
export type { UnitLevel } from './unit.entity';
export { UnitErrors } from './unit.errors';
// Repositories (and SQL) that other libraries use inside their own transactions, exported deliberately.
export { OrganisationRepository } from './organisation.repository';
export { UnitWriter } from './unit-writer.repository';
export { UnitRepository } from './unit.repository';
export type { UnitState } from './unit.repository';
