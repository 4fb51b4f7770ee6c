import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Principal } from '../../access/src';
import { currentRequest, Page, page, RequestContext } from '../../platform/src';
import { AuditEntryDto, AuditQueryDto } from './audit.dto';
import { AuditRepository, AuditRow } from './audit.repository';

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

/** The row an entry is stored as: the actor, request id and address default to the request's. */
function toRow(entry: AuditEntry, context: RequestContext): AuditRow {
  return {
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
  };
}

/**
 * The audit trail every module writes to. Pass the transaction's EntityManager so the entry commits (or
 * rolls back) with the change it describes; request id, address and actor come from the request context.
 */
@Injectable()
export class AuditService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: AuditRepository,
  ) {}

  async record(entry: AuditEntry, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await this.repository.insert(manager, toRow(entry, currentRequest()));
  }

  /**
   * Several entries in one statement, in order (a sync batch writes one per class), stored exactly as
   * `record` stores each.
   */
  async recordMany(entries: AuditEntry[], manager: EntityManager = this.dataSource.manager): Promise<void> {
    if (!entries.length) return;
    const context = currentRequest();
    await this.repository.insertMany(
      manager,
      entries.map((entry) => toRow(entry, context)),
    );
  }

  /** Administrators read everything; steering members the entries that touch their subtrees. */
  async list(principal: Principal, query: AuditQueryDto): Promise<Page<AuditEntryDto>> {
    const { rows, total } = await this.repository.list(principal, query, query.limit, query.offset);
    return page(
      rows.map((row) => ({ ...row, at: new Date(row.at).toISOString() })),
      total,
      query,
    );
  }
}
