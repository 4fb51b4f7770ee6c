import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AccessErrors, Policy, Principal } from '../../access/src';
import { AuditService } from '../../audit/src';
import { OrganisationRepository } from '../../hierarchy/src';
import { FieldError, Page, page } from '../../platform/src';
import { ProgramRow, ProgramService } from '../../programs/src';
import { KpiErrors } from './kpi.errors';
import { KpiUnits } from './kpi-units';
import { parsePeriod } from './period';
import { RecordFiguresRepository } from './record-figures.repository';
import { ReportChains } from './report-chain';
import {
  CreateReportDto,
  ListReportsQueryDto,
  ReportDto,
  programOf,
  ReportFiguresDto,
  ReportStatus,
} from './report.dto';
import { toReportDto } from './report.mapper';
import { ReportRepository, ReportRow } from './report.repository';

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
    private readonly recordFigures: RecordFiguresRepository,
    private readonly reports: ReportRepository,
    private readonly chains: ReportChains,
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
      const existing = await this.reports.existing(
        m,
        program.id,
        dto.period,
        unitId,
        dto.organisationId ?? null,
      );
      if (existing) throw KpiErrors.reportExists(existing);
      const reportId = await this.reports.insert(m, {
        programId: program.id,
        unitId,
        organisationId: dto.organisationId ?? null,
        period: dto.period,
        headcount: dto.headcount ?? null,
        trained: dto.trained ?? null,
        proficient: dto.proficient ?? null,
        indicators: dto.indicators ?? {},
        notes: dto.notes ?? null,
        authorId: principal.id,
      });
      const after = await this.reports.find(reportId, m);
      await this.audit.record(
        {
          action: 'report.created',
          entityType: 'progress_report',
          entityId: reportId,
          after: toReportDto(after!),
          scopePaths: [unitPath],
        },
        m,
      );
      return reportId;
    });
    return this.dto((await this.reports.find(id))!);
  }

  async list(principal: Principal, query: ListReportsQueryDto): Promise<Page<ReportDto>> {
    let unitPath: string | undefined;
    if (query.unit) {
      const [unit] = await this.units.byCodes([query.unit]);
      if (!unit) return page([], 0, query);
      unitPath = unit.path;
    }
    const { rows, total } = await this.reports.list(
      principal,
      {
        programId: programOf(query),
        unitPath,
        period: query.period,
        status: query.status,
        awaitingMe: query.awaitingMe,
      },
      query.limit,
      query.offset,
    );
    const steps = await this.chains.steps(this.dataSource.manager, rows);
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
        await this.reports.updateFigures(m, id, {
          headcount: keep('headcount'),
          trained: keep('trained'),
          proficient: keep('proficient'),
          indicators: dto.indicators ?? before.indicators,
          notes: dto.notes === undefined ? before.notes : dto.notes,
        });
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
      const chain = (await this.chains.of(m, [id])).get(id)!;
      await this.reports.markSubmitted(m, id, figures, chain.units[0]?.id ?? null);
      return 'report.submitted';
    });
  }

  /**
   * The level the report waits at approves it: it climbs to the next level, or — at the last level — it is
   * approved and locked, and its figures count.
   */
  async approve(principal: Principal, id: string, comment?: string): Promise<ReportDto> {
    return this.transition(principal, id, 'reviewer', ['submitted'], 'duyệt', async (m, before) => {
      const chain = (await this.chains.of(m, [id])).get(id)!;
      const step = before.approvalStep;
      const unit = chain.units[step];
      if (unit) await this.reports.insertApproval(m, id, step, unit.id, principal.id, comment ?? null);
      const next = chain.units[step + 1];
      if (next) {
        await this.reports.advance(m, id, step + 1, next.id, principal.id, comment ?? null);
        return 'report.level_approved';
      }
      await this.review(m, id, 'approved', principal.id, comment ?? null);
      await this.reports.finishChain(m, id, chain.units.length);
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
        : this.chains.isReviewer(
            principal,
            report,
            (await this.chains.of(this.dataSource.manager, [id])).get(id)!,
          );
    if (!allowed)
      throw AccessErrors.forbidden(
        actor === 'author'
          ? 'Chỉ ban chỉ đạo của đơn vị hoặc thủ trưởng cơ quan lập báo cáo mới thực hiện được thao tác này.'
          : 'Chỉ ban chỉ đạo cấp trên của đơn vị báo cáo mới duyệt, trả lại hoặc mở lại được.',
      );
    const program = await this.programs.find(report.programId);
    const after = await this.dataSource.transaction(async (m) => {
      const before = await this.reports.lock(m, id);
      if (!from.includes(before.status)) {
        throw before.status === 'approved'
          ? KpiErrors.reportLocked()
          : KpiErrors.reportState(before.status, verb);
      }
      const action = await apply(m, before, program);
      const row = (await this.reports.find(id, m))!;
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
    await this.reports.setReview(m, id, status, reviewerId, comment);
    if (status === 'returned') await this.reports.resetChain(m, id);
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

  private async dto(row: ReportRow): Promise<ReportDto> {
    const steps = await this.chains.steps(this.dataSource.manager, [row]);
    return toReportDto(row, steps.get(row.id));
  }

  private async visible(principal: Principal, id: string): Promise<ReportRow> {
    const row = await this.reports.visible(principal, id);
    if (!row) throw KpiErrors.reportNotFound();
    return row;
  }
}
