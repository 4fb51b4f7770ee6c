export { PeopleTable, type DrilldownPerson } from './PeopleTable';
