export { UnitPicker } from './UnitPicker';
export { useChildUnits, useUnit, useUnitSearch } from './units';
