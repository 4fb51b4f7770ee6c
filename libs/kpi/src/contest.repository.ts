import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Principal } from '../../access/src';
import { pagedQuery, returning } from '../../platform/src';
import { ContestDto, ContestEntryKind } from './contest.dto';
import { contestScopeSql } from './contest.scope';
import { ENTRANT_JOINS, ENTRANT_NAME } from './kpi-figures.repository';

export interface ContestRow {
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

/** An entry with its fixed total and rank (once published), its live total, judges and the caller's points. */
export interface ContestEntryRow {
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
}

export interface NewContest {
  programId: string;
  unitId: number;
  name: string;
  description: string | null;
  period: string;
  startsOn: string;
  endsOn: string;
  winners: number;
  createdBy: string;
  criteria: { name: string; weight: number; maxPoints: number }[];
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

/** Contests, their criteria, entries and judges' scores. Every read of contests is scoped (contest.scope.ts). */
@Injectable()
export class ContestRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Creates the contest and its criteria (numbered from 1 in the order given); returns its id. */
  async insert(m: EntityManager, c: NewContest): Promise<string> {
    const [row]: { id: string }[] = await m.query(
      `INSERT INTO contest (program_id, unit_id, name, description, period, starts_on, ends_on, winners, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
      [c.programId, c.unitId, c.name, c.description, c.period, c.startsOn, c.endsOn, c.winners, c.createdBy],
    );
    for (const [i, criterion] of c.criteria.entries()) {
      await m.query(
        `INSERT INTO contest_criterion (contest_id, position, name, weight, max_points) VALUES ($1, $2, $3, $4, $5)`,
        [row.id, i + 1, criterion.name, criterion.weight, criterion.maxPoints],
      );
    }
    return row.id;
  }

  /** The program's contests the caller sees (within a subtree, if given), latest first. */
  list(
    principal: Principal,
    programId: string,
    unitPath: string | undefined,
    limit: number,
    offset: number,
  ): Promise<{ rows: ContestRow[]; total: number }> {
    const params: unknown[] = [programId];
    const conditions = ['c.program_id = $1', contestScopeSql(principal, params)];
    if (unitPath !== undefined) {
      params.push(unitPath);
      conditions.push(`u.path LIKE $${params.length} || '%'`);
    }
    return pagedQuery<ContestRow>(
      this.dataSource,
      `${SELECT} WHERE ${conditions.join(' AND ')}`,
      params,
      '"endsOn" DESC, name, id',
      limit,
      offset,
    );
  }

  /** The contest if the caller sees it, else null. */
  async visible(principal: Principal, id: string): Promise<ContestRow | null> {
    const params: unknown[] = [id];
    const [row]: ContestRow[] = await this.dataSource.query(
      `${SELECT} WHERE c.id = $1 AND ${contestScopeSql(principal, params)}`,
      params,
    );
    return row ?? null;
  }

  criteria(id: string): Promise<ContestDto['criteria']> {
    return this.dataSource.query(
      `SELECT id, position, name, weight, max_points AS "maxPoints" FROM contest_criterion
        WHERE contest_id = $1 ORDER BY position`,
      [id],
    );
  }

  /** The contest's status, its row locked until the transaction ends. */
  async lockStatus(m: EntityManager, id: string): Promise<string> {
    const [row]: { status: string }[] = await m.query(`SELECT status FROM contest WHERE id = $1 FOR UPDATE`, [
      id,
    ]);
    return row.status;
  }

  /** Who of a kind may still enter: in the contest's area, not entered yet, matching `q`; 50 by name. */
  async candidates(
    contest: Pick<ContestRow, 'id' | 'programId' | 'unitPath'>,
    kind: ContestEntryKind,
    q: string | undefined,
  ): Promise<{ id: string; name: string; unitCode: string; unitName: string }[]> {
    const params: unknown[] = [contest.programId, contest.unitPath, contest.id, kind];
    let search = '';
    if (q) {
      params.push(`%${q.toLocaleLowerCase('vi')}%`);
      search = `AND lower(s.name) LIKE $${params.length}`;
    }
    return this.dataSource.query(
      `SELECT s.id, s.name, u.code AS "unitCode", u.full_name AS "unitName"
         FROM (${SUBJECTS[kind]}) s JOIN admin_unit u ON u.id = s.unit_id
        WHERE u.path LIKE $2 || '%' ${search}
          AND NOT EXISTS (SELECT 1 FROM contest_entry e WHERE e.contest_id = $3 AND e.kind = $4 AND e.subject_id = s.id)
        ORDER BY s.name, s.id LIMIT 50`,
      params,
    );
  }

  /** Who would enter: their unit, and whether it lies in the contest's area; undefined if not a subject. */
  async subject(
    m: EntityManager,
    contest: Pick<ContestRow, 'programId' | 'unitPath'>,
    kind: ContestEntryKind,
    subjectId: string,
  ): Promise<{ id: string; unitId: number; inArea: boolean } | undefined> {
    const [subject]: { id: string; unitId: number; inArea: boolean }[] = await m.query(
      `SELECT s.id, s.unit_id AS "unitId", u.path LIKE $2 || '%' AS "inArea"
           FROM (${SUBJECTS[kind]}) s JOIN admin_unit u ON u.id = s.unit_id WHERE s.id = $3`,
      [contest.programId, contest.unitPath, subjectId],
    );
    return subject;
  }

  /** The id of the subject's entry in the contest, if it has one. */
  async existingEntry(
    m: EntityManager,
    id: string,
    kind: ContestEntryKind,
    subjectId: string,
  ): Promise<string | null> {
    const [existing]: { id: string }[] = await m.query(
      `SELECT id FROM contest_entry WHERE contest_id = $1 AND kind = $2 AND subject_id = $3`,
      [id, kind, subjectId],
    );
    return existing?.id ?? null;
  }

  async insertEntry(
    m: EntityManager,
    id: string,
    e: { kind: ContestEntryKind; subjectId: string; unitId: number; title: string | null; createdBy: string },
  ): Promise<string> {
    const [row]: { id: string }[] = await m.query(
      `INSERT INTO contest_entry (contest_id, kind, subject_id, unit_id, title, created_by)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [id, e.kind, e.subjectId, e.unitId, e.title, e.createdBy],
    );
    return row.id;
  }

  async hasEntry(m: EntityManager, id: string, entryId: string): Promise<boolean> {
    const [entry]: { id: string }[] = await m.query(
      `SELECT id FROM contest_entry WHERE id = $1 AND contest_id = $2`,
      [entryId, id],
    );
    return !!entry;
  }

  /** The contest's criteria with their maximum points (to check scores against). */
  maxPoints(m: EntityManager, id: string): Promise<{ id: string; maxPoints: number }[]> {
    return m.query(`SELECT id, max_points AS "maxPoints" FROM contest_criterion WHERE contest_id = $1`, [id]);
  }

  async criterionCount(m: EntityManager, id: string): Promise<number> {
    const [{ n }]: { n: number }[] = await m.query(
      `SELECT count(*)::int AS n FROM contest_criterion WHERE contest_id = $1`,
      [id],
    );
    return n;
  }

  /** A judge's points on an entry, by criterion. */
  judgeScores(
    m: EntityManager,
    entryId: string,
    judgeId: string,
  ): Promise<{ criterionId: string; points: string }[]> {
    return m.query(
      `SELECT criterion_id AS "criterionId", points FROM contest_score WHERE entry_id = $1 AND judge_id = $2`,
      [entryId, judgeId],
    );
  }

  /** Sets a judge's points on these criteria of an entry (replacing their earlier points there). */
  async putScores(
    m: EntityManager,
    entryId: string,
    judgeId: string,
    scores: { criterionId: string; points: number }[],
  ): Promise<void> {
    for (const s of scores) {
      await m.query(
        `INSERT INTO contest_score (entry_id, criterion_id, judge_id, points) VALUES ($1, $2, $3, $4)
           ON CONFLICT (entry_id, criterion_id, judge_id) DO UPDATE SET points = EXCLUDED.points, updated_at = now()`,
        [entryId, s.criterionId, judgeId, s.points],
      );
    }
  }

  /** Fixes the entries' totals and ranks (equal totals share a rank) and marks the contest published. */
  async publish(
    m: EntityManager,
    id: string,
    totals: { id: string; total: number | null }[],
    publishedBy: string,
  ): Promise<void> {
    await m.query(
      `UPDATE contest_entry e SET total = x.total, rank = x.rank
           FROM (SELECT id, total, rank() OVER (ORDER BY total DESC) AS rank
                   FROM unnest($2::uuid[], $3::numeric[]) AS t(id, total)) x
          WHERE e.id = x.id AND e.contest_id = $1`,
      [id, totals.map((e) => e.id), totals.map((e) => e.total)],
    );
    await m.query(
      `UPDATE contest SET status = 'published', published_at = now(), published_by = $2, updated_at = now()
          WHERE id = $1`,
      [id, publishedBy],
    );
  }

  /**
   * The entries of a contest: the live total (the weighted mean of the criteria, each the judges' average over
   * its maximum, out of 100), how many criteria have points, how many judges scored all `criteria`, and the
   * points of `judgeId`.
   */
  entries(
    m: EntityManager,
    contestId: string,
    criteria: number,
    judgeId: string,
  ): Promise<ContestEntryRow[]> {
    return m.query(
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
      [contestId, criteria, judgeId],
    );
  }

  /**
   * A merged person's entries become the survivor's, except in a contest the survivor has entered too (that
   * entry stays the source's); returns how many moved.
   */
  async moveEntries(m: EntityManager, survivorId: string, sourceId: string): Promise<number> {
    const moved = await returning(
      m,
      `UPDATE contest_entry e SET subject_id = $1
        WHERE e.kind = 'person' AND e.subject_id = $2
          AND NOT EXISTS (SELECT 1 FROM contest_entry s
                           WHERE s.contest_id = e.contest_id AND s.kind = 'person' AND s.subject_id = $1)
        RETURNING 1`,
      [survivorId, sourceId],
    );
    return moved.length;
  }
}
