import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AccessErrors, Policy, Principal } from '../../access/src';
import { AuditService } from '../../audit/src';
import { OrganisationRepository } from '../../hierarchy/src';
import { addDays, Clock, FieldError, Page, page, pagedQuery, returning } from '../../platform/src';
import { ProgramRow, ProgramService } from '../../programs/src';
import { KpiErrors } from './kpi.errors';
import { KpiUnits } from './kpi-units';
import { lastDay, parsePeriod } from './period';
import {
  CreateReportDto,
  ExpectedReportDto,
  ListReportsQueryDto,
  MissingReportsQueryDto,
  OverdueReportsQueryDto,
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
}

const SELECT = `
  SELECT r.id, r.program_id AS "programId", r.period, r.unit_id AS "unitId", u.code AS "unitCode",
         u.full_name AS "unitName", u.path AS "unitPath", r.organisation_id AS "organisationId",
         o.name AS "organisationName", r.status, r.headcount, r.trained, r.proficient, r.indicators, r.notes,
         au.display_name AS "authorName", r.submitted_at AS "submittedAt", ru.display_name AS "reviewerName",
         r.reviewed_at AS "reviewedAt", r.review_comment AS "reviewComment", r.updated_at AS "updatedAt"
    FROM progress_report r
    JOIN admin_unit u ON u.id = r.unit_id
    LEFT JOIN organisation o ON o.id = r.organisation_id
    LEFT JOIN app_user au ON au.id = r.author_id
    LEFT JOIN app_user ru ON ru.id = r.reviewed_by`;

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

function toReportDto(r: ReportRow): ReportDto {
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
    return toReportDto((await this.row(this.dataSource.manager, id))!);
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
    const { rows, total } = await pagedQuery<ReportRow>(
      this.dataSource,
      `${SELECT} WHERE ${conditions.join(' AND ')}`,
      params,
      `period DESC, "unitPath", "organisationName" NULLS FIRST, id`,
      query.limit,
      query.offset,
    );
    return page(rows.map(toReportDto), total, query);
  }

  async get(principal: Principal, id: string): Promise<ReportDto> {
    return toReportDto(await this.visible(principal, id));
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
      await m.query(
        `UPDATE progress_report SET status = 'submitted', submitted_at = now(), review_comment = NULL,
                updated_at = now() WHERE id = $1`,
        [id],
      );
      return 'report.submitted';
    });
  }

  async approve(principal: Principal, id: string, comment?: string): Promise<ReportDto> {
    return this.transition(principal, id, 'reviewer', ['submitted'], 'duyệt', async (m) => {
      await this.review(m, id, 'approved', principal.id, comment ?? null);
      for (const listener of this.listeners) await listener.reportApproved(m, id);
      return 'report.approved';
    });
  }

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
      actor === 'author' ? this.isAuthor(principal, report) : this.isReviewer(principal, report);
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
    return toReportDto(after);
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

  /** A steering member above the reporting unit (for an organisation: of its unit or above). */
  private isReviewer(principal: Principal, r: ReportRow): boolean {
    if (Policy.isAdmin(principal)) return true;
    return principal.assignments.some(
      (a) =>
        a.role === 'steering' &&
        a.unitPath !== null &&
        r.unitPath.startsWith(a.unitPath) &&
        (r.organisationId !== null || a.unitPath !== r.unitPath),
    );
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
