import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Policy, Principal } from '../../access/src';
import { DomainError, Page, page } from '../../platform/src';
import { JobDto, JobListItemDto, ListJobsQueryDto } from './job.dto';
import { JobRepository, JobRow } from './job.repository';
import { JobRunner } from './job.runner';

export const JobErrors = {
  notFound: () => new DomainError('JOB_NOT_FOUND', 404, 'Không tìm thấy tác vụ.'),
  notReady: (status: string) =>
    new DomainError('JOB_NOT_READY', 409, 'Tệp chưa sẵn sàng; hãy xem tiến độ tác vụ rồi tải lại sau.', {
      jobStatus: status,
    }),
};

export function toJobDto(job: JobRow): JobDto {
  return {
    id: job.id,
    kind: job.kind,
    status: job.status,
    progress: job.progress,
    total: job.total,
    result: job.result,
    error: job.error,
    createdAt: new Date(job.createdAt).toISOString(),
    finishedAt: job.finishedAt ? new Date(job.finishedAt).toISOString() : null,
    downloadUrl: job.status === 'succeeded' && job.fileName ? `/api/v1/jobs/${job.id}/file` : null,
  };
}

@Injectable()
export class JobService {
  constructor(
    private readonly jobs: JobRepository,
    private readonly runner: JobRunner,
  ) {}

  /** Queues a job (inside the caller's transaction, so it exists only if the request commits). */
  async enqueue(
    m: EntityManager,
    kind: string,
    params: Record<string, unknown>,
    principal: Principal | null,
    total: number | null = null,
  ): Promise<string> {
    const id = await this.jobs.insert(m, kind, params, principal?.id ?? null, total);
    this.runner.kick();
    return id;
  }

  /**
   * Makes sure a (parameterless) job of `kind` runs no later than `at` — now, or later for a retry with
   * backoff — inside the caller's transaction; a job of the kind already queued for then is enough.
   */
  async schedule(m: EntityManager, kind: string, at: Date): Promise<void> {
    const id = await this.jobs.insertUnlessQueued(m, kind, at);
    if (id && at.getTime() <= Date.now()) this.runner.kick();
  }

  /** The queued runs of `kind` due now, other than the running `runningId`, succeed as merged into it. */
  mergeQueued(kind: string, runningId: string): Promise<void> {
    return this.jobs.mergeQueued(kind, runningId);
  }

  /** A job is visible to whoever queued it, and to administrators. */
  async get(principal: Principal, id: string): Promise<JobRow> {
    const job = await this.jobs.findById(id);
    if (!job || (job.createdBy !== principal.id && !Policy.isAdmin(principal))) throw JobErrors.notFound();
    return job;
  }

  /** The caller's own jobs, newest first; an administrator's list holds every job (the system's too). */
  async list(principal: Principal, query: ListJobsQueryDto): Promise<Page<JobListItemDto>> {
    const { rows, total } = await this.jobs.list({
      createdBy: Policy.isAdmin(principal) ? null : principal.id,
      status: query.status,
      kind: query.kind,
      limit: query.limit,
      offset: query.offset,
    });
    return page(
      rows.map((row) => ({ ...toJobDto(row), createdByName: row.createdByName })),
      total,
      query,
    );
  }

  async file(principal: Principal, id: string): Promise<JobRow & { filePath: string; fileName: string }> {
    const job = await this.get(principal, id);
    if (job.status !== 'succeeded' || !job.filePath || !job.fileName) throw JobErrors.notReady(job.status);
    return job as JobRow & { filePath: string; fileName: string };
  }
}
