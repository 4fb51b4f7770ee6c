import { Global, Module } from '@nestjs/common';
import { JobController } from './job.controller';
import { JobRegistry } from './job.registry';
import { JobRepository } from './job.repository';
import { JobRunner } from './job.runner';
import { JobService } from './job.service';

/** Global: feature modules register job handlers and queue jobs; `config.jobs.run` decides who runs them. */
@Global()
@Module({
  controllers: [JobController],
  providers: [JobRegistry, JobRepository, JobService, JobRunner],
  exports: [JobRegistry, JobService, JobRunner],
})
export class JobsModule {}
