import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AccessErrors, Policy, Principal, Role } from '../../access/src';
import { UnitLevel } from '../../hierarchy/src';
import { Clock } from '../../platform/src';
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
}

const SELECT = `
  SELECT u.id, u.code, u.full_name AS "fullName", u.level, u.path, u.parent_id AS "parentId",
         p.path AS "parentPath", u.valid_to IS NULL AS current
    FROM admin_unit u LEFT JOIN admin_unit p ON p.id = u.parent_id`;

/** The units KPI questions are asked about, and who may ask: steering members and viewers of the subtree. */
@Injectable()
export class KpiUnits {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /** The current unit with this code, if the caller holds one of `roles` over it. */
  async resolve(principal: Principal, code: string, roles: readonly Role[]): Promise<KpiUnit> {
    const rows: KpiUnit[] = await this.dataSource.query(
      `${SELECT} WHERE u.code = $1 AND u.valid_to IS NULL`,
      [code],
    );
    const unit = rows[0];
    if (!unit) throw KpiErrors.unitNotFound(code);
    if (!Policy.covers(principal, roles, unit.path)) throw AccessErrors.outOfScope();
    return unit;
  }

  async byCodes(codes: string[]): Promise<KpiUnit[]> {
    return this.dataSource.query(`${SELECT} WHERE u.code = ANY ($1::text[]) AND u.valid_to IS NULL`, [codes]);
  }

  /**
   * The children a unit's figures break down into: today's children, and — as recorded — also the former
   * children (merged away or moved elsewhere since) that had figures here.
   */
  async children(unit: KpiUnit, view: KpiView): Promise<KpiUnit[]> {
    const today = this.clock.today();
    return this.dataSource.query(
      `${SELECT}
        WHERE (u.parent_id = $1 AND u.valid_to IS NULL)
           OR ($2 = 'recorded' AND (u.parent_id = $1 OR u.id IN (SELECT h.unit_id FROM admin_unit_history h
                                                                   WHERE h.parent_id = $1 AND h.valid_to <= $3)))
        ORDER BY u.valid_to IS NOT NULL, u.code`,
      [unit.id, view, today],
    );
  }
}
