import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Policy, Principal } from '../../access/src';
import { currentRequest, Page, page, pagedQuery } from '../../platform/src';
import { AuditEntryDto, AuditQueryDto } from './audit.dto';

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId?: string | null;
  before?: unknown;
  after?: unknown;
  /** Unit paths the entity belongs to: steering members of those subtrees may read the entry. */
  scopePaths?: string[];
  /** Defaults to the authenticated caller of the current request. */
  actorId?: string | null;
  /** The name of an actor that is not a user (defaults to the current request's, with its actor). */
  actorName?: string | null;
}

/**
 * The audit trail every module writes to. Pass the transaction's EntityManager so the entry commits (or
 * rolls back) with the change it describes; request id, address and actor come from the request context.
 */
@Injectable()
export class AuditService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async record(entry: AuditEntry, manager: EntityManager = this.dataSource.manager): Promise<void> {
    const context = currentRequest();
    await manager.query(
      `INSERT INTO audit_log (actor_id, action, entity_type, entity_id, before, after, scope_paths, request_id, ip,
                              actor_name)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        entry.actorId === undefined ? (context.userId ?? null) : entry.actorId,
        entry.action,
        entry.entityType,
        entry.entityId ?? null,
        entry.before === undefined ? null : JSON.stringify(entry.before),
        entry.after === undefined ? null : JSON.stringify(entry.after),
        entry.scopePaths ?? [],
        context.requestId ?? null,
        context.ip ?? null,
        entry.actorName ?? (entry.actorId === undefined ? (context.actorName ?? null) : null),
      ],
    );
  }

  /**
   * Several entries in one statement, in order (a sync batch writes one per class), stored exactly as
   * `record` stores each.
   */
  async recordMany(entries: AuditEntry[], manager: EntityManager = this.dataSource.manager): Promise<void> {
    if (!entries.length) return;
    const context = currentRequest();
    const rows = entries.map((entry) => ({
      actor: entry.actorId === undefined ? (context.userId ?? null) : entry.actorId,
      action: entry.action,
      type: entry.entityType,
      id: entry.entityId ?? null,
      before: entry.before === undefined ? null : JSON.stringify(entry.before),
      after: entry.after === undefined ? null : JSON.stringify(entry.after),
      paths: entry.scopePaths ?? [],
      request: context.requestId ?? null,
      ip: context.ip ?? null,
      name: entry.actorName ?? (entry.actorId === undefined ? (context.actorName ?? null) : null),
    }));
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

  /** Administrators read everything; steering members the entries that touch their subtrees. */
  async list(principal: Principal, query: AuditQueryDto): Promise<Page<AuditEntryDto>> {
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
    where('l.entity_type = ?', query.entityType);
    where('l.entity_id = ?', query.entityId);
    where('l.action = ?', query.action);
    where('l.at >= ?', query.from);
    where('l.at < ?', query.to);
    const { rows, total } = await pagedQuery<AuditEntryDto & { at: Date }>(
      this.dataSource,
      `SELECT l.id::text AS id, l.at, l.actor_id AS "actorId", u.login AS "actorLogin", l.actor_name AS "actorName", l.action,
              l.entity_type AS "entityType", l.entity_id AS "entityId", l.before, l.after,
              l.request_id AS "requestId", l.ip
         FROM audit_log l LEFT JOIN app_user u ON u.id = l.actor_id
        WHERE ${conditions.length ? conditions.join(' AND ') : 'TRUE'}`,
      params,
      'at DESC, id DESC',
      query.limit,
      query.offset,
    );
    return page(
      rows.map((row) => ({ ...row, at: new Date(row.at).toISOString() })),
      total,
      query,
    );
  }
}
