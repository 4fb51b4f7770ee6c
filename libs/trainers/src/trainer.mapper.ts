import { TrainerDto } from './trainer.dto';
import { TrainerRow } from './trainer.repository';

export function toTrainerDto(row: TrainerRow): TrainerDto {
  return {
    id: row.id,
    programId: row.programId,
    person: { id: row.personId, fullName: row.fullName, birthYear: row.birthYear },
    tier: row.tier,
    homeUnit: { code: row.homeUnitCode, fullName: row.homeUnitName },
    quota: row.quota,
    quotaOverride: row.quotaOverride,
    status: row.status,
    trainedBy: row.trainedById ? { id: row.trainedById, fullName: row.trainedByName ?? '' } : null,
    generation: row.depth,
    directReach: row.directReach,
    registeredOn: row.registeredOn,
    imported: row.imported,
  };
}
