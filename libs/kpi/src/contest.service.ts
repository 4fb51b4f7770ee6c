import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Policy, Principal } from '../../access/src';
import { AuditService } from '../../audit/src';
import { FieldError, Page, page } from '../../platform/src';
import { ProgramService } from '../../programs/src';
import {
  CandidatesQueryDto,
  ContestCandidateDto,
  ContestDto,
  ContestEntryDto,
  ContestEntryKind,
  ContestSummaryDto,
  CreateContestDto,
  CreateEntryDto,
  ListContestsQueryDto,
  PutScoresDto,
} from './contest.dto';
import { ContestRepository, ContestRow } from './contest.repository';
import { KpiErrors } from './kpi.errors';
import { KpiUnits } from './kpi-units';
import { lastDay, parsePeriod } from './period';

/** Who organises contests and judges them: steering members of the contest's unit or above. */
const ORGANISERS = ['steering'] as const;

const KIND_NAMES: Record<ContestEntryKind, string> = {
  person: 'người học',
  trainer: 'giảng viên',
  class: 'lớp học',
  organisation: 'cơ quan, tổ chức',
};

const toSummary = (r: ContestRow, periodLabel: string): ContestSummaryDto => ({
  id: r.id,
  programId: r.programId,
  unit: { code: r.unitCode, fullName: r.unitName },
  name: r.name,
  description: r.description,
  period: r.period,
  periodLabel,
  startsOn: r.startsOn,
  endsOn: r.endsOn,
  winners: r.winners,
  status: r.status,
  publishedAt: r.publishedAt ? new Date(r.publishedAt).toISOString() : null,
  entryCount: r.entryCount,
});

/**
 * Contests ("hội thi") of a program: a steering member creates one for their unit and a period with
 * weighted criteria; entries come from people, trainers, classes and organisations of the unit's subtree;
 * judges (steering members of the unit or above) give points per criterion; publishing fixes each entry's
 * total (out of 100: the weighted mean of the criteria, each the judges' average over its maximum) and rank.
 * Every read is scoped in SQL to the caller's part of the map.
 */
@Injectable()
export class ContestService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly programs: ProgramService,
    private readonly units: KpiUnits,
    private readonly audit: AuditService,
    private readonly contests: ContestRepository,
  ) {}

  async create(principal: Principal, dto: CreateContestDto): Promise<ContestDto> {
    const program = await this.programs.find(dto.programId);
    const unit = await this.units.resolve(principal, dto.unit, ORGANISERS);
    const errors: FieldError[] = [];
    if (!unit.current) errors.push({ field: 'unit', reason: 'đơn vị đã giải thể hoặc sáp nhập' });
    else if (!unit.scopePath.startsWith(program.ownerScopePath))
      errors.push({ field: 'unit', reason: 'đơn vị không thuộc địa bàn của chương trình' });
    const names = dto.criteria.map((c) => c.name.toLocaleLowerCase('vi'));
    names.forEach((name, i) => {
      if (names.indexOf(name) !== i)
        errors.push({ field: `criteria[${i}].name`, reason: 'tiêu chí bị trùng tên' });
    });
    if (errors.length) throw KpiErrors.invalid(errors);
    const period = parsePeriod(dto.period, program);
    const id = await this.dataSource.transaction(async (m) => {
      const contestId = await this.contests.insert(m, {
        programId: program.id,
        unitId: unit.id,
        name: dto.name,
        description: dto.description ?? null,
        period: period.code,
        startsOn: period.from,
        endsOn: lastDay(period),
        winners: dto.winners ?? 3,
        createdBy: principal.id,
        criteria: dto.criteria,
      });
      await this.audit.record(
        {
          action: 'contest.created',
          entityType: 'contest',
          entityId: contestId,
          after: { ...dto, unit: unit.code },
          scopePaths: [unit.path],
        },
        m,
      );
      return contestId;
    });
    return this.get(principal, id);
  }

  async list(principal: Principal, query: ListContestsQueryDto): Promise<Page<ContestSummaryDto>> {
    const program = await this.programs.find(query.programId);
    let unitPath: string | undefined;
    if (query.unit) {
      const [unit] = await this.units.byCodes([query.unit]);
      if (!unit) return page([], 0, query);
      unitPath = unit.path;
    }
    const { rows, total } = await this.contests.list(
      principal,
      program.id,
      unitPath,
      query.limit,
      query.offset,
    );
    return page(
      rows.map((r) => toSummary(r, parsePeriod(r.period, program).label)),
      total,
      query,
    );
  }

  async get(principal: Principal, id: string): Promise<ContestDto> {
    const contest = await this.visible(principal, id);
    const program = await this.programs.find(contest.programId);
    const criteria = await this.contests.criteria(id);
    const entries = await this.entries(this.dataSource.manager, contest, criteria.length, principal.id);
    return {
      ...toSummary(contest, parsePeriod(contest.period, program).label),
      criteria,
      entries,
      canJudge: Policy.covers(principal, ORGANISERS, contest.scopePath),
    };
  }

  /** People, trainers, classes or organisations of the contest's area that may enter, by name. */
  async candidates(
    principal: Principal,
    id: string,
    query: CandidatesQueryDto,
  ): Promise<ContestCandidateDto[]> {
    const contest = await this.visible(principal, id);
    const rows = await this.contests.candidates(contest, query.kind, query.q);
    return rows.map((r) => ({ id: r.id, name: r.name, unit: { code: r.unitCode, fullName: r.unitName } }));
  }

  async addEntry(principal: Principal, id: string, dto: CreateEntryDto): Promise<ContestEntryDto> {
    const contest = await this.organised(principal, id);
    const entryId = await this.dataSource.transaction(async (m) => {
      await this.lockOpen(m, id);
      const subject = await this.contests.subject(m, contest, dto.kind, dto.subjectId);
      if (!subject) {
        throw KpiErrors.invalid([
          {
            field: 'subjectId',
            reason:
              dto.kind === 'organisation'
                ? 'không có cơ quan, tổ chức này'
                : `không có ${KIND_NAMES[dto.kind]} này trong chương trình`,
          },
        ]);
      }
      if (!subject.inArea) {
        throw KpiErrors.invalid([
          { field: 'subjectId', reason: `${KIND_NAMES[dto.kind]} không thuộc địa bàn của hội thi` },
        ]);
      }
      const existing = await this.contests.existingEntry(m, id, dto.kind, dto.subjectId);
      if (existing) throw KpiErrors.contestEntryExists(existing);
      const newId = await this.contests.insertEntry(m, id, {
        kind: dto.kind,
        subjectId: dto.subjectId,
        unitId: subject.unitId,
        title: dto.title ?? null,
        createdBy: principal.id,
      });
      await this.audit.record(
        {
          action: 'contest.entry_added',
          entityType: 'contest',
          entityId: id,
          after: { entryId: newId, ...dto },
          scopePaths: [contest.unitPath],
        },
        m,
      );
      return newId;
    });
    return this.entry(principal, id, entryId);
  }

  /** The caller, as a judge, gives points on some criteria of an entry (replacing their earlier points). */
  async score(
    principal: Principal,
    id: string,
    entryId: string,
    dto: PutScoresDto,
  ): Promise<ContestEntryDto> {
    const contest = await this.visible(principal, id);
    if (!Policy.covers(principal, ORGANISERS, contest.scopePath)) throw KpiErrors.contestNotJudge();
    await this.dataSource.transaction(async (m) => {
      await this.lockOpen(m, id);
      if (!(await this.contests.hasEntry(m, id, entryId))) throw KpiErrors.contestEntryNotFound();
      const criteria = await this.contests.maxPoints(m, id);
      const byId = new Map(criteria.map((c) => [c.id, c]));
      const errors: FieldError[] = [];
      const seen = new Set<string>();
      dto.scores.forEach((s, i) => {
        const criterion = byId.get(s.criterionId);
        if (!criterion)
          errors.push({ field: `scores[${i}].criterionId`, reason: 'không có tiêu chí này trong hội thi' });
        else if (s.points > criterion.maxPoints)
          errors.push({ field: `scores[${i}].points`, reason: `tối đa ${criterion.maxPoints} điểm` });
        if (seen.has(s.criterionId))
          errors.push({ field: `scores[${i}].criterionId`, reason: 'tiêu chí bị lặp' });
        seen.add(s.criterionId);
      });
      if (errors.length) throw KpiErrors.invalid(errors);
      const before = await this.contests.judgeScores(m, entryId, principal.id);
      await this.contests.putScores(m, entryId, principal.id, dto.scores);
      await this.audit.record(
        {
          action: 'contest.scored',
          entityType: 'contest_entry',
          entityId: entryId,
          before: before.map((b) => ({ criterionId: b.criterionId, points: Number(b.points) })),
          after: dto.scores,
          scopePaths: [contest.unitPath],
        },
        m,
      );
    });
    return this.entry(principal, id, entryId);
  }

  /** Fixes every entry's total and rank (equal totals share a rank) and locks the contest. */
  async publish(principal: Principal, id: string): Promise<ContestDto> {
    const contest = await this.organised(principal, id);
    await this.dataSource.transaction(async (m) => {
      await this.lockOpen(m, id);
      const n = await this.contests.criterionCount(m, id);
      const entries = await this.entries(m, contest, n, principal.id);
      if (!entries.length) throw KpiErrors.contestNoEntries();
      const unscored = entries.filter((e) => !e.scored);
      if (unscored.length) throw KpiErrors.contestUnscored(unscored.map((e) => e.name));
      await this.contests.publish(m, id, entries, principal.id);
      await this.audit.record(
        {
          action: 'contest.published',
          entityType: 'contest',
          entityId: id,
          after: { results: entries.map((e) => ({ entryId: e.id, total: e.total })) },
          scopePaths: [contest.unitPath],
        },
        m,
      );
    });
    return this.get(principal, id);
  }

  private async entry(principal: Principal, id: string, entryId: string): Promise<ContestEntryDto> {
    return (await this.get(principal, id)).entries.find((e) => e.id === entryId)!;
  }

  /**
   * The entries with their totals: published ones as fixed, open ones worked out now (the same rule), with
   * how many judges scored every criterion and the caller's own points.
   */
  private async entries(
    m: EntityManager,
    contest: ContestRow,
    criteria: number,
    judgeId: string,
  ): Promise<ContestEntryDto[]> {
    const rows = await this.contests.entries(m, contest.id, criteria, judgeId);
    const published = contest.status === 'published';
    return rows
      .map((r) => {
        const total = published ? r.total : r.live;
        return {
          id: r.id,
          kind: r.kind,
          subjectId: r.subjectId,
          name: r.name,
          unit: { code: r.unitCode, fullName: r.unitName },
          title: r.title,
          judges: r.judges,
          scored: r.scoredCriteria === criteria,
          total: total === null ? null : Number(total),
          rank: published ? r.rank : null,
          winner: published && r.rank !== null && r.rank <= contest.winners,
          myScores: Object.fromEntries(Object.entries(r.mine ?? {}).map(([k, v]) => [k, Number(v)])),
        };
      })
      .sort(
        (a, b) =>
          (a.rank ?? Infinity) - (b.rank ?? Infinity) ||
          (b.total ?? -1) - (a.total ?? -1) ||
          a.name.localeCompare(b.name, 'vi') ||
          a.id.localeCompare(b.id),
      );
  }

  /** The contest if the caller reads the KPI of its unit (steering or viewer of it or above), else 404. */
  private async visible(principal: Principal, id: string): Promise<ContestRow> {
    const row = await this.contests.visible(principal, id);
    if (!row) throw KpiErrors.contestNotFound();
    return row;
  }

  /** The contest if the caller organises it: a steering member of its unit or above. */
  private async organised(principal: Principal, id: string): Promise<ContestRow> {
    const contest = await this.visible(principal, id);
    await this.units.resolveId(principal, contest.unitId, ORGANISERS);
    return contest;
  }

  private async lockOpen(m: EntityManager, id: string): Promise<void> {
    if ((await this.contests.lockStatus(m, id)) !== 'open') throw KpiErrors.contestPublished();
  }
}
