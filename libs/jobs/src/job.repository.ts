import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ClientBase } from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import { returning } from '../../platform/src';
import { JobStatus } from './job.entity';

export interface JobRow {
  id: string;
  kind: string;
  status: JobStatus;
  params: Record<string, unknown>;
  progress: number;
  total: number | null;
  result: Record<string, unknown> | null;
  fileName: string | null;
  filePath: string | null;
  fileType: string | null;
  error: string | null;
  attempts: number;
  createdBy: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

const COLUMNS = `id, kind, status, params, progress, total, result, file_name AS "fileName", file_path AS "filePath",
  file_type AS "fileType", error, attempts, created_by AS "createdBy", created_at AS "createdAt",
  started_at AS "startedAt", finished_at AS "finishedAt"`;

/** The same columns of `job j`, for queries that join it. */
const JOINED_COLUMNS = COLUMNS.replace(/(^|,\s*)(\w+)/g, '$1j.$2');

const CLAIM_LOCK = 7_402_005;

/**
 * Told (NOTIFY, delivered at commit) when a job is queued to run now: on a PostgreSQL server the runners of
 * other processes listen and look for work at once instead of at their next poll.
 */
export const JOB_CHANNEL = 'lantoa_job_queued';

@Injectable()
export class JobRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Subscribes `client` (a dedicated connection, outside the pool) to `JOB_CHANNEL`. */
  async listen(client: ClientBase): Promise<void> {
    await client.query(`LISTEN ${JOB_CHANNEL}`);
  }

  /**
   * The queue as Prometheus sees it: jobs waiting and running per kind, and how long the oldest of each has
   * waited (seconds since queued) or run (since started). Reads the queue index only; finished jobs are not
   * counted.
   */
  async queueState(): Promise<{ kind: string; status: JobStatus; jobs: number; oldestSeconds: number }[]> {
    const rows: { kind: string; status: JobStatus; jobs: string; oldest: string }[] =
      await this.dataSource.query(
        `SELECT kind, status, count(*) AS jobs,
              extract(epoch FROM now() - min(CASE WHEN status = 'running' THEN started_at ELSE created_at END)) AS oldest
         FROM job WHERE status IN ('queued', 'running') GROUP BY kind, status`,
      );
    return rows.map((r) => ({
      kind: r.kind,
      status: r.status,
      jobs: Number(r.jobs),
      oldestSeconds: Number(r.oldest),
    }));
  }

  async insert(
    m: EntityManager,
    kind: string,
    params: Record<string, unknown>,
    createdBy: string | null,
    total: number | null,
    runAfter: Date | null = null,
  ): Promise<string> {
    const [row]: { id: string }[] = await m.query(
      `WITH queued AS (
         INSERT INTO job (kind, params, created_by, total, run_after) VALUES ($1, $2, $3, $4, $5) RETURNING id
       )
       SELECT id, CASE WHEN $5::timestamptz IS NULL THEN pg_notify('${JOB_CHANNEL}', $1::varchar) END AS notified
         FROM queued`,
      [kind, JSON.stringify(params), createdBy, total, runAfter],
    );
    return row.id;
  }

  /**
   * Queues a parameterless job of `kind` to run no later than `runAfter`, unless one is already queued to run
   * by then. Without a lock, so concurrent transactions never wait on one another: two of them may both queue
   * one, and the handler of such a kind treats an extra run as a cheap no-op.
   */
  async insertUnlessQueued(m: EntityManager, kind: string, runAfter: Date): Promise<string | null> {
    const rows: { id: string }[] = await m.query(
      `WITH queued AS (
         INSERT INTO job (kind, params, run_after)
         SELECT $1::varchar, '{}', $2::timestamptz
          WHERE NOT EXISTS (SELECT 1 FROM job WHERE kind = $1::varchar AND status = 'queued'
                               AND coalesce(run_after, created_at) <= $2::timestamptz)
         RETURNING id
       )
       SELECT id, CASE WHEN $3::boolean THEN pg_notify('${JOB_CHANNEL}', $1::varchar) END AS notified FROM queued`,
      [kind, runAfter, runAfter.getTime() <= Date.now()],
    );
    return rows[0]?.id ?? null;
  }

  async findById(id: string): Promise<JobRow | null> {
    const rows: JobRow[] = await this.dataSource.query(`SELECT ${COLUMNS} FROM job WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }

  /**
   * A page of jobs, newest first: those `createdBy` queued (served by ix_job_created_by), or every job when
   * `createdBy` is null (an administrator; ix_job_created_at), with the name of whoever queued each.
   */
  async list(filter: {
    createdBy: string | null;
    status?: JobStatus;
    kind?: string;
    limit: number;
    offset: number;
  }): Promise<{ rows: (JobRow & { createdByName: string | null })[]; total: number }> {
    const params: unknown[] = [filter.createdBy, filter.status ?? null, filter.kind ?? null];
    const where = `($1::uuid IS NULL OR j.created_by = $1::uuid) AND ($2::text IS NULL OR j.status = $2::text)
      AND ($3::text IS NULL OR j.kind = $3::text)`;
    const [{ total }]: { total: number }[] = await this.dataSource.query(
      `SELECT count(*)::int AS total FROM job j WHERE ${where}`,
      params,
    );
    const rows: (JobRow & { createdByName: string | null })[] = await this.dataSource.query(
      `SELECT ${JOINED_COLUMNS}, u.display_name AS "createdByName"
         FROM job j LEFT JOIN app_user u ON u.id = j.created_by
        WHERE ${where}
        ORDER BY j.created_at DESC, j.id LIMIT $4 OFFSET $5`,
      [...params, filter.limit, filter.offset],
    );
    return { rows, total };
  }

  /**
   * Claims the oldest queued job of these kinds, unless `maxRunning` jobs already run (across every process:
   * the count and the claim happen under one advisory lock), skipping kinds that run up to their own limit.
   * SKIP LOCKED lets several workers claim at once.
   */
  async claim(
    kinds: string[],
    maxRunning: number,
    limits: Record<string, number> = {},
  ): Promise<JobRow | null> {
    if (!kinds.length) return null;
    return this.dataSource.transaction(async (m) => {
      await m.query('SELECT pg_advisory_xact_lock($1)', [CLAIM_LOCK]);
      const counts: { kind: string; running: number }[] = await m.query(
        `SELECT kind, count(*)::int AS running FROM job WHERE status = 'running' GROUP BY kind`,
      );
      if (counts.reduce((sum, c) => sum + c.running, 0) >= maxRunning) return null;
      const saturated = new Set(
        counts.filter((c) => c.running >= (limits[c.kind] ?? Infinity)).map((c) => c.kind),
      );
      kinds = kinds.filter((k) => !saturated.has(k));
      if (!kinds.length) return null;
      const rows = await returning<JobRow>(
        m,
        `UPDATE job SET status = 'running', started_at = now(), heartbeat_at = now(), attempts = attempts + 1
          WHERE id = (SELECT id FROM job WHERE status = 'queued' AND kind = ANY ($1::text[])
                         AND (run_after IS NULL OR run_after <= now())
                       ORDER BY created_at FOR UPDATE SKIP LOCKED LIMIT 1)
          RETURNING ${COLUMNS}`,
        [kinds],
      );
      return rows[0] ?? null;
    });
  }

  async progress(id: string, done: number, total: number | null): Promise<void> {
    await this.dataSource.query(
      `UPDATE job SET progress = $2, total = coalesce($3, total), heartbeat_at = now() WHERE id = $1`,
      [id, done, total],
    );
  }

  async heartbeat(ids: string[]): Promise<void> {
    if (ids.length)
      await this.dataSource.query(`UPDATE job SET heartbeat_at = now() WHERE id = ANY ($1::uuid[])`, [ids]);
  }

  async succeed(
    id: string,
    outcome: { fileName?: string; filePath?: string; fileType?: string; result?: unknown },
  ): Promise<void> {
    await this.dataSource.query(
      `UPDATE job SET status = 'succeeded', finished_at = now(), progress = coalesce(total, progress), file_name = $2,
              file_path = $3, file_type = $4, result = $5 WHERE id = $1`,
      [
        id,
        outcome.fileName ?? null,
        outcome.filePath ?? null,
        outcome.fileType ?? null,
        outcome.result === undefined ? null : JSON.stringify(outcome.result),
      ],
    );
  }

  /**
   * The queued runs of `kind` due now, other than `runningId`, succeed as merged into it (a job that does all
   * the work due, such as webhook delivery, needs one run however many transactions queued one).
   */
  async mergeQueued(kind: string, runningId: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE job SET status = 'succeeded', finished_at = now(), result = '{"merged": true}'
        WHERE kind = $1 AND status = 'queued' AND id <> $2 AND coalesce(run_after, created_at) <= now()`,
      [kind, runningId],
    );
  }

  async fail(id: string, error: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE job SET status = 'failed', finished_at = now(), error = $2 WHERE id = $1`,
      [id, error.slice(0, 1000)],
    );
  }

  /** Jobs whose process died (no heartbeat for a while) go back to the queue, or fail after 3 attempts. */
  async recoverStale(olderThanSeconds: number): Promise<number> {
    const rows = await returning(
      this.dataSource,
      `UPDATE job SET status = CASE WHEN attempts >= 3 THEN 'failed' ELSE 'queued' END,
              error = CASE WHEN attempts >= 3 THEN 'Tiến trình xử lý đã dừng giữa chừng nhiều lần.' ELSE error END,
              finished_at = CASE WHEN attempts >= 3 THEN now() ELSE NULL END
        WHERE status = 'running' AND heartbeat_at < now() - make_interval(secs => $1::int)
        RETURNING id`,
      [olderThanSeconds],
    );
    return rows.length;
  }
}
