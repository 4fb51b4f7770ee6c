import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/**
 * Failure counters per key (`login:…`, `ip:…`, `checkin:…`, `verify:…`) in PostgreSQL, shared by every API
 * process: past a limit within a window the key is locked for the same length of time.
 */
export interface ThrottleKey {
  key: string;
  limit: number;
}

/** A key's window is over once it began a window ago and no lock is still in force. */
const EXPIRED = `(t.window_start <= $3::timestamptz - make_interval(mins => $4::int)
                  AND (t.locked_until IS NULL OR t.locked_until <= $3::timestamptz))`;

@Injectable()
export class ThrottleRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The latest lock among these keys still in force at `now`, if any. */
  async lockedUntil(keys: string[], now: Date): Promise<Date | null> {
    const [row]: { until: Date | null }[] = await this.dataSource.query(
      `SELECT max(locked_until) AS until FROM login_throttle WHERE key = ANY ($1::text[]) AND locked_until > $2`,
      [keys, now],
    );
    return row.until;
  }

  /** Counts one event for `key`; reaching `limit` within `windowMinutes` locks the key for that long. */
  async count(key: string, now: Date, limit: number, windowMinutes: number): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO login_throttle AS t (key, failures, window_start, locked_until)
       VALUES ($1, 1, $2::timestamptz, CASE WHEN $3::int <= 1 THEN $2::timestamptz + make_interval(mins => $4::int) END)
       ON CONFLICT (key) DO UPDATE SET
         failures = CASE WHEN t.window_start <= $2::timestamptz - make_interval(mins => $4::int) THEN 1 ELSE t.failures + 1 END,
         window_start = CASE WHEN t.window_start <= $2::timestamptz - make_interval(mins => $4::int)
                             THEN $2::timestamptz ELSE t.window_start END,
         locked_until = CASE
           WHEN (CASE WHEN t.window_start <= $2::timestamptz - make_interval(mins => $4::int) THEN 1 ELSE t.failures + 1 END) >= $3
           THEN $2::timestamptz + make_interval(mins => $4::int)
           ELSE t.locked_until END`,
      [key.slice(0, 300), now, limit, windowMinutes],
    );
  }

  /**
   * Counts one attempt on each key *before* the attempt is checked, in one statement: under any
   * concurrency at most `limit` attempts per key get through, and the one that reaches the limit locks the
   * key for `windowMinutes`. Returns null when every key allowed the attempt, else the latest lock among
   * those that refused it (the caller answers 429 with Retry-After). Keys are taken in order, so that
   * concurrent attempts on overlapping keys never deadlock.
   */
  async attempt(keys: ThrottleKey[], now: Date, windowMinutes: number): Promise<Date | null> {
    const rows: { key: string; failures: number; locked_until: Date | null }[] = await this.dataSource.query(
      `WITH input AS (SELECT * FROM unnest($1::text[], $2::int[]) AS k(key, lim))
       INSERT INTO login_throttle AS t (key, failures, window_start, locked_until)
       SELECT key, 1, $3::timestamptz,
              CASE WHEN lim <= 1 THEN $3::timestamptz + make_interval(mins => $4::int) END
       FROM input ORDER BY key
       ON CONFLICT (key) DO UPDATE SET
         failures = CASE WHEN ${EXPIRED} THEN 1 ELSE t.failures + 1 END,
         window_start = CASE WHEN ${EXPIRED} THEN $3::timestamptz ELSE t.window_start END,
         locked_until = CASE
           WHEN (CASE WHEN ${EXPIRED} THEN 1 ELSE t.failures + 1 END)
                = (SELECT lim FROM input WHERE input.key = EXCLUDED.key)
           THEN $3::timestamptz + make_interval(mins => $4::int)
           WHEN ${EXPIRED} THEN NULL
           ELSE t.locked_until END
       RETURNING key, failures, locked_until`,
      [keys.map((k) => k.key.slice(0, 300)), keys.map((k) => k.limit), now, windowMinutes],
    );
    const limits = new Map(keys.map((k) => [k.key.slice(0, 300), k.limit]));
    const refused = rows.filter((row) => row.failures > limits.get(row.key)!);
    if (!refused.length) return null;
    const fallback = new Date(now.getTime() + windowMinutes * 60_000);
    return new Date(Math.max(...refused.map((row) => (row.locked_until ?? fallback).getTime())));
  }

  /**
   * Takes back an attempt that turned out legitimate (a successful login) from shared keys: it no longer
   * counts against the address or the account, and a lock its own count set is lifted.
   */
  async release(keys: ThrottleKey[]): Promise<void> {
    // One row per statement: a statement holds its row's lock only while it runs, so no deadlock.
    for (const { key, limit } of keys) {
      await this.dataSource.query(
        `UPDATE login_throttle SET
           failures = greatest(failures - 1, 0),
           locked_until = CASE WHEN failures - 1 < $2 THEN NULL ELSE locked_until END
         WHERE key = $1`,
        [key.slice(0, 300), limit],
      );
    }
  }

  async clear(key: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM login_throttle WHERE key = $1`, [key.slice(0, 300)]);
  }
}
