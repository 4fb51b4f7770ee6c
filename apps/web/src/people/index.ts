export { PeopleTable, type DrilldownPerson } from './PeopleTable';
export { GENDER_NAMES } from './messages';
