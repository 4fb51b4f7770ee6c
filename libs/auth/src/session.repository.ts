import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

export interface RefreshTokenRow {
  id: string;
  sessionId: string;
  userId: string;
  expiresAt: Date;
  usedAt: Date | null;
  sessionRevokedAt: Date | null;
}

/** Login sessions (refresh-token families) and failed-login counters. */
@Injectable()
export class SessionRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async createSession(
    m: EntityManager,
    userId: string,
    ip: string | null,
    userAgent: string | null,
  ): Promise<string> {
    const [row]: { id: string }[] = await m.query(
      `INSERT INTO auth_session (user_id, ip, user_agent) VALUES ($1, $2, $3) RETURNING id`,
      [userId, ip, userAgent?.slice(0, 300) ?? null],
    );
    return row.id;
  }

  async addRefreshToken(m: EntityManager, sessionId: string, hash: string, expiresAt: Date): Promise<void> {
    await m.query(`INSERT INTO refresh_token (session_id, token_hash, expires_at) VALUES ($1, $2, $3)`, [
      sessionId,
      hash,
      expiresAt,
    ]);
  }

  /** The token and its session, locked: two refreshes with one token are serialised, the second is reuse. */
  async lockRefreshToken(m: EntityManager, hash: string): Promise<RefreshTokenRow | null> {
    const rows: RefreshTokenRow[] = await m.query(
      `SELECT t.id, t.session_id AS "sessionId", s.user_id AS "userId", t.expires_at AS "expiresAt",
              t.used_at AS "usedAt", s.revoked_at AS "sessionRevokedAt"
         FROM refresh_token t JOIN auth_session s ON s.id = t.session_id
        WHERE t.token_hash = $1
        FOR UPDATE OF t, s`,
      [hash],
    );
    return rows[0] ?? null;
  }

  async markUsed(m: EntityManager, tokenId: string, at: Date): Promise<void> {
    await m.query(`UPDATE refresh_token SET used_at = $2 WHERE id = $1`, [tokenId, at]);
  }

  async revokeSession(m: EntityManager, sessionId: string, reason: string, at: Date): Promise<void> {
    await m.query(
      `UPDATE auth_session SET revoked_at = $2, revoked_reason = $3 WHERE id = $1 AND revoked_at IS NULL`,
      [sessionId, at, reason],
    );
  }

  /** Ends every session of a user (password change or reset, disabling), optionally sparing one. */
  async revokeUserSessions(
    m: EntityManager,
    userId: string,
    reason: string,
    at: Date,
    except?: string,
  ): Promise<void> {
    await m.query(
      `UPDATE auth_session SET revoked_at = $2, revoked_reason = $3
        WHERE user_id = $1 AND revoked_at IS NULL AND id IS DISTINCT FROM $4::uuid`,
      [userId, at, reason, except ?? null],
    );
  }

  /** The latest lock among these keys still in force at `now`, if any. */
  async lockedUntil(keys: string[], now: Date): Promise<Date | null> {
    const [row]: { until: Date | null }[] = await this.dataSource.query(
      `SELECT max(locked_until) AS until FROM login_throttle WHERE key = ANY ($1::text[]) AND locked_until > $2`,
      [keys, now],
    );
    return row.until;
  }

  /**
   * Counts a failure for `key` in a window of `windowMinutes`; reaching `limit` locks the key for the same
   * time. One statement, so concurrent failures from several API processes all count.
   */
  async countFailure(key: string, now: Date, limit: number, windowMinutes: number): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO login_throttle AS t (key, failures, window_start, locked_until)
       VALUES ($1, 1, $2::timestamptz, CASE WHEN $3::int <= 1 THEN $2::timestamptz + make_interval(mins => $4::int) END)
       ON CONFLICT (key) DO UPDATE SET
         failures = CASE WHEN t.window_start <= $2::timestamptz - make_interval(mins => $4::int) THEN 1 ELSE t.failures + 1 END,
         window_start = CASE WHEN t.window_start <= $2::timestamptz - make_interval(mins => $4::int) THEN $2::timestamptz ELSE t.window_start END,
         locked_until = CASE
           WHEN (CASE WHEN t.window_start <= $2::timestamptz - make_interval(mins => $4::int) THEN 1 ELSE t.failures + 1 END) >= $3
           THEN $2::timestamptz + make_interval(mins => $4::int)
           ELSE t.locked_until END`,
      [key, now, limit, windowMinutes],
    );
  }

  async clearFailures(key: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM login_throttle WHERE key = $1`, [key]);
  }
}
