import { Injectable } from '@nestjs/common';
import { UnitLevel } from '../../hierarchy/src';
import { ReadReplicas } from '../../platform/src';
import { KpiView } from './kpi-view';

export interface KpiUnit {
  id: number;
  code: string;
  fullName: string;
  level: UnitLevel;
  path: string;
  parentId: number | null;
  parentPath: string | null;
  current: boolean;
  /** The day after its last, for a unit that has ended (merged, split, or of an earlier map). */
  validTo: string | null;
  /** Where the unit stands on today's map, for scope: its path, or for an ended unit its successors'. */
  scopePath: string;
}

const SELECT = `
  SELECT u.id, u.code, u.full_name AS "fullName", u.level, u.path, u.parent_id AS "parentId",
         p.path AS "parentPath", u.valid_to IS NULL AS current, u.valid_to::text AS "validTo",
         admin_unit_scope_path(u.id) AS "scopePath"
    FROM admin_unit u LEFT JOIN admin_unit p ON p.id = u.parent_id`;

/** The units KPI questions are asked about, read from a replica when one is fresh enough. */
@Injectable()
export class KpiUnitRepository {
  constructor(private readonly reads: ReadReplicas) {}

  /**
   * The unit with this code — the one that carried it on `asOf`, or else today's, or else the last that
   * carried it (a commune merged away, a district of the old map).
   */
  async byCode(code: string, asOf: string | null): Promise<KpiUnit | undefined> {
    const rows: KpiUnit[] = await this.reads.query(
      `${SELECT} WHERE u.code = $1
          AND ($2::date IS NULL OR (u.valid_from <= $2::date AND (u.valid_to IS NULL OR u.valid_to > $2::date)))
        ORDER BY u.valid_to IS NOT NULL, u.valid_to DESC LIMIT 1`,
      [code, asOf],
    );
    return rows[0];
  }

  async byId(id: number): Promise<KpiUnit | undefined> {
    const rows: KpiUnit[] = await this.reads.query(`${SELECT} WHERE u.id = $1`, [id]);
    return rows[0];
  }

  /** Today's units with these codes. */
  byCodes(codes: string[]): Promise<KpiUnit[]> {
    return this.reads.query(`${SELECT} WHERE u.code = ANY ($1::text[]) AND u.valid_to IS NULL`, [codes]);
  }

  /**
   * The children a unit's figures break down into: today's children, and — as recorded — also the former
   * children (merged away or moved elsewhere since, before `today`) that had figures here.
   */
  children(unitId: number, view: KpiView, today: string): Promise<KpiUnit[]> {
    return this.reads.query(
      `${SELECT}
        WHERE (u.parent_id = $1 AND u.valid_to IS NULL)
           OR ($2 = 'recorded' AND (u.parent_id = $1 OR u.id IN (SELECT h.unit_id FROM admin_unit_history h
                                                                   WHERE h.parent_id = $1 AND h.valid_to <= $3)))
        ORDER BY u.valid_to IS NOT NULL, u.code`,
      [unitId, view, today],
    );
  }

  /** Today's communes in a unit's subtree. */
  communesUnder(path: string): Promise<{ id: number; code: string; fullName: string }[]> {
    return this.reads.query(
      `SELECT id, code, full_name AS "fullName" FROM admin_unit
        WHERE path LIKE $1 || '%' AND level = 'commune' AND valid_to IS NULL`,
      [path],
    );
  }
}
