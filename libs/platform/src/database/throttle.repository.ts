import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/**
 * Failure counters per key (`login:…`, `ip:…`, `checkin:…`, `verify:…`) in PostgreSQL, shared by every API
 * process: past a limit within a window the key is locked for the same length of time.
 */
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

  async clear(key: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM login_throttle WHERE key = $1`, [key.slice(0, 300)]);
  }
}
