import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Policy, Principal } from '../../access/src';
import { ReportApprovalStepDto } from './report.dto';
import { iso } from './report.mapper';
import { ReportRepository, ReportRow } from './report.repository';

/** One level of a report's approval chain. */
export interface ChainUnit {
  id: number;
  code: string;
  fullName: string;
  level: string;
  path: string;
}

/**
 * The levels a report climbs, bottom up, and how strictly: with a configured chain each level's own steering
 * members approve at that level; without one, any steering member above the reporter approves once.
 */
export interface Chain {
  units: ChainUnit[];
  configured: boolean;
}

/** Reports' approval chains: which levels approve, who acts at each, and how far a report has climbed. */
@Injectable()
export class ReportChains {
  constructor(private readonly reports: ReportRepository) {}

  /** The approval chain of each report: its levels, bottom up. */
  async of(m: EntityManager, ids: string[]): Promise<Map<string, Chain>> {
    const rows = await this.reports.chainUnits(m, ids);
    const chains = new Map<string, Chain>();
    for (const id of ids) {
      const mine = rows.filter((r) => r.reportId === id);
      const configured = mine.filter((r) => r.configured);
      const units = (configured.length ? configured : mine.filter((r) => r.fallback)).map(
        ({ id: unitId, code, fullName, level, path }) => ({ id: unitId, code, fullName, level, path }),
      );
      chains.set(id, { units, configured: configured.length > 0 });
    }
    return chains;
  }

  /**
   * Who acts on a report: on a submitted one, the level it waits at; on an approved one (to reopen it), the last
   * level. With a configured chain that is the steering members of that level's own unit; without one, any
   * steering member above the reporting unit (for an organisation: of its unit or above).
   */
  isReviewer(principal: Principal, r: ReportRow, chain: Chain): boolean {
    if (Policy.isAdmin(principal)) return true;
    const unit = r.status === 'approved' ? chain.units.at(-1) : chain.units[r.approvalStep];
    if (!unit) return false;
    return chain.configured
      ? principal.assignments.some((a) => a.role === 'steering' && a.unitPath === unit.path)
      : Policy.covers(principal, ['steering'], unit.path);
  }

  /** Each report's chain as its reporter and reviewers see it: who approved, where it waits, what is left. */
  async steps(m: EntityManager, reports: ReportRow[]): Promise<Map<string, ReportApprovalStepDto[]>> {
    const ids = reports.map((r) => r.id);
    const chains = await this.of(m, ids);
    const approvals = await this.reports.approvals(m, ids);
    const out = new Map<string, ReportApprovalStepDto[]>();
    for (const r of reports) {
      const chain = chains.get(r.id)!;
      out.set(
        r.id,
        chain.units.map((unit, step) => {
          const approval = approvals.find((a) => a.reportId === r.id && a.step === step);
          const state =
            r.status === 'approved' || step < r.approvalStep
              ? 'approved'
              : r.status === 'submitted' && step === r.approvalStep
                ? 'awaiting'
                : 'waiting';
          return {
            step: step + 1,
            level: unit.level,
            unit: { code: unit.code, fullName: unit.fullName },
            state,
            approverName:
              approval?.approverName ??
              (state === 'approved' && r.status === 'approved' ? r.reviewerName : null),
            approvedAt: approval ? iso(approval.approvedAt) : state === 'approved' ? iso(r.reviewedAt) : null,
            comment: approval?.comment ?? null,
          };
        }),
      );
    }
    return out;
  }
}
