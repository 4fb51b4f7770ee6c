import { OrganisationEntity } from './organisation.entity';
import { PopulationFigureEntity, PopulationFigureKindEntity } from './population.entity';
import { AdminUnitEntity, AdminUnitHistoryEntity, AdminUnitSuccessionEntity } from './unit.entity';

export const HIERARCHY_ENTITIES = [
  AdminUnitEntity,
  AdminUnitHistoryEntity,
  AdminUnitSuccessionEntity,
  OrganisationEntity,
  PopulationFigureEntity,
  PopulationFigureKindEntity,
];
