import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Policy, Principal } from '../../access/src';
import { pagedQuery } from '../../platform/src';
import { AuditEntryDto } from './audit.dto';

/** One audit_log row as written: `before` and `after` already JSON text. */
export interface AuditRow {
  actor: string | null;
  action: string;
  type: string;
  id: string | null;
  before: string | null;
  after: string | null;
  paths: string[];
  request: string | null;
  ip: string | null;
  name: string | null;
}

/** What the audit list is filtered by (each optional). */
export interface AuditFilter {
  entityType?: string;
  entityId?: string;
  action?: string;
  from?: string;
  to?: string;
}

/** The audit log (audit_log): appended to, and read in scope. */
@Injectable()
export class AuditRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(manager: EntityManager, row: AuditRow): Promise<void> {
    await manager.query(
      `INSERT INTO audit_log (actor_id, action, entity_type, entity_id, before, after, scope_paths, request_id, ip,
                              actor_name)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        row.actor,
        row.action,
        row.type,
        row.id,
        row.before,
        row.after,
        row.paths,
        row.request,
        row.ip,
        row.name,
      ],
    );
  }

  /** Several rows in one statement, in order. */
  async insertMany(manager: EntityManager, rows: AuditRow[]): Promise<void> {
    await manager.query(
      `INSERT INTO audit_log (actor_id, action, entity_type, entity_id, before, after, scope_paths, request_id, ip,
                              actor_name)
       SELECT x.actor, x.action, x.type, x.id, x.before::jsonb, x.after::jsonb,
              ARRAY(SELECT jsonb_array_elements_text(x.paths)), x.request, x.ip, x.name
         FROM ROWS FROM (jsonb_to_recordset($1::jsonb) AS (actor uuid, action text, type text, id text, before text,
                                                          after text, paths jsonb, request text, ip text, name text))
              WITH ORDINALITY AS x(actor, action, type, id, before, after, paths, request, ip, name, n)
        ORDER BY x.n`,
      [JSON.stringify(rows)],
    );
  }

  /** Administrators read everything; steering members the entries that touch their subtrees. Newest first. */
  list(
    principal: Principal,
    filter: AuditFilter,
    limit: number,
    offset: number,
  ): Promise<{ rows: (AuditEntryDto & { at: Date })[]; total: number }> {
    const params: unknown[] = [];
    const conditions: string[] = [];
    if (!Policy.isAdmin(principal)) {
      const inScope = Policy.sqlScope(principal, ['steering'], 'path', params);
      conditions.push(`EXISTS (SELECT 1 FROM unnest(l.scope_paths) AS path WHERE ${inScope})`);
    }
    const where = (condition: string, value: string | undefined) => {
      if (value === undefined) return;
      params.push(value);
      conditions.push(condition.replace('?', `$${params.length}`));
    };
    where('l.entity_type = ?', filter.entityType);
    where('l.entity_id = ?', filter.entityId);
    where('l.action = ?', filter.action);
    where('l.at >= ?', filter.from);
    where('l.at < ?', filter.to);
    return pagedQuery<AuditEntryDto & { at: Date }>(
      this.dataSource,
      `SELECT l.id::text AS id, l.at, l.actor_id AS "actorId", u.login AS "actorLogin", l.actor_name AS "actorName", l.action,
              l.entity_type AS "entityType", l.entity_id AS "entityId", l.before, l.after,
              l.request_id AS "requestId", l.ip
         FROM audit_log l LEFT JOIN app_user u ON u.id = l.actor_id
        WHERE ${conditions.length ? conditions.join(' AND ') : 'TRUE'}`,
      params,
      'at DESC, id DESC',
      limit,
      offset,
    );
  }
}
