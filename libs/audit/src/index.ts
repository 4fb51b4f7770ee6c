// What other libraries, the apps and the tests use of libs/audit; everything else stays inside it.
export { AUDIT_ENTITIES } from './audit.entity';
export { AuditModule } from './audit.module';
export { AuditService } from './audit.service';
export type { AuditEntry } from './audit.service';
