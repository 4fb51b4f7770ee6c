import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Policy, Principal } from '../../access/src';
import { pagedQuery, returning } from '../../platform/src';
import { ReportApprovalLevel } from '../../programs/src';
import { RecordFigures } from './record-figures.repository';
import { ExpectedReportDto, ReportStatus } from './report.dto';
import { reportInboxSql, reportScopeSql } from './report.scope';

export interface ReportRow {
  id: string;
  programId: string;
  period: string;
  unitId: number;
  unitCode: string;
  unitName: string;
  unitPath: string;
  organisationId: string | null;
  organisationName: string | null;
  status: ReportStatus;
  headcount: number | null;
  trained: number | null;
  proficient: number | null;
  indicators: Record<string, number>;
  notes: string | null;
  authorName: string | null;
  submittedAt: Date | null;
  reviewerName: string | null;
  reviewedAt: Date | null;
  reviewComment: string | null;
  updatedAt: Date;
  approvalStep: number;
  recordFigures: RecordFigures | null;
  awaitingUnitId: number | null;
  approvalLevels: ReportApprovalLevel[] | null;
}

/** One unit above (or at) a report's unit, with whether it is a level of the report's approval chain. */
export interface ChainUnitRow {
  reportId: string;
  id: number;
  code: string;
  fullName: string;
  level: string;
  path: string;
  /** A level the program's configured chain names (for a unit's own report, not the unit itself). */
  configured: boolean;
  /** The one level that approves when the program configures no chain. */
  fallback: boolean;
}

export interface ApprovalRow {
  reportId: string;
  step: number;
  approverName: string | null;
  approvedAt: Date;
  comment: string | null;
}

/** A report waiting to be written (missing) or finished (draft, returned), before its due date is compared. */
export type ExpectedReportRow = Omit<ExpectedReportDto, 'overdue'>;

/** One approved report under a unit, as the consolidated report lists it. */
export interface ConsolidatedLine {
  reporter: string;
  unitPath: string;
  organisationId: string | null;
  headcount: number;
  trained: number;
  proficient: number;
  recordFigures: RecordFigures | null;
  approvedAt: Date;
}

/** The figures of an organisation's latest approved report. */
export interface LatestApprovedRow {
  id: string;
  period: string;
  status: ReportStatus;
  headcount: number | null;
  trained: number | null;
  proficient: number | null;
}

export interface ReportFilter {
  programId: string;
  /** Narrows the caller's scope to this subtree. */
  unitPath?: string;
  period?: string;
  status?: ReportStatus;
  /** Only the reports waiting at a level where the caller approves. */
  awaitingMe?: boolean;
}

export interface NewReport {
  programId: string;
  unitId: number;
  organisationId: string | null;
  period: string;
  headcount: number | null;
  trained: number | null;
  proficient: number | null;
  indicators: Record<string, number>;
  notes: string | null;
  authorId: string;
}

export type ReportFigureValues = Pick<
  NewReport,
  'headcount' | 'trained' | 'proficient' | 'indicators' | 'notes'
>;

const SELECT = `
  SELECT r.id, r.program_id AS "programId", r.period, r.unit_id AS "unitId", u.code AS "unitCode",
         u.full_name AS "unitName", u.path AS "unitPath", r.organisation_id AS "organisationId",
         o.name AS "organisationName", r.status, r.headcount, r.trained, r.proficient, r.indicators, r.notes,
         au.display_name AS "authorName", r.submitted_at AS "submittedAt", ru.display_name AS "reviewerName",
         r.reviewed_at AS "reviewedAt", r.review_comment AS "reviewComment", r.updated_at AS "updatedAt",
         r.approval_step AS "approvalStep", r.record_figures AS "recordFigures",
         r.awaiting_unit_id AS "awaitingUnitId", g.report_approval_levels AS "approvalLevels"
    FROM progress_report r
    JOIN program g ON g.id = r.program_id
    JOIN admin_unit u ON u.id = r.unit_id
    LEFT JOIN admin_unit aw ON aw.id = r.awaiting_unit_id
    LEFT JOIN organisation o ON o.id = r.organisation_id
    LEFT JOIN app_user au ON au.id = r.author_id
    LEFT JOIN app_user ru ON ru.id = r.reviewed_by`;

/** Progress reports, their approval chains and approvals: every statement on progress_report. */
@Injectable()
export class ReportRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async find(id: string, m: EntityManager = this.dataSource.manager): Promise<ReportRow | null> {
    const [row]: ReportRow[] = await m.query(`${SELECT} WHERE r.id = $1`, [id]);
    return row ?? null;
  }

  /** The report, locked for the transition about to change it. */
  async lock(m: EntityManager, id: string): Promise<ReportRow> {
    const [before] = await returning<ReportRow>(m, `${SELECT} WHERE r.id = $1 FOR UPDATE OF r`, [id]);
    return before;
  }

  /** The report if the caller sees it (see reportScopeSql), else null. */
  async visible(principal: Principal, id: string): Promise<ReportRow | null> {
    const params: unknown[] = [id];
    const [row]: ReportRow[] = await this.dataSource.query(
      `${SELECT} WHERE r.id = $1 AND ${reportScopeSql(principal, params)}`,
      params,
    );
    return row ?? null;
  }

  async list(
    principal: Principal,
    filter: ReportFilter,
    limit: number,
    offset: number,
  ): Promise<{ rows: ReportRow[]; total: number }> {
    const params: unknown[] = [filter.programId];
    const conditions = ['r.program_id = $1', reportScopeSql(principal, params)];
    if (filter.unitPath !== undefined) {
      // The scope condition above decides what is visible; the unit only narrows it.
      params.push(filter.unitPath);
      conditions.push(`u.path LIKE $${params.length} || '%'`);
    }
    if (filter.period) {
      params.push(filter.period);
      conditions.push(`r.period = $${params.length}`);
    }
    if (filter.status) {
      params.push(filter.status);
      conditions.push(`r.status = $${params.length}`);
    }
    if (filter.awaitingMe) conditions.push(reportInboxSql(principal, params));
    return pagedQuery<ReportRow>(
      this.dataSource,
      `${SELECT} WHERE ${conditions.join(' AND ')}`,
      params,
      `period DESC, "unitPath", "organisationName" NULLS FIRST, id`,
      limit,
      offset,
    );
  }

  /** The id of the report this unit (or organisation) already has for the period, if any. */
  async existing(
    m: EntityManager,
    programId: string,
    period: string,
    unitId: number,
    organisationId: string | null,
  ): Promise<string | null> {
    const [existing]: { id: string }[] = await m.query(
      `SELECT id FROM progress_report WHERE program_id = $1 AND period = $2 AND unit_id = $3
            AND organisation_id IS NOT DISTINCT FROM $4`,
      [programId, period, unitId, organisationId],
    );
    return existing?.id ?? null;
  }

  async insert(m: EntityManager, r: NewReport): Promise<string> {
    const [row]: { id: string }[] = await m.query(
      `INSERT INTO progress_report (program_id, unit_id, organisation_id, period, headcount, trained, proficient,
                                      indicators, notes, author_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
      [
        r.programId,
        r.unitId,
        r.organisationId,
        r.period,
        r.headcount,
        r.trained,
        r.proficient,
        JSON.stringify(r.indicators),
        r.notes,
        r.authorId,
      ],
    );
    return row.id;
  }

  async updateFigures(m: EntityManager, id: string, f: ReportFigureValues): Promise<void> {
    await m.query(
      `UPDATE progress_report SET headcount = $2, trained = $3, proficient = $4, indicators = $5, notes = $6,
                updated_at = now() WHERE id = $1`,
      [id, f.headcount, f.trained, f.proficient, JSON.stringify(f.indicators), f.notes],
    );
  }

  /** Submitted: the records' figures frozen, waiting at the chain's first level (approvals cleared first). */
  async markSubmitted(
    m: EntityManager,
    id: string,
    figures: RecordFigures,
    awaitingUnitId: number | null,
  ): Promise<void> {
    await this.deleteApprovals(m, id);
    await m.query(
      `UPDATE progress_report SET status = 'submitted', submitted_at = now(), review_comment = NULL,
                approval_step = 0, record_figures = $2, awaiting_unit_id = $3, updated_at = now() WHERE id = $1`,
      [id, JSON.stringify(figures), awaitingUnitId],
    );
  }

  async insertApproval(
    m: EntityManager,
    id: string,
    step: number,
    unitId: number,
    approverId: string,
    comment: string | null,
  ): Promise<void> {
    await m.query(
      `INSERT INTO progress_report_approval (report_id, step, unit_id, approved_by, comment)
           VALUES ($1, $2, $3, $4, $5)`,
      [id, step, unitId, approverId, comment],
    );
  }

  /** One level approved, the report climbs to the next. */
  async advance(
    m: EntityManager,
    id: string,
    step: number,
    awaitingUnitId: number,
    reviewerId: string,
    comment: string | null,
  ): Promise<void> {
    await m.query(
      `UPDATE progress_report SET approval_step = $2, awaiting_unit_id = $3, reviewed_by = $4, reviewed_at = now(),
                  review_comment = $5, updated_at = now() WHERE id = $1`,
      [id, step, awaitingUnitId, reviewerId, comment],
    );
  }

  /** The last level approved: the report waits nowhere. */
  async finishChain(m: EntityManager, id: string, steps: number): Promise<void> {
    await m.query(`UPDATE progress_report SET approval_step = $2, awaiting_unit_id = NULL WHERE id = $1`, [
      id,
      steps,
    ]);
  }

  async setReview(
    m: EntityManager,
    id: string,
    status: 'approved' | 'returned',
    reviewerId: string,
    comment: string | null,
  ): Promise<void> {
    await m.query(
      `UPDATE progress_report SET status = $2, reviewed_by = $3, reviewed_at = now(), review_comment = $4,
              updated_at = now() WHERE id = $1`,
      [id, status, reviewerId, comment],
    );
  }

  /** Back to its author: the approvals so far are dropped, and it climbs from the start once resubmitted. */
  async resetChain(m: EntityManager, id: string): Promise<void> {
    await this.deleteApprovals(m, id);
    await m.query(`UPDATE progress_report SET approval_step = 0, awaiting_unit_id = NULL WHERE id = $1`, [
      id,
    ]);
  }

  private async deleteApprovals(m: EntityManager, id: string): Promise<void> {
    await m.query(`DELETE FROM progress_report_approval WHERE report_id = $1`, [id]);
  }

  /** Each report's unit and the units above it, nearest first, marked as configured or fallback levels. */
  async chainUnits(m: EntityManager, ids: string[]): Promise<ChainUnitRow[]> {
    return m.query(
      `SELECT r.id AS "reportId", a.id, a.code, a.full_name AS "fullName", a.level, a.path,
              (g.report_approval_levels IS NOT NULL AND a.level = ANY (g.report_approval_levels)
                 AND (r.organisation_id IS NOT NULL OR a.id <> u.id)) AS configured,
              a.id = coalesce(CASE WHEN r.organisation_id IS NULL THEN u.parent_id ELSE u.id END, -1) AS fallback
         FROM progress_report r JOIN program g ON g.id = r.program_id JOIN admin_unit u ON u.id = r.unit_id
         JOIN admin_unit a ON u.path LIKE a.path || '%'
        WHERE r.id = ANY ($1::uuid[])
        ORDER BY a.depth DESC`,
      [ids],
    );
  }

  /** The approvals recorded on these reports so far, one per level approved. */
  async approvals(m: EntityManager, ids: string[]): Promise<ApprovalRow[]> {
    if (!ids.length) return [];
    return m.query(
      `SELECT pa.report_id AS "reportId", pa.step, au.display_name AS "approverName", pa.approved_at AS "approvedAt",
                  pa.comment
             FROM progress_report_approval pa LEFT JOIN app_user au ON au.id = pa.approved_by
            WHERE pa.report_id = ANY ($1::uuid[])`,
      [ids],
    );
  }

  /**
   * The child units and organisations of a unit (its reporters) whose report of each period is missing, a draft
   * or returned; `dues` holds each period's due date.
   */
  async expected(
    programId: string,
    unitId: number,
    periods: string[],
    dues: string[],
  ): Promise<ExpectedReportRow[]> {
    return this.dataSource.query(
      `WITH reporters AS (
         SELECT 'unit' AS kind, u.id AS unit_id, NULL::uuid AS organisation_id, u.code AS id, u.full_name AS name,
                u.code AS sort
           FROM admin_unit u WHERE u.parent_id = $2 AND u.valid_to IS NULL
         UNION ALL
         SELECT 'organisation', o.unit_id, o.id, o.id::text, o.name, '~' || o.name
           FROM organisation o WHERE o.unit_id = $2
       )
       SELECT x.kind, x.id, x.name, p.period, p.due AS "dueOn", coalesce(r.status, 'missing') AS status,
              r.id AS "reportId"
         FROM reporters x CROSS JOIN unnest($3::text[], $4::date[]) AS p(period, due)
         LEFT JOIN progress_report r ON r.program_id = $1 AND r.period = p.period AND r.unit_id = x.unit_id
                                    AND r.organisation_id IS NOT DISTINCT FROM x.organisation_id
        WHERE r.status IS NULL OR r.status IN ('draft', 'returned')
        ORDER BY p.period, x.sort`,
      [programId, unitId, periods, dues],
    );
  }

  /** The approved reports of a period under a unit, within the caller's scope, one line per reporter. */
  async approvedUnder(
    principal: Principal,
    programId: string,
    period: string,
    unitPath: string,
  ): Promise<ConsolidatedLine[]> {
    const params: unknown[] = [programId, period, unitPath];
    // The unit is in the caller's scope; the scope condition keeps the SQL itself to the caller's subtrees.
    const scope = Policy.sqlScope(principal, ['steering', 'viewer'], 'u.path', params);
    return this.dataSource.query(
      `SELECT coalesce(o.name, u.full_name) AS reporter, u.path AS "unitPath", r.organisation_id AS "organisationId",
              r.headcount, r.trained, r.proficient, r.record_figures AS "recordFigures", r.reviewed_at AS "approvedAt"
         FROM progress_report r JOIN admin_unit u ON u.id = r.unit_id
         LEFT JOIN organisation o ON o.id = r.organisation_id
        WHERE r.program_id = $1 AND r.period = $2 AND r.status = 'approved' AND u.path LIKE $3 || '%' AND ${scope}
        ORDER BY u.path, o.name NULLS FIRST, r.id`,
      params,
    );
  }

  /** An organisation's latest approved report (by approval time), or null. */
  async latestApproved(programId: string, organisationId: string): Promise<LatestApprovedRow | null> {
    const [latest]: LatestApprovedRow[] = await this.dataSource.query(
      `SELECT id, period, status, headcount, trained, proficient FROM progress_report
        WHERE program_id = $1 AND organisation_id = $2 AND status = 'approved'
        ORDER BY reviewed_at DESC NULLS LAST LIMIT 1`,
      [programId, organisationId],
    );
    return latest ?? null;
  }
}
