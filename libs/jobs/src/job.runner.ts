import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../platform/src';
import { JobRegistry } from './job.registry';
import { JobRepository, JobRow } from './job.repository';

/**
 * Runs background jobs in this process: polls the job table (no LISTEN/NOTIFY, which the embedded database
 * does not deliver across connections), runs up to `jobConcurrency` at once, keeps a heartbeat, and puts
 * back jobs of processes that died. The worker process always runs it; the API does when RUN_JOBS says so
 * (by default on the embedded database, where the worker cannot open the data).
 */
@Injectable()
export class JobRunner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Jobs');
  private readonly running = new Map<string, Promise<void>>();
  private timer?: NodeJS.Timeout;
  private heartbeat?: NodeJS.Timeout;
  private stopped = false;
  private polling = false;

  constructor(
    private readonly jobs: JobRepository,
    private readonly registry: JobRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get enabled(): boolean {
    return this.config.jobs.run;
  }

  onApplicationBootstrap(): void {
    if (!this.enabled) return;
    mkdirSync(this.folder(), { recursive: true });
    this.timer = setInterval(() => void this.poll(), this.config.jobs.pollMs);
    // Six beats in the time after which another process takes the job over: a slow beat is not a death.
    this.heartbeat = setInterval(() => void this.beat(), (this.config.jobs.staleSeconds * 1000) / 6);
    void this.poll();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    clearInterval(this.heartbeat);
    // The HTTP server has stopped taking requests and finished the running ones; jobs finish too.
    this.logger.log(`Stopping: waiting for ${this.running.size} running job(s) to finish.`);
    await Promise.allSettled(this.running.values());
    this.logger.log('Stopped.');
  }

  /** Looks for work now (after a job was queued in this process). */
  kick(): void {
    if (this.enabled) setImmediate(() => void this.poll());
  }

  folder(): string {
    return join(this.config.dataDir, 'files', 'jobs');
  }

  private async poll(): Promise<void> {
    if (this.stopped || this.polling) return;
    this.polling = true;
    try {
      await this.jobs.recoverStale(this.config.jobs.staleSeconds);
      while (!this.stopped && this.running.size < this.config.jobs.concurrency) {
        const job = await this.jobs.claim(
          this.registry.kinds(),
          this.config.jobs.maxRunning,
          this.registry.limits(),
        );
        if (!job) break;
        const run = this.run(job).finally(() => this.running.delete(job.id));
        this.running.set(job.id, run);
      }
    } catch (error) {
      this.logger.error(`Polling for jobs failed: ${(error as Error).message}`);
    } finally {
      this.polling = false;
    }
  }

  private async run(job: JobRow): Promise<void> {
    const handler = this.registry.get(job.kind)!;
    const filePath = join(this.folder(), `${job.id}.${handler.extension ?? 'bin'}`);
    let lastWrite = 0;
    try {
      const outcome = await handler.run({
        id: job.id,
        params: job.params,
        createdBy: job.createdBy,
        filePath,
        progress: async (done, total) => {
          const now = Date.now();
          if (now - lastWrite < 1000 && done !== total) return;
          lastWrite = now;
          await this.jobs.progress(job.id, done, total ?? null);
        },
      });
      await this.jobs.succeed(job.id, { ...outcome, filePath: outcome.fileName ? filePath : undefined });
    } catch (error) {
      this.logger.error(`Job ${job.kind} ${job.id} failed: ${(error as Error).stack ?? String(error)}`);
      await this.jobs.fail(job.id, 'Không hoàn thành được tác vụ; hãy thử lại hoặc báo quản trị viên.');
    } finally {
      this.kick();
    }
  }

  private async beat(): Promise<void> {
    try {
      await this.jobs.heartbeat([...this.running.keys()]);
    } catch (error) {
      this.logger.warn(`Job heartbeat failed: ${(error as Error).message}`);
    }
  }
}
