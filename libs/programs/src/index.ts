// What other libraries, the apps and the tests use of libs/programs; everything else stays inside it.
export type { ReportApprovalLevel } from './program.dto';
export { PROGRAM_ENTITIES, ProgramEntity } from './program.entity';
export { ProgramErrors } from './program.errors';
export { DEFAULT_LEVELS, ProgramService } from './program.service';
export { ProgramsModule } from './programs.module';
// Repositories (and SQL) that other libraries use inside their own transactions, exported deliberately.
export { ProgramRepository } from './program.repository';
export type { ProgramRow } from './program.repository';
