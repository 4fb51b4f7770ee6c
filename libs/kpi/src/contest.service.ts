import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Policy, Principal } from '../../access/src';
import { AuditService } from '../../audit/src';
import { FieldError, Page, page, pagedQuery } from '../../platform/src';
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
import { KpiErrors } from './kpi.errors';
import { ENTRANT_JOINS, ENTRANT_NAME } from './kpi-figures.repository';
import { KpiUnits } from './kpi-units';
import { KPI_READERS } from './kpi.service';
import { lastDay, parsePeriod } from './period';

/** Who organises contests and judges them: steering members of the contest's unit or above. */
const ORGANISERS = ['steering'] as const;

interface ContestRow {
  id: string;
  programId: string;
  unitId: number;
  unitCode: string;
  unitName: string;
  unitPath: string;
  scopePath: string;
  name: string;
  description: string | null;
  period: string;
  startsOn: string;
  endsOn: string;
  winners: number;
  status: 'open' | 'published';
  publishedAt: Date | null;
  entryCount: number;
}

const SELECT = `
  SELECT c.id, c.program_id AS "programId", c.unit_id AS "unitId", u.code AS "unitCode", u.full_name AS "unitName",
         u.path AS "unitPath", admin_unit_scope_path(u.id) AS "scopePath", c.name, c.description, c.period,
         c.starts_on::text AS "startsOn", c.ends_on::text AS "endsOn", c.winners, c.status,
         c.published_at AS "publishedAt",
         (SELECT count(*)::int FROM contest_entry e WHERE e.contest_id = c.id) AS "entryCount"
    FROM contest c JOIN admin_unit u ON u.id = c.unit_id`;

/**
 * Who can enter a contest of program $1, by kind: (id, name, unit_id). People must have enrolled in a class
 * of the program, trainers be active trainers of it, classes belong to it; organisations are those of the area.
 */
const SUBJECTS: Record<ContestEntryKind, string> = {
  person: `
    SELECT p.id, p.full_name AS name, p.commune_id AS unit_id FROM person p
     WHERE p.merged_into_id IS NULL
       AND EXISTS (SELECT 1 FROM enrolment e JOIN training_class k ON k.id = e.class_id
                    WHERE e.person_id = p.id AND k.program_id = $1)`,
  trainer: `
    SELECT t.id, p.full_name AS name, t.home_unit_id AS unit_id FROM trainer t JOIN person p ON p.id = t.person_id
     WHERE t.program_id = $1 AND t.status = 'active'`,
  class: `SELECT k.id, k.title AS name, k.unit_id FROM training_class k WHERE k.program_id = $1`,
  organisation: `SELECT o.id, o.name, o.unit_id FROM organisation o WHERE $1::uuid IS NOT NULL`,
};

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
      const [row]: { id: string }[] = await m.query(
        `INSERT INTO contest (program_id, unit_id, name, description, period, starts_on, ends_on, winners, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
        [
          program.id,
          unit.id,
          dto.name,
          dto.description ?? null,
          period.code,
          period.from,
          lastDay(period),
          dto.winners ?? 3,
          principal.id,
        ],
      );
      for (const [i, c] of dto.criteria.entries()) {
        await m.query(
          `INSERT INTO contest_criterion (contest_id, position, name, weight, max_points) VALUES ($1, $2, $3, $4, $5)`,
          [row.id, i + 1, c.name, c.weight, c.maxPoints],
        );
      }
      await this.audit.record(
        {
          action: 'contest.created',
          entityType: 'contest',
          entityId: row.id,
          after: { ...dto, unit: unit.code },
          scopePaths: [unit.path],
        },
        m,
      );
      return row.id;
    });
    return this.get(principal, id);
  }

  async list(principal: Principal, query: ListContestsQueryDto): Promise<Page<ContestSummaryDto>> {
    const program = await this.programs.find(query.programId);
    const params: unknown[] = [program.id];
    const conditions = [
      'c.program_id = $1',
      Policy.sqlScope(principal, KPI_READERS, 'admin_unit_scope_path(u.id)', params),
    ];
    if (query.unit) {
      const [unit] = await this.units.byCodes([query.unit]);
      if (!unit) return page([], 0, query);
      params.push(unit.path);
      conditions.push(`u.path LIKE $${params.length} || '%'`);
    }
    const { rows, total } = await pagedQuery<ContestRow>(
      this.dataSource,
      `${SELECT} WHERE ${conditions.join(' AND ')}`,
      params,
      '"endsOn" DESC, name, id',
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
    const criteria: ContestDto['criteria'] = await this.dataSource.query(
      `SELECT id, position, name, weight, max_points AS "maxPoints" FROM contest_criterion
        WHERE contest_id = $1 ORDER BY position`,
      [id],
    );
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
    const params: unknown[] = [contest.programId, contest.unitPath, id, query.kind];
    let search = '';
    if (query.q) {
      params.push(`%${query.q.toLocaleLowerCase('vi')}%`);
      search = `AND lower(s.name) LIKE $${params.length}`;
    }
    const rows: { id: string; name: string; unitCode: string; unitName: string }[] =
      await this.dataSource.query(
        `SELECT s.id, s.name, u.code AS "unitCode", u.full_name AS "unitName"
         FROM (${SUBJECTS[query.kind]}) s JOIN admin_unit u ON u.id = s.unit_id
        WHERE u.path LIKE $2 || '%' ${search}
          AND NOT EXISTS (SELECT 1 FROM contest_entry e WHERE e.contest_id = $3 AND e.kind = $4 AND e.subject_id = s.id)
        ORDER BY s.name, s.id LIMIT 50`,
        params,
      );
    return rows.map((r) => ({ id: r.id, name: r.name, unit: { code: r.unitCode, fullName: r.unitName } }));
  }

  async addEntry(principal: Principal, id: string, dto: CreateEntryDto): Promise<ContestEntryDto> {
    const contest = await this.organised(principal, id);
    const entryId = await this.dataSource.transaction(async (m) => {
      await this.lockOpen(m, id);
      const [subject]: { id: string; unitId: number; inArea: boolean }[] = await m.query(
        `SELECT s.id, s.unit_id AS "unitId", u.path LIKE $2 || '%' AS "inArea"
           FROM (${SUBJECTS[dto.kind]}) s JOIN admin_unit u ON u.id = s.unit_id WHERE s.id = $3`,
        [contest.programId, contest.unitPath, dto.subjectId],
      );
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
      const [existing]: { id: string }[] = await m.query(
        `SELECT id FROM contest_entry WHERE contest_id = $1 AND kind = $2 AND subject_id = $3`,
        [id, dto.kind, dto.subjectId],
      );
      if (existing) throw KpiErrors.contestEntryExists(existing.id);
      const [row]: { id: string }[] = await m.query(
        `INSERT INTO contest_entry (contest_id, kind, subject_id, unit_id, title, created_by)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [id, dto.kind, dto.subjectId, subject.unitId, dto.title ?? null, principal.id],
      );
      await this.audit.record(
        {
          action: 'contest.entry_added',
          entityType: 'contest',
          entityId: id,
          after: { entryId: row.id, ...dto },
          scopePaths: [contest.unitPath],
        },
        m,
      );
      return row.id;
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
      const [entry]: { id: string }[] = await m.query(
        `SELECT id FROM contest_entry WHERE id = $1 AND contest_id = $2`,
        [entryId, id],
      );
      if (!entry) throw KpiErrors.contestEntryNotFound();
      const criteria: { id: string; maxPoints: number }[] = await m.query(
        `SELECT id, max_points AS "maxPoints" FROM contest_criterion WHERE contest_id = $1`,
        [id],
      );
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
      const before: { criterionId: string; points: string }[] = await m.query(
        `SELECT criterion_id AS "criterionId", points FROM contest_score WHERE entry_id = $1 AND judge_id = $2`,
        [entryId, principal.id],
      );
      for (const s of dto.scores) {
        await m.query(
          `INSERT INTO contest_score (entry_id, criterion_id, judge_id, points) VALUES ($1, $2, $3, $4)
           ON CONFLICT (entry_id, criterion_id, judge_id) DO UPDATE SET points = EXCLUDED.points, updated_at = now()`,
          [entryId, s.criterionId, principal.id, s.points],
        );
      }
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
      const [{ n }]: { n: number }[] = await m.query(
        `SELECT count(*)::int AS n FROM contest_criterion WHERE contest_id = $1`,
        [id],
      );
      const entries = await this.entries(m, contest, n, principal.id);
      if (!entries.length) throw KpiErrors.contestNoEntries();
      const unscored = entries.filter((e) => !e.scored);
      if (unscored.length) throw KpiErrors.contestUnscored(unscored.map((e) => e.name));
      await m.query(
        `UPDATE contest_entry e SET total = x.total, rank = x.rank
           FROM (SELECT id, total, rank() OVER (ORDER BY total DESC) AS rank
                   FROM unnest($2::uuid[], $3::numeric[]) AS t(id, total)) x
          WHERE e.id = x.id AND e.contest_id = $1`,
        [id, entries.map((e) => e.id), entries.map((e) => e.total)],
      );
      await m.query(
        `UPDATE contest SET status = 'published', published_at = now(), published_by = $2, updated_at = now()
          WHERE id = $1`,
        [id, principal.id],
      );
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
    const rows: {
      id: string;
      kind: ContestEntryKind;
      subjectId: string;
      name: string;
      unitCode: string;
      unitName: string;
      title: string | null;
      scoredCriteria: number;
      live: string | null;
      total: string | null;
      rank: number | null;
      judges: number;
      mine: Record<string, string> | null;
    }[] = await m.query(
      `WITH per AS (
         SELECT s.entry_id, s.criterion_id, avg(s.points) AS points
           FROM contest_score s JOIN contest_entry e ON e.id = s.entry_id WHERE e.contest_id = $1 GROUP BY 1, 2),
       live AS (
         SELECT p.entry_id, count(*)::int AS n,
                round(sum(c.weight * p.points / c.max_points) * 100
                      / (SELECT sum(weight) FROM contest_criterion WHERE contest_id = $1), 2) AS total
           FROM per p JOIN contest_criterion c ON c.id = p.criterion_id GROUP BY 1),
       judges AS (
         SELECT entry_id, count(*)::int AS n FROM (
           SELECT s.entry_id, s.judge_id FROM contest_score s JOIN contest_entry e ON e.id = s.entry_id
            WHERE e.contest_id = $1 GROUP BY 1, 2 HAVING count(*) = $2) j GROUP BY 1)
       SELECT e.id, e.kind, e.subject_id AS "subjectId",
              ${ENTRANT_NAME} AS name,
              u.code AS "unitCode", u.full_name AS "unitName", e.title, coalesce(l.n, 0) AS "scoredCriteria",
              l.total AS live, e.total, e.rank, coalesce(j.n, 0) AS judges,
              (SELECT jsonb_object_agg(s.criterion_id, s.points) FROM contest_score s
                WHERE s.entry_id = e.id AND s.judge_id = $3) AS mine
         FROM contest_entry e JOIN admin_unit u ON u.id = e.unit_id
         ${ENTRANT_JOINS}
         LEFT JOIN live l ON l.entry_id = e.id LEFT JOIN judges j ON j.entry_id = e.id
        WHERE e.contest_id = $1`,
      [contest.id, criteria, judgeId],
    );
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
    const params: unknown[] = [id];
    const [row]: ContestRow[] = await this.dataSource.query(
      `${SELECT} WHERE c.id = $1 AND ${Policy.sqlScope(principal, KPI_READERS, 'admin_unit_scope_path(u.id)', params)}`,
      params,
    );
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
    const [row]: { status: string }[] = await m.query(`SELECT status FROM contest WHERE id = $1 FOR UPDATE`, [
      id,
    ]);
    if (row.status !== 'open') throw KpiErrors.contestPublished();
  }
}
