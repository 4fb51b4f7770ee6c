import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { Client } from 'pg';
import { APP_CONFIG, AppConfig } from '../../platform/src';
import { JobRegistry } from './job.registry';
import { JobRepository, JobRow } from './job.repository';

/** How long a lost notification connection waits before it connects again (polling goes on meanwhile). */
const RELISTEN_MS = 5_000;

/**
 * Runs background jobs in this process: polls the job table, runs up to `jobConcurrency` at once, keeps a
 * heartbeat, and puts back jobs of processes that died. On a PostgreSQL server it also listens for jobs
 * queued by other processes (`JOB_CHANNEL`) and looks for work at once — the API's offline sync queues the
 * worker's derived work this way, without waiting for the next poll; the embedded database delivers no
 * notifications across connections, so there polling alone finds them. The worker process always runs it;
 * the API does when RUN_JOBS says so (by default on the embedded database, where the worker cannot open the
 * data).
 */
@Injectable()
export class JobRunner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Jobs');
  private readonly running = new Map<string, Promise<void>>();
  private timer?: NodeJS.Timeout;
  private heartbeat?: NodeJS.Timeout;
  private stopped = false;
  private polling = false;
  /** Work announced while a poll ran: poll again when it ends. */
  private again = false;
  private listener?: Client;

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
    void this.listen();
  }

  /**
   * Before any module's shutdown hook, so the running jobs finish while the database is still open (it closes
   * in the shutdown hooks, in an order among modules that nothing fixes).
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    clearInterval(this.heartbeat);
    await this.listener?.end().catch(() => undefined);
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

  /** Listens for jobs queued by other processes (PostgreSQL server only), connecting again when lost. */
  private async listen(): Promise<void> {
    const url = this.config.databaseUrl;
    if (!url || this.stopped) return;
    const client = new Client({ connectionString: url, application_name: 'lantoa-jobs-listener' });
    const retry = (error: Error) => {
      if (this.listener !== client) return;
      this.listener = undefined;
      void client.end().catch(() => undefined);
      if (this.stopped) return;
      this.logger.warn(`Job notifications lost (${error.message}); polling meanwhile.`);
      setTimeout(() => void this.listen(), RELISTEN_MS).unref();
    };
    this.listener = client;
    client.on('error', retry);
    client.on('end', () => retry(new Error('connection ended')));
    client.on('notification', () => this.kick());
    try {
      await client.connect();
      await this.jobs.listen(client);
    } catch (error) {
      retry(error as Error);
    }
  }

  private async poll(): Promise<void> {
    if (this.stopped) return;
    if (this.polling) {
      this.again = true;
      return;
    }
    this.polling = true;
    this.again = false;
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
      if (this.again) this.kick();
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
