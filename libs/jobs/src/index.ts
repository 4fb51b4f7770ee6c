export * from './job.dto';
export * from './job.entity';
export * from './job.registry';
export * from './job.repository';
export * from './job.runner';
export * from './job.service';
export * from './jobs.module';
export * from './job.controller';
