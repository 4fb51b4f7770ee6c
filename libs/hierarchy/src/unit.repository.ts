import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { pagedQuery, ReadReplicas } from '../../platform/src';
import { UnitLevel } from './unit.entity';

/** A current unit with its parent's code, as the units workbook shows it. */
export interface CurrentUnitRow {
  code: string;
  fullName: string;
  parentCode: string | null;
}

/** A current unit's stored names, as the units workbook import compares them. */
export interface CurrentUnitNames extends CurrentUnitRow {
  level: UnitLevel;
  type: string;
  name: string;
}

/** A unit as it stood on a given date. */
export interface UnitState {
  id: number;
  code: string;
  level: UnitLevel;
  type: string;
  name: string;
  fullName: string;
  parentId: number | null;
  parentCode: string | null;
  parentFullName: string | null;
  path: string;
  validFrom: string;
  validTo: string | null;
}

export interface UnitLink {
  code: string;
  fullName: string;
  kind: 'merge' | 'split';
  effectiveDate: string;
}

/**
 * The tree as of date $N: current rows whose present state had begun by then, plus earlier states kept in
 * admin_unit_history. Units number in the thousands, so this union is cheap; hot paths that only need
 * today's subtree use the materialised `path` directly.
 */
export function unitStateSql(dateParam: string): string {
  return `
    SELECT u.id, u.code, u.level, u.type, u.name, u.full_name, u.search_text, u.sort_key, u.parent_id, u.path,
           u.valid_from, u.valid_to
      FROM admin_unit u
     WHERE u.valid_from <= ${dateParam} AND (u.valid_to IS NULL OR u.valid_to > ${dateParam})
       AND u.state_from <= ${dateParam}
    UNION ALL
    SELECT u.id, h.code, u.level, h.type, h.name, h.full_name, h.search_text, h.sort_key, h.parent_id, u.path,
           u.valid_from, u.valid_to
      FROM admin_unit_history h
      JOIN admin_unit u ON u.id = h.unit_id
     WHERE h.valid_from <= ${dateParam} AND h.valid_to > ${dateParam}
       AND u.valid_from <= ${dateParam} AND (u.valid_to IS NULL OR u.valid_to > ${dateParam})`;
}

const STATE_COLUMNS = `
  s.id, s.code, s.level, s.type, s.name, s.full_name AS "fullName", s.parent_id AS "parentId",
  p.code AS "parentCode", p.full_name AS "parentFullName", s.path,
  s.valid_from AS "validFrom", s.valid_to AS "validTo"`;

@Injectable()
export class UnitRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly reads: ReadReplicas,
  ) {}

  async findByCode(
    code: string,
    date: string,
    m: EntityManager = this.dataSource.manager,
  ): Promise<UnitState | null> {
    const rows: UnitState[] = await m.query(
      `WITH state AS (${unitStateSql('$2::date')})
       SELECT ${STATE_COLUMNS} FROM state s LEFT JOIN state p ON p.id = s.parent_id WHERE s.code = $1`,
      [code, date],
    );
    return rows[0] ?? null;
  }

  async findById(id: number, date: string): Promise<UnitState | null> {
    const rows: UnitState[] = await this.dataSource.query(
      `WITH state AS (${unitStateSql('$2::date')})
       SELECT ${STATE_COLUMNS} FROM state s LEFT JOIN state p ON p.id = s.parent_id WHERE s.id = $1`,
      [id, date],
    );
    return rows[0] ?? null;
  }

  /** The most recent unit that carried this code, with the last day it was valid (for ended units). */
  async latestByCode(code: string): Promise<{ id: number; lastDay: string | null } | null> {
    const rows: { id: number; lastDay: string | null }[] = await this.dataSource.query(
      `SELECT id, to_char(valid_to - 1, 'YYYY-MM-DD') AS "lastDay"
         FROM admin_unit WHERE code = $1 ORDER BY valid_from DESC LIMIT 1`,
      [code],
    );
    return rows[0] ?? null;
  }

  async listChildren(
    parentId: number | null,
    date: string,
    limit: number,
    offset: number,
  ): Promise<{ rows: (UnitState & { childCount: number })[]; total: number }> {
    return pagedQuery(
      this.reads,
      `WITH state AS (${unitStateSql('$1::date')})
       SELECT ${STATE_COLUMNS}, s.sort_key,
              (SELECT count(*)::int FROM state c WHERE c.parent_id = s.id) AS "childCount"
         FROM state s LEFT JOIN state p ON p.id = s.parent_id
        WHERE s.parent_id IS NOT DISTINCT FROM $2::int`,
      [date, parentId],
      'sort_key, code',
      limit,
      offset,
    );
  }

  async countChildren(parentId: number, date: string): Promise<number> {
    const [row]: { n: number }[] = await this.dataSource.query(
      `WITH state AS (${unitStateSql('$1::date')}) SELECT count(*)::int AS n FROM state s WHERE s.parent_id = $2`,
      [date, parentId],
    );
    return row.n;
  }

  /** Root first, ending with the unit's parent. */
  async ancestors(id: number, date: string): Promise<UnitState[]> {
    return this.dataSource.query(
      `WITH RECURSIVE state AS (${unitStateSql('$2::date')}),
       up AS (
         SELECT s.parent_id AS id, 1 AS distance FROM state s WHERE s.id = $1
         UNION ALL
         SELECT s.parent_id, up.distance + 1 FROM up JOIN state s ON s.id = up.id WHERE s.parent_id IS NOT NULL
       )
       SELECT ${STATE_COLUMNS} FROM up JOIN state s ON s.id = up.id LEFT JOIN state p ON p.id = s.parent_id
        ORDER BY up.distance DESC`,
      [id, date],
    );
  }

  async search(options: {
    patterns: string[];
    folded: string;
    date: string;
    level?: UnitLevel;
    withinPath?: string;
    limit: number;
    offset: number;
  }): Promise<{ rows: UnitState[]; total: number }> {
    return pagedQuery(
      this.dataSource,
      `WITH state AS (${unitStateSql('$1::date')})
       SELECT ${STATE_COLUMNS}, s.sort_key,
              CASE
                WHEN s.search_text = $5 OR s.search_text LIKE '% ' || $5 THEN 0
                WHEN s.search_text LIKE $5 || '%' OR s.search_text LIKE '% ' || $5 || '%' THEN 1
                ELSE 2
              END AS rank,
              CASE s.level WHEN 'province' THEN 0 WHEN 'district' THEN 1 ELSE 2 END AS level_rank
         FROM state s LEFT JOIN state p ON p.id = s.parent_id
        WHERE ' ' || s.search_text LIKE ALL ($2::text[])
          AND ($3::text IS NULL OR s.level = $3)
          AND ($4::text IS NULL OR s.path LIKE $4 || '%')`,
      [options.date, options.patterns, options.level ?? null, options.withinPath ?? null, options.folded],
      'rank, level_rank, sort_key, code',
      options.limit,
      options.offset,
    );
  }

  async predecessors(id: number): Promise<UnitLink[]> {
    return this.dataSource.query(
      `SELECT u.code, u.full_name AS "fullName", s.kind, s.effective_date AS "effectiveDate"
         FROM admin_unit_succession s JOIN admin_unit u ON u.id = s.predecessor_id
        WHERE s.successor_id = $1 ORDER BY u.code`,
      [id],
    );
  }

  async successors(id: number): Promise<UnitLink[]> {
    return this.dataSource.query(
      `SELECT u.code, u.full_name AS "fullName", s.kind, s.effective_date AS "effectiveDate"
         FROM admin_unit_succession s JOIN admin_unit u ON u.id = s.successor_id
        WHERE s.predecessor_id = $1 ORDER BY u.code`,
      [id],
    );
  }

  /**
   * Where a unit stands on today's map, for scope checks: its path, or for an ended unit the deepest unit
   * holding all its successors (admin_unit_scope_path; the migration UnitScopePath explains the rule).
   */
  async scopePath(id: number, m: EntityManager = this.dataSource.manager): Promise<string> {
    const [row]: { path: string }[] = await m.query(`SELECT admin_unit_scope_path($1) AS path`, [id]);
    return row.path;
  }

  async count(manager: EntityManager = this.dataSource.manager): Promise<number> {
    const [row]: { n: number }[] = await manager.query(`SELECT count(*)::int AS n FROM admin_unit`);
    return row.n;
  }

  /** The current province `provinceCode` and its communes, in tree order. */
  async provinceWithCommunes(provinceCode: string): Promise<CurrentUnitRow[]> {
    return this.dataSource.query(
      `SELECT u.code, u.full_name AS "fullName", p.code AS "parentCode"
         FROM admin_unit u LEFT JOIN admin_unit p ON p.id = u.parent_id
        WHERE u.valid_to IS NULL AND (u.code = $1 OR p.code = $1) AND u.level IN ('province', 'commune')
        ORDER BY u.depth, u.sort_key`,
      [provinceCode],
    );
  }

  /** The current units carrying one of `codes` (at any level). */
  async currentNamesByCodes(codes: string[]): Promise<CurrentUnitNames[]> {
    return this.dataSource.query(
      `SELECT u.code, u.level, u.type, u.name, u.full_name AS "fullName", p.code AS "parentCode"
         FROM admin_unit u LEFT JOIN admin_unit p ON p.id = u.parent_id
        WHERE u.valid_to IS NULL AND u.code = ANY ($1::text[])`,
      [codes],
    );
  }
}
