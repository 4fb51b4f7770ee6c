import { Injectable } from '@nestjs/common';
import { AccessErrors, Policy, Principal, Role } from '../../access/src';
import { Clock } from '../../platform/src';
import { KpiErrors } from './kpi.errors';
import { KpiView } from './kpi-view';
import { KpiUnit, KpiUnitRepository } from './kpi-unit.repository';

export type { KpiUnit } from './kpi-unit.repository';

/** The units KPI questions are asked about, and who may ask: steering members and viewers of the subtree. */
@Injectable()
export class KpiUnits {
  constructor(
    private readonly units: KpiUnitRepository,
    private readonly clock: Clock,
  ) {}

  /**
   * The unit with this code — the one that carried it on `asOf`, or else today's, or else the last that
   * carried it (a commune merged away, a district of the old map) — if the caller holds one of `roles` over
   * its place on today's map.
   */
  async resolve(principal: Principal, code: string, roles: readonly Role[], asOf?: string): Promise<KpiUnit> {
    return this.allowed(principal, await this.units.byCode(code, asOf ?? null), roles, code);
  }

  /** The unit a stored row points to (a target's), with the same scope check. */
  async resolveId(principal: Principal, id: number, roles: readonly Role[]): Promise<KpiUnit> {
    return this.allowed(principal, await this.units.byId(id), roles, String(id));
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
    return this.units.byCodes(codes);
  }

  /**
   * The children a unit's figures break down into: today's children, and — as recorded — also the former
   * children (merged away or moved elsewhere since) that had figures here.
   */
  async children(unit: KpiUnit, view: KpiView): Promise<KpiUnit[]> {
    return this.units.children(unit.id, view, this.clock.today());
  }
}
