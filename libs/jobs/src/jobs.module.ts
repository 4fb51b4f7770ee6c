import { Global, Module, OnModuleInit } from '@nestjs/common';
import { Metrics } from '../../platform/src';
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
export class JobsModule implements OnModuleInit {
  constructor(
    private readonly metrics: Metrics,
    private readonly jobs: JobRepository,
  ) {}

  onModuleInit(): void {
    const state = () => this.jobs.queueState();
    this.metrics.gauge(
      'lantoa_jobs',
      'Background jobs queued or running, by kind and status.',
      ['kind', 'status'],
      async () => (await state()).map((r) => ({ labels: { kind: r.kind, status: r.status }, value: r.jobs })),
    );
    this.metrics.gauge(
      'lantoa_job_oldest_seconds',
      'Age of the oldest queued job (since queued) or running job (since started), by kind and status.',
      ['kind', 'status'],
      async () =>
        (await state()).map((r) => ({ labels: { kind: r.kind, status: r.status }, value: r.oldestSeconds })),
    );
  }
}
