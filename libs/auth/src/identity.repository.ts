import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

export interface IdentityRow {
  id: string;
  userId: string;
  provider: string;
  subject: string;
  createdAt: Date;
  lastLoginAt: Date | null;
}

const COLUMNS = `i.id, i.user_id AS "userId", i.provider, i.subject, i.created_at AS "createdAt",
  i.last_login_at AS "lastLoginAt"`;

/** Identities at OpenID providers linked to staff accounts. */
@Injectable()
export class IdentityRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async find(provider: string, subject: string): Promise<(IdentityRow & { status: string }) | null> {
    const rows: (IdentityRow & { status: string })[] = await this.dataSource.query(
      `SELECT ${COLUMNS}, u.status FROM user_identity i JOIN app_user u ON u.id = i.user_id
        WHERE i.provider = $1 AND i.subject = $2`,
      [provider, subject],
    );
    return rows[0] ?? null;
  }

  list(userId: string): Promise<IdentityRow[]> {
    return this.dataSource.query(
      `SELECT ${COLUMNS} FROM user_identity i WHERE i.user_id = $1 ORDER BY i.created_at, i.id`,
      [userId],
    );
  }

  /** Null when the identity is already linked (to this account or another). */
  async link(
    m: EntityManager,
    userId: string,
    provider: string,
    subject: string,
    createdBy: string | null,
  ): Promise<IdentityRow | null> {
    const rows: IdentityRow[] = await m.query(
      `INSERT INTO user_identity AS i (user_id, provider, subject, created_by) VALUES ($1, $2, $3, $4)
       ON CONFLICT ON CONSTRAINT uq_user_identity_subject DO NOTHING
       RETURNING ${COLUMNS}`,
      [userId, provider, subject, createdBy],
    );
    return rows[0] ?? null;
  }

  async unlink(m: EntityManager, userId: string, identityId: string): Promise<IdentityRow | null> {
    // A DELETE answers [rows, count] through TypeORM's query().
    const [rows]: [IdentityRow[], number] = await m.query(
      `DELETE FROM user_identity i WHERE i.id = $1 AND i.user_id = $2 RETURNING ${COLUMNS}`,
      [identityId, userId],
    );
    return rows[0] ?? null;
  }

  async touch(id: string, at: Date): Promise<void> {
    await this.dataSource.query(`UPDATE user_identity SET last_login_at = $2 WHERE id = $1`, [id, at]);
  }

  /** The active account whose login is this e-mail address (for a provider allowed to link by verified e-mail). */
  async userByLogin(login: string): Promise<string | null> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM app_user WHERE login = $1 AND status = 'active'`,
      [login],
    );
    return rows[0]?.id ?? null;
  }
}
