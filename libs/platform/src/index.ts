// What other libraries, the apps and the tests use of libs/platform; everything else stays inside it.
export { Clock, FixedClock, addDays, daysBetween, vnDate, vnDateTime, vnStartOfDay } from './clock';
export { ConfigError, MIN_PASSWORD_LENGTH, isLoopbackUrl, loadConfig } from './config/app-config';
export type { AppConfig, OidcProviderConfig } from './config/app-config';
export { APP_CONFIG } from './config/config.tokens';
export { BackupError, backupDatabase, restoreDatabase } from './database/backup';
export { retryOnConflict } from './database/conflict-retry';
export { postgresOptions } from './database/database.module';
export { EmbeddedPostgres } from './database/embedded-postgres';
export { ADVISORY_LOCKS, runMigrations } from './database/migrate';
export { pagedQuery, returning } from './database/paged-query';
export { PairOutbox } from './database/pair-outbox';
export type { ClassPersonPair, DrainPass } from './database/pair-outbox';
export { ReadReplicas } from './database/read-replicas';
export { vnDay } from './database/vn-day';
export { CommonErrors, DomainError } from './errors/domain-error';
export type { FieldError } from './errors/domain-error';
export { ProblemFilter, toProblem } from './errors/problem.filter';
export { fieldErrors, ruleReason, validationErrorFactory } from './errors/validation';
export { ImportErrors, buildTemplate, readTable, tableRows } from './excel/table';
export type { TableColumn, TableRow } from './excel/table';
export { API_PREFIX } from './http/api';
export {
  ApiFileResponse,
  MAX_UPLOAD_BYTES,
  PDF_TYPE,
  XLSX_TYPE,
  attachment,
  sendFile,
  uploadedBuffer,
} from './http/files';
export { escapeHtml, publicPage } from './http/html';
export { ApiPage, COUNT_CAP, PageQueryDto, page } from './http/paging';
export type { Page } from './http/paging';
export { AUTHENTICATED_BY, AuthenticatedBy, IS_PUBLIC, Public } from './http/public.decorator';
export { requestBodies } from './http/request-body';
export { currentRequest, setServiceActor } from './http/request-context';
export type { RequestContext } from './http/request-context';
export { securityHeaders } from './http/security-headers';
export { IsCalendarDate, NormalizeText, isCalendarDate } from './http/validators';
export { webAppHandler } from './http/web-app';
export { Metrics } from './metrics/metrics';
export {
  HEAD,
  MOTTO,
  NATIONAL_NAME,
  PREPARER,
  SIGNATURE_BLOCK_HEIGHT,
  drawNationalHeader,
  formatDate,
  placeAndDate,
  signatureBlock,
} from './pdf/administrative';
export type { SignatureColumn } from './pdf/administrative';
export { FONT_FILES, pdfBuffer, vietnameseDocument } from './pdf/fonts';
export type { FontName } from './pdf/fonts';
export { PlatformModule } from './platform.module';
export { projectRoot } from './project-root';
export { normalizeVietnamesePhone } from './text/phone';
export { foldVietnamese, nfc, personNameSortKey, vietnameseSortKey } from './text/vietnamese';
// Repositories (and SQL) that other libraries use inside their own transactions, exported deliberately.
export { ThrottleRepository } from './database/throttle.repository';
