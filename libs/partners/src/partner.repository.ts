import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { pagedQuery } from '../../platform/src';
import { PartnerKind, PartnerStatus } from './partner.entities';

export interface ClientRow {
  id: string;
  name: string;
  kind: PartnerKind;
  contactName: string | null;
  contactEmail: string | null;
  contactPhone: string | null;
  unitId: number;
  unitCode: string;
  unitName: string;
  unitPath: string;
  status: PartnerStatus;
  activeKeys: number;
  createdAt: Date;
}

export interface ClientWrite {
  name: string;
  kind: PartnerKind;
  contactName: string | null;
  contactEmail: string | null;
  contactPhone: string | null;
  unitId: number;
  status: PartnerStatus;
}

export interface KeyRow {
  id: string;
  clientId: string;
  name: string;
  prefix: string;
  programIds: string[];
  programs: { id: string; code: string; name: string }[];
  unitId: number;
  unitCode: string;
  unitName: string;
  unitPath: string;
  rateLimit: number;
  expiresAt: Date;
  revokedAt: Date | null;
  revokedReason: string | null;
  rotatedFromId: string | null;
  lastUsedAt: Date | null;
  createdAt: Date;
}

export interface KeyWrite {
  clientId: string;
  name: string;
  prefix: string;
  hash: string;
  programIds: string[];
  unitId: number;
  rateLimit: number;
  expiresAt: Date;
  rotatedFromId: string | null;
}

/** What the guard needs to know about the key a request carries (one indexed lookup by its hash). */
export interface KeyAuthRow extends KeyRow {
  clientName: string;
  clientStatus: PartnerStatus;
}

const CLIENT_SELECT = `
  SELECT c.id, c.name, c.kind, c.contact_name AS "contactName", c.contact_email AS "contactEmail",
         c.contact_phone AS "contactPhone", c.unit_id AS "unitId", u.code AS "unitCode", u.full_name AS "unitName",
         u.path AS "unitPath", c.status, c.created_at AS "createdAt",
         (SELECT count(*)::int FROM partner_key k
           WHERE k.client_id = c.id AND k.revoked_at IS NULL AND k.expires_at > now()) AS "activeKeys"
    FROM partner_client c JOIN admin_unit u ON u.id = c.unit_id`;

const KEY_SELECT = `
  SELECT k.id, k.client_id AS "clientId", k.name, k.prefix, k.program_ids AS "programIds",
         coalesce((SELECT json_agg(json_build_object('id', g.id, 'code', g.code, 'name', g.name) ORDER BY g.code)
                     FROM program g WHERE g.id = ANY (k.program_ids)), '[]') AS programs,
         k.unit_id AS "unitId", u.code AS "unitCode", u.full_name AS "unitName", u.path AS "unitPath",
         k.rate_limit AS "rateLimit", k.expires_at AS "expiresAt", k.revoked_at AS "revokedAt",
         k.revoked_reason AS "revokedReason", k.rotated_from_id AS "rotatedFromId", k.last_used_at AS "lastUsedAt",
         k.created_at AS "createdAt"
    FROM partner_key k JOIN admin_unit u ON u.id = k.unit_id`;

const CLIENT_COLUMNS = [
  'name',
  'kind',
  'contact_name',
  'contact_email',
  'contact_phone',
  'unit_id',
  'status',
];
const clientValues = (c: ClientWrite) => [
  c.name,
  c.kind,
  c.contactName,
  c.contactEmail,
  c.contactPhone,
  c.unitId,
  c.status,
];

@Injectable()
export class PartnerRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insertClient(m: EntityManager, client: ClientWrite, createdBy: string): Promise<string> {
    const [row]: { id: string }[] = await m.query(
      `INSERT INTO partner_client (${CLIENT_COLUMNS.join(', ')}, created_by)
       VALUES (${CLIENT_COLUMNS.map((_c, i) => `$${i + 1}`).join(', ')}, $${CLIENT_COLUMNS.length + 1}) RETURNING id`,
      [...clientValues(client), createdBy],
    );
    return row.id;
  }

  async updateClient(m: EntityManager, id: string, client: ClientWrite): Promise<void> {
    await m.query(
      `UPDATE partner_client SET ${CLIENT_COLUMNS.map((c, i) => `${c} = $${i + 2}`).join(', ')}, updated_at = now()
        WHERE id = $1`,
      [id, ...clientValues(client)],
    );
  }

  async findClient(id: string, m: EntityManager = this.dataSource.manager): Promise<ClientRow | null> {
    const rows: ClientRow[] = await m.query(`${CLIENT_SELECT} WHERE c.id = $1`, [id]);
    return rows[0] ?? null;
  }

  /** A page of clients under `scope` (SQL on alias u, the client's unit). */
  async listClients(scope: string, params: unknown[], limit: number, offset: number) {
    return pagedQuery<ClientRow>(
      this.dataSource,
      `${CLIENT_SELECT} WHERE ${scope}`,
      params,
      'name, id',
      limit,
      offset,
    );
  }

  async insertKey(m: EntityManager, key: KeyWrite, createdBy: string): Promise<string> {
    const [row]: { id: string }[] = await m.query(
      `INSERT INTO partner_key (client_id, name, prefix, secret_hash, program_ids, unit_id, rate_limit, expires_at,
                                rotated_from_id, created_by)
       VALUES ($1, $2, $3, $4, $5::uuid[], $6, $7, $8, $9, $10) RETURNING id`,
      [
        key.clientId,
        key.name,
        key.prefix,
        key.hash,
        key.programIds,
        key.unitId,
        key.rateLimit,
        key.expiresAt,
        key.rotatedFromId,
        createdBy,
      ],
    );
    return row.id;
  }

  async listKeys(clientId: string): Promise<KeyRow[]> {
    return this.dataSource.query(`${KEY_SELECT} WHERE k.client_id = $1 ORDER BY k.created_at DESC, k.id`, [
      clientId,
    ]);
  }

  async findKey(
    clientId: string,
    keyId: string,
    m: EntityManager = this.dataSource.manager,
  ): Promise<KeyRow | null> {
    const rows: KeyRow[] = await m.query(`${KEY_SELECT} WHERE k.client_id = $1 AND k.id = $2`, [
      clientId,
      keyId,
    ]);
    return rows[0] ?? null;
  }

  async lockKey(m: EntityManager, keyId: string): Promise<void> {
    await m.query(`SELECT 1 FROM partner_key WHERE id = $1 FOR UPDATE`, [keyId]);
  }

  async revokeKey(m: EntityManager, keyId: string, at: Date, reason: string): Promise<void> {
    await m.query(
      `UPDATE partner_key SET revoked_at = $2, revoked_reason = $3 WHERE id = $1 AND revoked_at IS NULL`,
      [keyId, at, reason],
    );
  }

  /** A rotated key keeps working until the end of the overlap (or its own expiry, if sooner). */
  async expireBy(m: EntityManager, keyId: string, at: Date): Promise<void> {
    await m.query(`UPDATE partner_key SET expires_at = least(expires_at, $2) WHERE id = $1`, [keyId, at]);
  }

  /** The key with this hash, its client and scope — served by uq_partner_key_secret. */
  async byHash(hash: string): Promise<KeyAuthRow | null> {
    const rows: KeyAuthRow[] = await this.dataSource.query(
      `SELECT x.*, c.name AS "clientName", c.status AS "clientStatus"
         FROM (${KEY_SELECT} WHERE k.secret_hash = $1) x JOIN partner_client c ON c.id = x."clientId"`,
      [hash],
    );
    return rows[0] ?? null;
  }

  /**
   * Counts one call in the key's one-minute window (a fixed window, shared by every API process through this
   * row) and notes when the key was last used (at most once a minute, so a busy key is not rewritten on every
   * call). One statement; returns the calls so far in the window and when it began.
   */
  async countCall(keyId: string, now: Date): Promise<{ calls: number; windowStart: Date }> {
    const [row]: { calls: number; windowStart: Date }[] = await this.dataSource.query(
      `WITH w AS (
         INSERT INTO partner_rate_window AS w (key_id, window_start, calls) VALUES ($1, $2, 1)
         ON CONFLICT (key_id) DO UPDATE SET
           calls = CASE WHEN w.window_start <= $2::timestamptz - interval '1 minute' THEN 1 ELSE w.calls + 1 END,
           window_start = CASE WHEN w.window_start <= $2::timestamptz - interval '1 minute'
                               THEN $2::timestamptz ELSE w.window_start END
         RETURNING calls, window_start),
       used AS (
         UPDATE partner_key SET last_used_at = $2
          WHERE id = $1 AND (last_used_at IS NULL OR last_used_at <= $2::timestamptz - interval '1 minute'))
       SELECT calls, window_start AS "windowStart" FROM w`,
      [keyId, now],
    );
    return { calls: Number(row.calls), windowStart: new Date(row.windowStart) };
  }

  /** The programs among `ids` that exist, with the path of the unit that owns each. */
  async programOwnerPaths(ids: string[]): Promise<{ id: string; path: string }[]> {
    return this.dataSource.query(
      `SELECT g.id, u.path FROM program g JOIN admin_unit u ON u.id = g.owner_unit_id WHERE g.id = ANY ($1::uuid[])`,
      [ids],
    );
  }
}
