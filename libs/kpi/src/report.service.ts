import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AccessErrors, Policy, Principal } from '../../access/src';
import { AuditService } from '../../audit/src';
import { OrganisationRepository } from '../../hierarchy/src';
import { addDays, Clock, FieldError, Page, page, pagedQuery, returning } from '../../platform/src';
import { ProgramRow, ProgramService, ReportApprovalLevel } from '../../programs/src';
import { KpiErrors } from './kpi.errors';
import { KpiUnits } from './kpi-units';
import { lastDay, parsePeriod } from './period';
import { RecordFigures, RecordFiguresRepository } from './record-figures.repository';
import {
  CreateReportDto,
  ExpectedReportDto,
  ListReportsQueryDto,
  MissingReportsQueryDto,
  OverdueReportsQueryDto,
  ReportApprovalStepDto,
  ReportDto,
  programOf,
  ReportFiguresDto,
  ReportStatus,
} from './report.dto';

/** Days after a period's end by which its report is due. */
export const REPORT_DUE_DAYS = 5;

interface ReportRow {
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

/** One level of a report's approval chain. */
interface ChainUnit {
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
interface Chain {
  units: ChainUnit[];
  configured: boolean;
}

interface ApprovalRow {
  step: number;
  approverName: string | null;
  approvedAt: Date;
  comment: string | null;
}

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

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

function toReportDto(r: ReportRow, chain?: ReportApprovalStepDto[]): ReportDto {
  return {
    id: r.id,
    programId: r.programId,
    period: r.period,
    unit: { code: r.unitCode, fullName: r.unitName },
    organisation: r.organisationId ? { id: r.organisationId, name: r.organisationName ?? '' } : null,
    status: r.status,
    headcount: r.headcount,
    trained: r.trained,
    proficient: r.proficient,
    indicators: r.indicators,
    notes: r.notes,
    authorName: r.authorName,
    submittedAt: iso(r.submittedAt),
    reviewerName: r.reviewerName,
    reviewedAt: iso(r.reviewedAt),
    reviewComment: r.reviewComment,
    locked: r.status === 'approved',
    updatedAt: new Date(r.updatedAt).toISOString(),
    recordFigures: r.recordFigures,
    approvals: chain ?? [],
  };
}

/** The reporting periods of a frequency from `from` through `to` (YYYY-MM-DD), oldest first. */
export function periodsBetween(frequency: 'month' | 'quarter' | 'year', from: string, to: string): string[] {
  const codes: string[] = [];
  for (let y = Number(from.slice(0, 4)), m = Number(from.slice(5, 7)); ;) {
    const code =
      frequency === 'year'
        ? `${y}`
        : frequency === 'quarter'
          ? `${y}-Q${Math.ceil(m / 3)}`
          : `${y}-${String(m).padStart(2, '0')}`;
    if (parsePeriod(code).from > to) break;
    if (codes.at(-1) !== code) codes.push(code);
    m++;
    if (m > 12) {
      m = 1;
      y++;
    }
  }
  return codes;
}

/** Told, inside the transaction, about each report approved (outbound webhooks). */
export interface ReportListener {
  reportApproved(m: EntityManager, reportId: string): Promise<void>;
}

/**
 * Progress reports: written by a commune's steering members (for the unit) or a department head (for the
 * organisation), reviewed by steering members of the level above — draft → submitted → approved or returned.
 * Approved reports are locked; reopening one is an explicit, audited act of a reviewer.
 */
@Injectable()
export class ReportService {
  private readonly listeners: ReportListener[] = [];

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly programs: ProgramService,
    private readonly units: KpiUnits,
    private readonly organisations: OrganisationRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly recordFigures: RecordFiguresRepository,
  ) {}

  listen(listener: ReportListener): void {
    this.listeners.push(listener);
  }

  async create(principal: Principal, dto: CreateReportDto): Promise<ReportDto> {
    const program = await this.programs.find(dto.programId);
    if ((dto.unit === undefined) === (dto.organisationId === undefined)) {
      throw KpiErrors.invalid([
        { field: 'unit', reason: 'cần đúng một trong hai: unit (đơn vị) hoặc organisationId' },
      ]);
    }
    let unitId: number;
    let unitPath: string;
    if (dto.organisationId) {
      const organisation = await this.organisations.findById(dto.organisationId);
      if (!organisation)
        throw KpiErrors.invalid([{ field: 'organisationId', reason: 'không có cơ quan, đơn vị này' }]);
      if (!Policy.isAdmin(principal) && !Policy.organisations(principal).includes(organisation.id)) {
        throw AccessErrors.outOfScope();
      }
      unitId = organisation.unitId;
      unitPath = organisation.unitPath;
    } else {
      const unit = await this.units.resolve(principal, dto.unit!, ['steering']);
      unitId = unit.id;
      unitPath = unit.path;
    }
    this.validate(program, dto);
    const id = await this.dataSource.transaction(async (m) => {
      const [existing]: { id: string }[] = await m.query(
        `SELECT id FROM progress_report WHERE program_id = $1 AND period = $2 AND unit_id = $3
            AND organisation_id IS NOT DISTINCT FROM $4`,
        [program.id, dto.period, unitId, dto.organisationId ?? null],
      );
      if (existing) throw KpiErrors.reportExists(existing.id);
      const [row]: { id: string }[] = await m.query(
        `INSERT INTO progress_report (program_id, unit_id, organisation_id, period, headcount, trained, proficient,
                                      indicators, notes, author_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
        [
          program.id,
          unitId,
          dto.organisationId ?? null,
          dto.period,
          dto.headcount ?? null,
          dto.trained ?? null,
          dto.proficient ?? null,
          JSON.stringify(dto.indicators ?? {}),
          dto.notes ?? null,
          principal.id,
        ],
      );
      const after = await this.row(m, row.id);
      await this.audit.record(
        {
          action: 'report.created',
          entityType: 'progress_report',
          entityId: row.id,
          after: toReportDto(after!),
          scopePaths: [unitPath],
        },
        m,
      );
      return row.id;
    });
    return this.dto((await this.row(this.dataSource.manager, id))!);
  }

  async list(principal: Principal, query: ListReportsQueryDto): Promise<Page<ReportDto>> {
    const params: unknown[] = [programOf(query)];
    const conditions = ['r.program_id = $1', this.scopeSql(principal, params)];
    if (query.unit) {
      // The scope condition above decides what is visible; the unit only narrows it.
      const [unit] = await this.units.byCodes([query.unit]);
      if (!unit) return page([], 0, query);
      params.push(unit.path);
      conditions.push(`u.path LIKE $${params.length} || '%'`);
    }
    if (query.period) {
      params.push(query.period);
      conditions.push(`r.period = $${params.length}`);
    }
    if (query.status) {
      params.push(query.status);
      conditions.push(`r.status = $${params.length}`);
    }
    if (query.awaitingMe) conditions.push(this.inboxSql(principal, params));
    const { rows, total } = await pagedQuery<ReportRow>(
      this.dataSource,
      `${SELECT} WHERE ${conditions.join(' AND ')}`,
      params,
      `period DESC, "unitPath", "organisationName" NULLS FIRST, id`,
      query.limit,
      query.offset,
    );
    const steps = await this.approvalSteps(this.dataSource.manager, rows);
    return page(
      rows.map((r) => toReportDto(r, steps.get(r.id))),
      total,
      query,
    );
  }

  async get(principal: Principal, id: string): Promise<ReportDto> {
    return this.dto(await this.visible(principal, id));
  }

  async update(principal: Principal, id: string, dto: ReportFiguresDto): Promise<ReportDto> {
    return this.transition(
      principal,
      id,
      'author',
      ['draft', 'returned'],
      'sửa',
      async (m, before, program) => {
        const keep = <K extends 'headcount' | 'trained' | 'proficient'>(k: K) =>
          dto[k] === undefined ? before[k] : dto[k];
        this.validate(program, {
          headcount: keep('headcount'),
          trained: keep('trained'),
          proficient: keep('proficient'),
          indicators: dto.indicators ?? before.indicators,
        });
        await m.query(
          `UPDATE progress_report SET headcount = $2, trained = $3, proficient = $4, indicators = $5, notes = $6,
                updated_at = now() WHERE id = $1`,
          [
            id,
            keep('headcount'),
            keep('trained'),
            keep('proficient'),
            JSON.stringify(dto.indicators ?? before.indicators),
            dto.notes === undefined ? before.notes : dto.notes,
          ],
        );
        return 'report.updated';
      },
    );
  }

  async submit(principal: Principal, id: string): Promise<ReportDto> {
    return this.transition(principal, id, 'author', ['draft', 'returned'], 'nộp', async (m, before) => {
      const missing = (['headcount', 'trained', 'proficient'] as const).filter((f) => before[f] === null);
      if (missing.length) {
        throw KpiErrors.invalid(
          missing.map((field) => ({ field, reason: 'cần nhập trước khi nộp báo cáo' })),
        );
      }
      const figures = await this.recordFigures.figures(
        before.programId,
        parsePeriod(before.period).to,
        before.organisationId ? { organisationId: before.organisationId } : { unitPath: before.unitPath },
        m,
      );
      const chain = (await this.chains(m, [id])).get(id)!;
      await m.query(`DELETE FROM progress_report_approval WHERE report_id = $1`, [id]);
      await m.query(
        `UPDATE progress_report SET status = 'submitted', submitted_at = now(), review_comment = NULL,
                approval_step = 0, record_figures = $2, awaiting_unit_id = $3, updated_at = now() WHERE id = $1`,
        [id, JSON.stringify(figures), chain.units[0]?.id ?? null],
      );
      return 'report.submitted';
    });
  }

  /**
   * The level the report waits at approves it: it climbs to the next level, or — at the last level — it is
   * approved and locked, and its figures count.
   */
  async approve(principal: Principal, id: string, comment?: string): Promise<ReportDto> {
    return this.transition(principal, id, 'reviewer', ['submitted'], 'duyệt', async (m, before) => {
      const chain = (await this.chains(m, [id])).get(id)!;
      const step = before.approvalStep;
      const unit = chain.units[step];
      if (unit) {
        await m.query(
          `INSERT INTO progress_report_approval (report_id, step, unit_id, approved_by, comment)
           VALUES ($1, $2, $3, $4, $5)`,
          [id, step, unit.id, principal.id, comment ?? null],
        );
      }
      const next = chain.units[step + 1];
      if (next) {
        await m.query(
          `UPDATE progress_report SET approval_step = $2, awaiting_unit_id = $3, reviewed_by = $4, reviewed_at = now(),
                  review_comment = $5, updated_at = now() WHERE id = $1`,
          [id, step + 1, next.id, principal.id, comment ?? null],
        );
        return 'report.level_approved';
      }
      await this.review(m, id, 'approved', principal.id, comment ?? null);
      await m.query(`UPDATE progress_report SET approval_step = $2, awaiting_unit_id = NULL WHERE id = $1`, [
        id,
        chain.units.length,
      ]);
      for (const listener of this.listeners) await listener.reportApproved(m, id);
      return 'report.approved';
    });
  }

  /** Any level sends the report back to its author with a comment; once resubmitted it climbs from the start. */
  async return(principal: Principal, id: string, comment: string): Promise<ReportDto> {
    return this.transition(principal, id, 'reviewer', ['submitted'], 'trả lại', async (m) => {
      await this.review(m, id, 'returned', principal.id, comment);
      return 'report.returned';
    });
  }

  /** Unlocks an approved report for correction: it goes back to its author as returned, with the reason. */
  async reopen(principal: Principal, id: string, reason: string): Promise<ReportDto> {
    return this.transition(principal, id, 'reviewer', ['approved'], 'mở lại', async (m) => {
      await this.review(m, id, 'returned', principal.id, reason);
      return 'report.reopened';
    });
  }

  /** The child units and organisations of a unit that have not submitted their report for a period. */
  async missing(principal: Principal, query: MissingReportsQueryDto): Promise<ExpectedReportDto[]> {
    const program = await this.programs.find(programOf(query));
    const unit = await this.units.resolve(principal, query.unit, ['steering', 'viewer']);
    return this.expected(program, unit.id, [query.period]);
  }

  /** Reports past their due date (period end + 5 days) and still not submitted, period by period. */
  async overdue(principal: Principal, query: OverdueReportsQueryDto): Promise<ExpectedReportDto[]> {
    const program = await this.programs.find(programOf(query));
    const unit = await this.units.resolve(principal, query.unit, ['steering', 'viewer']);
    const today = this.clock.today();
    const periods = periodsBetween(
      query.frequency,
      program.startsOn,
      program.endsOn < today ? program.endsOn : today,
    );
    return (await this.expected(program, unit.id, periods)).filter((e) => e.overdue);
  }

  private async expected(
    program: ProgramRow,
    unitId: number,
    periods: string[],
  ): Promise<ExpectedReportDto[]> {
    const today = this.clock.today();
    const dues = periods.map((p) => addDays(lastDay(parsePeriod(p)), REPORT_DUE_DAYS));
    const rows: Omit<ExpectedReportDto, 'overdue'>[] = await this.dataSource.query(
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
      [program.id, unitId, periods, dues],
    );
    return rows.map((r) => ({ ...r, dueOn: String(r.dueOn), overdue: String(r.dueOn) < today }));
  }

  private async transition(
    principal: Principal,
    id: string,
    actor: 'author' | 'reviewer',
    from: ReportStatus[],
    verb: string,
    apply: (m: EntityManager, before: ReportRow, program: ProgramRow) => Promise<string>,
  ): Promise<ReportDto> {
    const report = await this.visible(principal, id);
    const allowed =
      actor === 'author'
        ? this.isAuthor(principal, report)
        : this.isReviewer(principal, report, (await this.chains(this.dataSource.manager, [id])).get(id)!);
    if (!allowed)
      throw AccessErrors.forbidden(
        actor === 'author'
          ? 'Chỉ ban chỉ đạo của đơn vị hoặc thủ trưởng cơ quan lập báo cáo mới thực hiện được thao tác này.'
          : 'Chỉ ban chỉ đạo cấp trên của đơn vị báo cáo mới duyệt, trả lại hoặc mở lại được.',
      );
    const program = await this.programs.find(report.programId);
    const after = await this.dataSource.transaction(async (m) => {
      const [before] = await returning<ReportRow>(m, `${SELECT} WHERE r.id = $1 FOR UPDATE OF r`, [id]);
      if (!from.includes(before.status)) {
        throw before.status === 'approved'
          ? KpiErrors.reportLocked()
          : KpiErrors.reportState(before.status, verb);
      }
      const action = await apply(m, before, program);
      const row = (await this.row(m, id))!;
      await this.audit.record(
        {
          action,
          entityType: 'progress_report',
          entityId: id,
          before: toReportDto(before),
          after: toReportDto(row),
          scopePaths: [row.unitPath],
        },
        m,
      );
      return row;
    });
    return this.dto(after);
  }

  private async review(
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
    if (status === 'returned') {
      await m.query(`DELETE FROM progress_report_approval WHERE report_id = $1`, [id]);
      await m.query(`UPDATE progress_report SET approval_step = 0, awaiting_unit_id = NULL WHERE id = $1`, [
        id,
      ]);
    }
  }

  private validate(
    program: ProgramRow,
    dto: {
      headcount?: number | null;
      trained?: number | null;
      proficient?: number | null;
      indicators?: Record<string, number>;
    },
  ): void {
    const problems: FieldError[] = [];
    const codes = program.reportedIndicators.map((r) => r.code);
    for (const [code, value] of Object.entries(dto.indicators ?? {})) {
      if (!codes.includes(code))
        problems.push({ field: `indicators.${code}`, reason: 'chương trình không có chỉ tiêu này' });
      else if (!Number.isInteger(value) || value < 0)
        problems.push({ field: `indicators.${code}`, reason: 'phải là số nguyên không âm' });
    }
    const { headcount, trained, proficient } = dto;
    const given = (...values: (number | null | undefined)[]) =>
      values.every((v) => v !== null && v !== undefined);
    if (given(headcount, trained) && trained! > headcount!)
      problems.push({ field: 'trained', reason: 'không được lớn hơn tổng số người' });
    if (given(trained, proficient) && proficient! > trained!)
      problems.push({ field: 'proficient', reason: 'không được lớn hơn số đã tập huấn' });
    if (problems.length) throw KpiErrors.invalid(problems);
  }

  private isAuthor(principal: Principal, r: ReportRow): boolean {
    if (Policy.isAdmin(principal)) return true;
    return r.organisationId
      ? Policy.organisations(principal).includes(r.organisationId)
      : Policy.covers(principal, ['steering'], r.unitPath);
  }

  /**
   * Who acts on a report: on a submitted one, the level it waits at; on an approved one (to reopen it), the last
   * level. With a configured chain that is the steering members of that level's own unit; without one, any
   * steering member above the reporting unit (for an organisation: of its unit or above).
   */
  private isReviewer(principal: Principal, r: ReportRow, chain: Chain): boolean {
    if (Policy.isAdmin(principal)) return true;
    const unit = r.status === 'approved' ? chain.units.at(-1) : chain.units[r.approvalStep];
    if (!unit) return false;
    return chain.configured
      ? principal.assignments.some((a) => a.role === 'steering' && a.unitPath === unit.path)
      : Policy.covers(principal, ['steering'], unit.path);
  }

  /** Submitted reports waiting at a level where the caller acts (an administrator: all submitted reports). */
  private inboxSql(principal: Principal, params: unknown[]): string {
    if (Policy.isAdmin(principal)) return `r.status = 'submitted'`;
    const own = principal.assignments
      .filter((a) => a.role === 'steering' && a.unitPath)
      .map((a) => a.unitPath);
    params.push(own);
    const n = params.length;
    return `(r.status = 'submitted' AND (aw.path = ANY ($${n}::text[])
              OR (g.report_approval_levels IS NULL AND aw.path LIKE ANY (SELECT x || '%' FROM unnest($${n}::text[]) x))))`;
  }

  /** The approval chain of each report: its levels, bottom up. */
  private async chains(m: EntityManager, ids: string[]): Promise<Map<string, Chain>> {
    const rows: (ChainUnit & { reportId: string; configured: boolean; fallback: boolean })[] = await m.query(
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

  /** Each report's chain as its reporter and reviewers see it: who approved, where it waits, what is left. */
  private async approvalSteps(
    m: EntityManager,
    reports: ReportRow[],
  ): Promise<Map<string, ReportApprovalStepDto[]>> {
    const ids = reports.map((r) => r.id);
    const chains = await this.chains(m, ids);
    const approvals: (ApprovalRow & { reportId: string })[] = ids.length
      ? await m.query(
          `SELECT pa.report_id AS "reportId", pa.step, au.display_name AS "approverName", pa.approved_at AS "approvedAt",
                  pa.comment
             FROM progress_report_approval pa LEFT JOIN app_user au ON au.id = pa.approved_by
            WHERE pa.report_id = ANY ($1::uuid[])`,
          [ids],
        )
      : [];
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

  private async dto(row: ReportRow): Promise<ReportDto> {
    const steps = await this.approvalSteps(this.dataSource.manager, [row]);
    return toReportDto(row, steps.get(row.id));
  }

  private scopeSql(principal: Principal, params: unknown[]): string {
    if (Policy.isAdmin(principal)) return 'TRUE';
    const parts = [Policy.sqlScope(principal, ['steering', 'viewer'], 'u.path', params)];
    const organisations = Policy.organisations(principal);
    if (organisations.length) {
      params.push(organisations);
      parts.push(`r.organisation_id = ANY ($${params.length}::uuid[])`);
    }
    return `(${parts.join(' OR ')})`;
  }

  private async visible(principal: Principal, id: string): Promise<ReportRow> {
    const params: unknown[] = [id];
    const [row]: ReportRow[] = await this.dataSource.query(
      `${SELECT} WHERE r.id = $1 AND ${this.scopeSql(principal, params)}`,
      params,
    );
    if (!row) throw KpiErrors.reportNotFound();
    return row;
  }

  private async row(m: EntityManager, id: string): Promise<ReportRow | null> {
    const [row]: ReportRow[] = await m.query(`${SELECT} WHERE r.id = $1`, [id]);
    return row ?? null;
  }
}
