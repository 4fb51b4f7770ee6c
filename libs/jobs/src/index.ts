// What other libraries, the apps and the tests use of libs/jobs; everything else stays inside it.
export { sendJobFile } from './job.controller';
export { JobDto } from './job.dto';
export { JOB_ENTITIES } from './job.entity';
export { JobRegistry } from './job.registry';
export type { JobContext, JobHandler, JobOutcome } from './job.registry';
export { JobErrors, JobService, toJobDto } from './job.service';
export { JobsModule } from './jobs.module';
// Repositories (and SQL) that other libraries use inside their own transactions, exported deliberately.
export type { JobRow } from './job.repository';
