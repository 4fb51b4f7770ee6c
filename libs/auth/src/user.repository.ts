import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Assignment, Policy, Principal, Role } from '../../access/src';
import { pagedQuery, personNameSortKey, returning } from '../../platform/src';

/** The advisory lock taken while the first administrator is created. */
const ADMIN_LOCK = 7_402_003;

export interface AssignmentRow extends Assignment {
  unitFullName: string | null;
  organisationName: string | null;
}

export interface UserRow {
  id: string;
  login: string;
  displayName: string;
  status: 'active' | 'disabled';
  mustChangePassword: boolean;
  personId: string | null;
  createdAt: Date;
  assignments: AssignmentRow[];
}

const ASSIGNMENTS = `
  coalesce((SELECT json_agg(json_build_object(
      'id', a.id, 'role', a.role, 'unitId', a.unit_id, 'unitCode', un.code, 'unitPath', un.path,
      'unitFullName', un.full_name, 'organisationId', a.organisation_id, 'organisationName', o.name,
      'organisationUnitPath', ou.path)
      ORDER BY a.created_at, array_position(ARRAY['admin', 'steering', 'department_head', 'trainer', 'viewer'], a.role::text), a.id)
    FROM role_assignment a
    LEFT JOIN admin_unit un ON un.id = a.unit_id
    LEFT JOIN organisation o ON o.id = a.organisation_id
    LEFT JOIN admin_unit ou ON ou.id = o.unit_id
   WHERE a.user_id = u.id), '[]'::json) AS assignments`;

/** The unit paths a user's assignments reach: the scope of audit entries about them. */
export const SCOPE_PATHS = `
  coalesce((SELECT array_agg(DISTINCT coalesce(un.path, ou.path))
     FROM role_assignment a
     LEFT JOIN admin_unit un ON un.id = a.unit_id
     LEFT JOIN organisation o ON o.id = a.organisation_id
     LEFT JOIN admin_unit ou ON ou.id = o.unit_id
    WHERE a.user_id = u.id AND coalesce(un.path, ou.path) IS NOT NULL), '{}') AS "scopePaths"`;

const USER_COLUMNS = `u.id, u.login, u.display_name AS "displayName", u.status,
  u.must_change_password AS "mustChangePassword", u.person_id AS "personId", u.created_at AS "createdAt",
  ${ASSIGNMENTS}`;

/** Users and their role assignments. List queries carry the caller's scope in SQL. */
@Injectable()
export class UserRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The principal for a request: only an active user on a live session. */
  async loadPrincipal(
    userId: string,
    sessionId: string,
    m: EntityManager = this.dataSource.manager,
  ): Promise<Principal | null> {
    const rows: (Principal & { status: string })[] = await m.query(
      `SELECT u.id, u.login, u.display_name AS "displayName", u.status,
              u.must_change_password AS "mustChangePassword", s.id AS "sessionId", u.person_id AS "personId",
              ${ASSIGNMENTS}
         FROM app_user u JOIN auth_session s ON s.id = $2 AND s.user_id = u.id AND s.revoked_at IS NULL
        WHERE u.id = $1`,
      [userId, sessionId],
    );
    const row = rows[0];
    if (!row || row.status !== 'active') return null;
    const { status: _status, ...principal } = row;
    return principal;
  }

  async credentialsByLogin(login: string): Promise<{
    id: string;
    passwordHash: string;
    status: string;
    scopePaths: string[];
    roles: Role[];
  } | null> {
    const rows: { id: string; passwordHash: string; status: string; scopePaths: string[]; roles: Role[] }[] =
      await this.dataSource.query(
        `SELECT u.id, u.password_hash AS "passwordHash", u.status, ${SCOPE_PATHS},
                coalesce((SELECT array_agg(DISTINCT a.role::text) FROM role_assignment a WHERE a.user_id = u.id), '{}') AS roles
           FROM app_user u WHERE u.login = $1`,
        [login],
      );
    return rows[0] ?? null;
  }

  async scopePaths(m: EntityManager, userId: string): Promise<string[]> {
    const [row]: { scopePaths: string[] }[] = await m.query(
      `SELECT ${SCOPE_PATHS} FROM app_user u WHERE u.id = $1`,
      [userId],
    );
    return row?.scopePaths ?? [];
  }

  async passwordHash(m: EntityManager, userId: string): Promise<string | null> {
    const rows: { hash: string }[] = await m.query(
      `SELECT password_hash AS hash FROM app_user WHERE id = $1`,
      [userId],
    );
    return rows[0]?.hash ?? null;
  }

  async findById(id: string, m: EntityManager = this.dataSource.manager): Promise<UserRow | null> {
    const rows: UserRow[] = await m.query(`SELECT ${USER_COLUMNS} FROM app_user u WHERE u.id = $1`, [id]);
    return rows[0] ?? null;
  }

  /** Users with at least one assignment inside the caller's steering subtrees (all, for an administrator). */
  async list(
    principal: Principal,
    filter: { q?: string; status?: string; role?: Role },
    limit: number,
    offset: number,
  ): Promise<{ rows: UserRow[]; total: number }> {
    const params: unknown[] = [];
    const scope = Policy.sqlScope(principal, ['steering'], 'coalesce(un.path, ou.path)', params);
    const conditions = [
      Policy.isAdmin(principal)
        ? 'TRUE'
        : `EXISTS (SELECT 1 FROM role_assignment a
                     LEFT JOIN admin_unit un ON un.id = a.unit_id
                     LEFT JOIN organisation o ON o.id = a.organisation_id
                     LEFT JOIN admin_unit ou ON ou.id = o.unit_id
                    WHERE a.user_id = u.id AND ${scope})`,
    ];
    if (filter.q) {
      params.push(`%${filter.q.toLowerCase()}%`);
      conditions.push(
        `(lower(u.login) LIKE $${params.length} OR lower(u.display_name) LIKE $${params.length})`,
      );
    }
    if (filter.status) {
      params.push(filter.status);
      conditions.push(`u.status = $${params.length}`);
    }
    if (filter.role) {
      params.push(filter.role);
      conditions.push(
        `EXISTS (SELECT 1 FROM role_assignment r WHERE r.user_id = u.id AND r.role = $${params.length})`,
      );
    }
    return pagedQuery<UserRow>(
      this.dataSource,
      `SELECT ${USER_COLUMNS}, u.sort_key FROM app_user u WHERE ${conditions.join(' AND ')}`,
      params,
      'sort_key, id',
      limit,
      offset,
    );
  }

  async idByLogin(m: EntityManager, login: string): Promise<string | null> {
    const [existing]: { id: string }[] = await m.query(`SELECT id FROM app_user WHERE login = $1`, [login]);
    return existing?.id ?? null;
  }

  async loginExists(m: EntityManager, login: string): Promise<boolean> {
    const rows: unknown[] = await m.query(`SELECT 1 FROM app_user WHERE login = $1`, [login]);
    return rows.length > 0;
  }

  async insert(
    m: EntityManager,
    user: { login: string; displayName: string; passwordHash: string; mustChangePassword: boolean },
  ): Promise<string> {
    const [row]: { id: string }[] = await m.query(
      `INSERT INTO app_user (login, display_name, sort_key, password_hash, must_change_password)
       VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [
        user.login,
        user.displayName,
        personNameSortKey(user.displayName),
        user.passwordHash,
        user.mustChangePassword,
      ],
    );
    return row.id;
  }

  async setPerson(m: EntityManager, id: string, personId: string | null): Promise<void> {
    await m.query(`UPDATE app_user SET person_id = $2, updated_at = now() WHERE id = $1`, [id, personId]);
  }

  async personExists(m: EntityManager, personId: string): Promise<boolean> {
    const rows: unknown[] = await m.query(`SELECT 1 FROM person WHERE id = $1 AND merged_into_id IS NULL`, [
      personId,
    ]);
    return rows.length > 0;
  }

  async update(
    m: EntityManager,
    id: string,
    changes: { displayName?: string; status?: string },
  ): Promise<void> {
    await m.query(
      `UPDATE app_user SET display_name = coalesce($2, display_name),
              sort_key = CASE WHEN $2::text IS NULL THEN sort_key ELSE $3 END,
              status = coalesce($4, status), updated_at = now()
        WHERE id = $1`,
      [
        id,
        changes.displayName ?? null,
        changes.displayName ? personNameSortKey(changes.displayName) : null,
        changes.status ?? null,
      ],
    );
  }

  async setPassword(m: EntityManager, id: string, passwordHash: string, mustChange: boolean): Promise<void> {
    await m.query(
      `UPDATE app_user SET password_hash = $2, must_change_password = $3, password_changed_at = now(),
              updated_at = now() WHERE id = $1`,
      [id, passwordHash, mustChange],
    );
  }

  async lockUser(m: EntityManager, id: string): Promise<void> {
    await m.query(`SELECT 1 FROM app_user WHERE id = $1 FOR UPDATE`, [id]);
  }

  async insertAssignment(
    m: EntityManager,
    userId: string,
    a: { role: Role; unitId: number | null; organisationId: string | null },
    createdBy: string | null,
  ): Promise<string> {
    const [row]: { id: string }[] = await m.query(
      `INSERT INTO role_assignment (user_id, role, unit_id, organisation_id, created_by)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT DO NOTHING RETURNING id`,
      [userId, a.role, a.unitId, a.organisationId, createdBy],
    );
    return row?.id ?? '';
  }

  async deleteAssignment(m: EntityManager, userId: string, assignmentId: string): Promise<boolean> {
    const rows = await returning(
      m,
      `DELETE FROM role_assignment WHERE id = $1 AND user_id = $2 RETURNING id`,
      [assignmentId, userId],
    );
    return rows.length > 0;
  }

  /** Active administrators other than `exceptUserId`, counted under a lock so two removals cannot race. */
  async otherActiveAdmins(m: EntityManager, exceptUserId: string): Promise<number> {
    await m.query(`SELECT pg_advisory_xact_lock(7402101)`);
    const [row]: { n: number }[] = await m.query(
      `SELECT count(DISTINCT u.id)::int AS n FROM app_user u JOIN role_assignment a ON a.user_id = u.id
        WHERE a.role = 'admin' AND u.status = 'active' AND u.id <> $1`,
      [exceptUserId],
    );
    return row.n;
  }

  async anyActiveAdmin(m: EntityManager): Promise<boolean> {
    const rows: unknown[] = await m.query(
      `SELECT 1 FROM app_user u JOIN role_assignment a ON a.user_id = u.id
        WHERE a.role = 'admin' AND u.status = 'active' LIMIT 1`,
    );
    return rows.length > 0;
  }

  /** Serialises creating the first administrator, for the rest of the transaction. */
  async lockAdminBootstrap(m: EntityManager): Promise<void> {
    await m.query('SELECT pg_advisory_xact_lock($1)', [ADMIN_LOCK]);
  }
}
