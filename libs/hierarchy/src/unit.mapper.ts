import { UnitDto } from './unit.dto';
import { UnitState } from './unit.repository';

export function toUnitDto(unit: UnitState): UnitDto {
  return {
    code: unit.code,
    level: unit.level,
    type: unit.type,
    name: unit.name,
    fullName: unit.fullName,
    parentCode: unit.parentCode,
    parentFullName: unit.parentFullName,
    validFrom: unit.validFrom,
    validTo: unit.validTo,
  };
}
