// What other libraries, the apps and the tests use of libs/people; everything else stays inside it.
export { readCccd } from './cccd';
export { PeopleModule } from './people.module';
export { PersonImportRepository } from './person-import.repository';
export { PersonImportService } from './person-import.service';
export { PersonMergeRegistry } from './person-merge.registry';
export type { PersonMergeStep } from './person-merge.registry';
export { nameColumns } from './person-names';
export { CreatePersonDto } from './person.dto';
export { PEOPLE_ENTITIES, PersonEntity } from './person.entity';
export type { Gender } from './person.entity';
export { PersonErrors } from './person.errors';
export { maskCccd, maskPhone } from './person.mapper';
export { PersonService } from './person.service';
export { SEGMENTS, STANDARD_SEGMENTS } from './segments';
// Repositories (and SQL) that other libraries use inside their own transactions, exported deliberately.
export { PERSON_SELECT, PersonRepository } from './person.repository';
export type { PersonWrite } from './person.repository';
export { seesPersonalData } from './person.scope';
