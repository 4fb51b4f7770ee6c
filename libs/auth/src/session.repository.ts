import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

export interface RefreshTokenRow {
  id: string;
  sessionId: string;
  userId: string;
  expiresAt: Date;
  usedAt: Date | null;
  sessionRevokedAt: Date | null;
  oidcProvider: string | null;
  oidcIdToken: string | null;
}

/** Login sessions: the families of rotating refresh tokens. */
@Injectable()
export class SessionRepository {
  async createSession(
    m: EntityManager,
    userId: string,
    ip: string | null,
    userAgent: string | null,
    oidc?: { provider: string; idToken: string },
  ): Promise<string> {
    const [row]: { id: string }[] = await m.query(
      `INSERT INTO auth_session (user_id, ip, user_agent, oidc_provider, oidc_id_token)
       VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [userId, ip, userAgent?.slice(0, 300) ?? null, oidc?.provider ?? null, oidc?.idToken ?? null],
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
              t.used_at AS "usedAt", s.revoked_at AS "sessionRevokedAt",
              s.oidc_provider AS "oidcProvider", s.oidc_id_token AS "oidcIdToken"
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
}
