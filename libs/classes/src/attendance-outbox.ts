import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { JobHandler, JobOutcome, JobService } from '../../jobs/src';
import { ADVISORY_LOCKS, ClassPersonPair, DrainPass, Metrics, PairOutbox } from '../../platform/src';
import { ClassRepository } from './class.repository';
import { CompletionService } from './completion.service';

export const DERIVE_JOB = 'attendance.derive';

/**
 * Outbox rows one pass takes at most: every row waiting, up to eight offline batches (≈ 4,000 marks),
 * coalesced — the same (class, person) once however many batches name it. Without a backlog a pass takes the
 * one batch just acknowledged (the worker is told at its commit); under a backlog larger passes cost less a
 * pair (the KPI step is one statement whose cost grows slower than its pairs: test/bench/derive-profile.ts),
 * so the worker catches up instead of falling further behind.
 */
const ROWS_PER_PASS = 8;

/**
 * Derived work of offline sync, done out of the request (docs/attendance.md, "Derived work"). A batch's
 * transaction stores its marks and one outbox row naming the (class, person) pairs it changed, and makes sure
 * a job of this kind runs. The job takes the oldest rows, deletes them, and re-decides completion, reach,
 * certificates and KPI facts for their distinct pairs — in the same transaction, under the classes' locks
 * (so with the marks as committed, never before them): if the worker or the database stops in between, the
 * rows are still there and the next pass does the work. Passes hold an advisory lock, one at a time across
 * every process, so two passes never refresh the same person from different states.
 */
@Injectable()
export class AttendanceDerivedWork implements JobHandler, OnModuleInit {
  readonly kind = DERIVE_JOB;

  private readonly outbox: PairOutbox;

  constructor(
    @InjectDataSource() dataSource: DataSource,
    private readonly classes: ClassRepository,
    private readonly completion: CompletionService,
    private readonly jobs: JobService,
    private readonly metrics: Metrics,
  ) {
    this.outbox = new PairOutbox(dataSource, {
      table: 'attendance_outbox',
      lockKey: ADVISORY_LOCKS.attendanceDerive,
      rowsPerPass: ROWS_PER_PASS,
      work: (m, pairs) => this.derive(m, pairs),
    });
  }

  /**
   * Sync freshness for Prometheus: acknowledged batches whose figures are still to be derived, and how long
   * the oldest has waited — the delay between a phone's "sent" and the dashboard showing it.
   */
  onModuleInit(): void {
    this.metrics.gauge(
      'lantoa_sync_outbox_batches',
      'Offline sync batches acknowledged, their figures not yet derived.',
      [],
      async () => [{ value: await this.outbox.pending() }],
    );
    this.metrics.gauge(
      'lantoa_sync_freshness_seconds',
      'Age of the oldest acknowledged offline sync batch whose figures are not yet derived (0 when none).',
      [],
      async () => [{ value: await this.outbox.oldestSeconds() }],
    );
  }

  /** In the batch's transaction: the pairs whose marks changed, and a pass to come. */
  async record(m: EntityManager, pairs: ClassPersonPair[]): Promise<void> {
    if (!pairs.length) return;
    await this.outbox.insert(m, pairs);
    await this.jobs.schedule(m, DERIVE_JOB, new Date());
  }

  /** One pass: the oldest rows, their work done (under their classes' locks) and the rows deleted. */
  pass(limit?: number): Promise<DrainPass> {
    return this.outbox.pass(limit);
  }

  /** Passes until the outbox is empty (what the job does; tests call it to wait for the figures). */
  drain(): Promise<DrainPass> {
    return this.outbox.drain();
  }

  private async derive(m: EntityManager, pairs: ClassPersonPair[]): Promise<void> {
    await this.classes.lockAll(m, [...new Set(pairs.map((p) => p.classId))]);
    await this.completion.afterMarks(m, pairs, 'worker');
  }

  async run(): Promise<JobOutcome> {
    return { result: { ...(await this.drain()) } };
  }
}
