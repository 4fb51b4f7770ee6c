import { Injectable } from '@nestjs/common';
import { AccessErrors, Policy, Principal, Role } from '../../access/src';
import { UnitLevel } from '../../hierarchy/src';
import { Clock, ReadReplicas } from '../../platform/src';
import { KpiErrors } from './kpi.errors';
import { KpiView } from './kpi-sql';

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

/** The units KPI questions are asked about, and who may ask: steering members and viewers of the subtree. */
@Injectable()
export class KpiUnits {
  constructor(
    private readonly reads: ReadReplicas,
    private readonly clock: Clock,
  ) {}

  /**
   * The unit with this code — the one that carried it on `asOf`, or else today's, or else the last that
   * carried it (a commune merged away, a district of the old map) — if the caller holds one of `roles` over
   * its place on today's map.
   */
  async resolve(principal: Principal, code: string, roles: readonly Role[], asOf?: string): Promise<KpiUnit> {
    const rows: KpiUnit[] = await this.reads.query(
      `${SELECT} WHERE u.code = $1
          AND ($2::date IS NULL OR (u.valid_from <= $2::date AND (u.valid_to IS NULL OR u.valid_to > $2::date)))
        ORDER BY u.valid_to IS NOT NULL, u.valid_to DESC LIMIT 1`,
      [code, asOf ?? null],
    );
    return this.allowed(principal, rows[0], roles, code);
  }

  /** The unit a stored row points to (a target's), with the same scope check. */
  async resolveId(principal: Principal, id: number, roles: readonly Role[]): Promise<KpiUnit> {
    const rows: KpiUnit[] = await this.reads.query(`${SELECT} WHERE u.id = $1`, [id]);
    return this.allowed(principal, rows[0], roles, String(id));
  }

  private allowed(
    principal: Principal,
    unit: KpiUnit | undefined,
    roles: readonly Role[],
    code: string,
  ): KpiUnit {
    if (!unit) throw KpiErrors.unitNotFound(code);
    if (!Policy.covers(principal, roles, unit.scopePath)) throw AccessErrors.outOfScope();
    return unit;
  }

  async byCodes(codes: string[]): Promise<KpiUnit[]> {
    return this.reads.query(`${SELECT} WHERE u.code = ANY ($1::text[]) AND u.valid_to IS NULL`, [codes]);
  }

  /**
   * The children a unit's figures break down into: today's children, and — as recorded — also the former
   * children (merged away or moved elsewhere since) that had figures here.
   */
  async children(unit: KpiUnit, view: KpiView): Promise<KpiUnit[]> {
    const today = this.clock.today();
    return this.reads.query(
      `${SELECT}
        WHERE (u.parent_id = $1 AND u.valid_to IS NULL)
           OR ($2 = 'recorded' AND (u.parent_id = $1 OR u.id IN (SELECT h.unit_id FROM admin_unit_history h
                                                                   WHERE h.parent_id = $1 AND h.valid_to <= $3)))
        ORDER BY u.valid_to IS NOT NULL, u.code`,
      [unit.id, view, today],
    );
  }
}
