import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { JobHandler, JobOutcome, JobService } from '../../jobs/src';
import { Metrics, returning } from '../../platform/src';
import { ClassRepository } from './class.repository';
import { CompletionService } from './completion.service';

export const DERIVE_JOB = 'attendance.derive';

/**
 * Outbox rows taken by one pass: two offline batches (≈ 1,000 marks), coalesced. Larger passes cost the same
 * per pair (test/bench/derive-profile.ts) but hold their classes locked longer and make the first batches
 * wait for the last ones.
 */
const ROWS_PER_PASS = 2;

/** Held by the pass that drains the outbox, so passes never interleave on the same people. */
const DRAIN_LOCK = 7_402_020;

/** What one pass over the outbox did. */
export interface DrainPass {
  /** Outbox rows taken (offline batches). */
  rows: number;
  /** Distinct (class, person) pairs whose derived figures were re-decided. */
  pairs: number;
}

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

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly classes: ClassRepository,
    private readonly completion: CompletionService,
    private readonly jobs: JobService,
    private readonly metrics: Metrics,
  ) {}

  /**
   * Sync freshness for Prometheus: acknowledged batches whose figures are still to be derived, and how long
   * the oldest has waited — the delay between a phone's "sent" and the dashboard showing it.
   */
  onModuleInit(): void {
    this.metrics.gauge(
      'lantoa_sync_outbox_batches',
      'Offline sync batches acknowledged, their figures not yet derived.',
      [],
      async () => [{ value: await this.pending() }],
    );
    this.metrics.gauge(
      'lantoa_sync_freshness_seconds',
      'Age of the oldest acknowledged offline sync batch whose figures are not yet derived (0 when none).',
      [],
      async () => [{ value: await this.oldestSeconds() }],
    );
  }

  /** In the batch's transaction: the pairs whose marks changed, and a pass to come. */
  async record(m: EntityManager, pairs: { classId: string; personId: string }[]): Promise<void> {
    if (!pairs.length) return;
    await m.query(`INSERT INTO attendance_outbox (class_ids, person_ids) VALUES ($1::uuid[], $2::uuid[])`, [
      pairs.map((p) => p.classId),
      pairs.map((p) => p.personId),
    ]);
    await this.jobs.schedule(m, DERIVE_JOB, new Date());
  }

  /** One pass: the oldest rows, their work done and the rows deleted, in one transaction. */
  async pass(limit = ROWS_PER_PASS): Promise<DrainPass> {
    return this.dataSource.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock($1)`, [DRAIN_LOCK]);
      const rows = await returning<{ classIds: string[]; personIds: string[] }>(
        m,
        `DELETE FROM attendance_outbox
          WHERE id IN (SELECT id FROM attendance_outbox ORDER BY id LIMIT $1 FOR UPDATE)
         RETURNING class_ids AS "classIds", person_ids AS "personIds"`,
        [limit],
      );
      const pairs = new Map<string, { classId: string; personId: string }>();
      for (const row of rows)
        row.classIds.forEach((classId, i) =>
          pairs.set(`${classId}|${row.personIds[i]}`, { classId, personId: row.personIds[i] }),
        );
      if (!pairs.size) return { rows: rows.length, pairs: 0 };
      await this.classes.lockAll(m, [...new Set([...pairs.values()].map((p) => p.classId))]);
      await this.completion.afterMarks(m, [...pairs.values()]);
      return { rows: rows.length, pairs: pairs.size };
    });
  }

  /** Passes until the outbox is empty (what the job does; tests call it to wait for the figures). */
  async drain(): Promise<DrainPass> {
    const total: DrainPass = { rows: 0, pairs: 0 };
    for (;;) {
      const done = await this.pass();
      if (!done.rows) return total;
      total.rows += done.rows;
      total.pairs += done.pairs;
    }
  }

  async pending(): Promise<number> {
    const [row]: { n: number }[] = await this.dataSource.query(
      `SELECT count(*)::int AS n FROM attendance_outbox`,
    );
    return row.n;
  }

  async oldestSeconds(): Promise<number> {
    const [row]: { age: number }[] = await this.dataSource.query(
      `SELECT coalesce(extract(epoch FROM now() - min(created_at)), 0)::float8 AS age FROM attendance_outbox`,
    );
    return row.age;
  }

  async run(): Promise<JobOutcome> {
    return { result: { ...(await this.drain()) } };
  }
}
