// What other libraries, the apps and the tests use of libs/classes; everything else stays inside it.
export { AttendanceDerivedWork } from './attendance-outbox';
export { AttendanceService } from './attendance.service';
export { CLASS_ENTITIES, EnrolmentEntity, TrainingClassEntity } from './class.entities';
export { ClassErrors } from './class.errors';
export { ClassService } from './class.service';
export type { ClassListener } from './class.service';
export { ClassesModule } from './classes.module';
export { CompletionService } from './completion.service';
export type { ChangeOrigin, CompletionListener } from './completion.service';
// Repositories (and SQL) that other libraries use inside their own transactions, exported deliberately.
export { AttendanceRepository } from './attendance.repository';
export type { CompletionChange } from './attendance.repository';
export { ClassRepository } from './class.repository';
export { EnrolmentRepository } from './enrolment.repository';
export { teachesSql } from './class.scope';
