import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { returning, vnDay } from '../../platform/src';
import { attributed, KPI_VIEWS } from './kpi-sql';

export type RecordKind = 'class' | 'certificate' | 'online';

/** How a person came to count: in a class, or through a partner (online learning, pushed by its API). */
export type LearningMethod = 'class' | 'online';

/**
 * Each (person, citizen class) with attendance: the class's unit, the person's first attended day, completion;
 * and each (person, commune) with online learning that partners recorded (partner_learning_record, written by
 * the partners library): the first lesson or completion day, the first level completion, and the latest
 * outcome reported. `via` says which.
 */
const LEARNING = (some: boolean) => `
  SELECT t.person_id, t.unit_id, t.day, ${vnDay('e.completed_at')} AS completed_day,
         coalesce(e.outcome_can_apply, false) AS can_apply, 'class' AS via
    FROM (SELECT a.person_id, c.id AS class_id, c.unit_id, ${vnDay('min(s.starts_at)')} AS day
            FROM attendance a
            JOIN class_session s ON s.id = a.session_id
            JOIN training_class c ON c.id = a.class_id
           WHERE c.program_id = $1 AND c.kind = 'citizen' AND a.status IN ('present', 'late')
             ${some ? 'AND a.person_id = ANY ($2::uuid[])' : ''}
           GROUP BY a.person_id, c.id, c.unit_id) t
    LEFT JOIN enrolment e ON e.class_id = t.class_id AND e.person_id = t.person_id AND e.status = 'completed'
  UNION ALL
  SELECT r.person_id, r.unit_id, ${vnDay("min(r.occurred_at) FILTER (WHERE r.kind <> 'outcome')")} AS day,
         ${vnDay("min(r.occurred_at) FILTER (WHERE r.kind = 'completion')")} AS completed_day,
         coalesce((array_agg(r.can_apply ORDER BY r.occurred_at DESC, r.received_at DESC)
                     FILTER (WHERE r.kind = 'outcome'))[1], false) AS can_apply,
         'online' AS via
    FROM partner_learning_record r
   WHERE r.program_id = $1 AND r.voided_at IS NULL ${some ? 'AND r.person_id = ANY ($2::uuid[])' : ''}
   GROUP BY r.person_id, r.unit_id
  HAVING bool_or(r.kind <> 'outcome')`;

/**
 * The people facts of a program: for each person, every unit their citizen classes and online learning count
 * in, in both views, once per unit however many classes there — the first attended day, the first completion,
 * whether any completed class (or online course) recorded that they can apply an AI tool, and the method of
 * the first reach and of the first completion (a class on the same day wins). The sources are read once for
 * both views.
 */
const PEOPLE_SQL = (some: boolean) => `
  WITH per_class AS MATERIALIZED (${LEARNING(some)})
  ${KPI_VIEWS.map(
    (view) => `
  SELECT $1::uuid AS program_id, '${view}' AS view, x.anc AS unit_id, x.person_id, p.segment,
         (extract(year FROM min(x.day))::int - p.birth_year) BETWEEN 15 AND 60 AS working_age,
         min(x.day) AS first_attended_on, min(x.completed_day) AS completed_on,
         coalesce(bool_or(x.can_apply AND x.completed_day IS NOT NULL), false) AS proficient,
         (array_agg(x.via ORDER BY x.day, x.via))[1] AS reached_via,
         (array_agg(x.via ORDER BY x.completed_day, x.via) FILTER (WHERE x.completed_day IS NOT NULL))[1]
           AS completed_via
    FROM (${attributed(view, 'SELECT * FROM per_class')}) x JOIN person p ON p.id = x.person_id
   GROUP BY x.anc, x.person_id, p.segment, p.birth_year`,
  ).join('\n  UNION ALL')}`;

/**
 * Classes held (completed; counted on their last session's day, attributed as of their first), valid
 * certificates (on their issue day, at their class's unit, else the learner's unit when issued), and level
 * completions recorded by partners (on their day, at their commune: the figures by level).
 */
const RECORD_SOURCES: Record<RecordKind, (some: boolean) => string> = {
  class: (some) => `
    SELECT c.id, c.unit_id, ${vnDay('min(s.starts_at)')} AS day, ${vnDay('max(s.starts_at)')} AS counted_on
      FROM training_class c JOIN class_session s ON s.class_id = c.id
     WHERE c.program_id = $1 AND c.status = 'completed' ${some ? 'AND c.id = ANY ($2::uuid[])' : ''}
     GROUP BY c.id, c.unit_id`,
  certificate: (some) => `
    SELECT k.id, coalesce(tc.unit_id, (string_to_array(trim(both '/' FROM k.unit_path), '/')::int[])[
             array_length(string_to_array(trim(both '/' FROM k.unit_path), '/'), 1)]) AS unit_id,
           k.issued_on AS day, k.issued_on AS counted_on
      FROM certificate k LEFT JOIN training_class tc ON tc.id = k.class_id
     WHERE k.program_id = $1 AND k.status = 'valid' ${some ? 'AND k.id = ANY ($2::uuid[])' : ''}`,
  online: (some) => `
    SELECT r.id, r.unit_id, ${vnDay('r.occurred_at')} AS day, ${vnDay('r.occurred_at')} AS counted_on
      FROM partner_learning_record r
     WHERE r.program_id = $1 AND r.kind = 'completion' AND r.voided_at IS NULL
       ${some ? 'AND r.id = ANY ($2::uuid[])' : ''}`,
};

/** The record facts of a program, or of the records in $2 only. */
const RECORDS_SQL = (kind: RecordKind, some: boolean) =>
  KPI_VIEWS.map(
    (view) => `
  SELECT $1::uuid AS program_id, '${view}' AS view, '${kind}' AS kind, x.id AS record_id, x.anc AS unit_id,
         x.counted_on AS day
    FROM (${attributed(view, RECORD_SOURCES[kind](some))}) x`,
  ).join('\n  UNION ALL');

const PERSON_COLUMNS = `view, unit_id AS "unitId", segment, working_age AS "workingAge", first_attended_on AS "firstAttendedOn",
  completed_on AS "completedOn", proficient, reached_via AS "reachedVia", completed_via AS "completedVia"`;

const FACT_COLUMNS = `program_id, view, unit_id, person_id, segment, working_age, first_attended_on, completed_on,
  proficient, reached_via, completed_via`;

interface PersonFact {
  view: string;
  unitId: number;
  segment: string;
  workingAge: boolean;
  firstAttendedOn: string;
  completedOn: string | null;
  proficient: boolean;
  reachedVia: LearningMethod;
  completedVia: LearningMethod | null;
}

interface RecordFact {
  view: string;
  unitId: number;
  kind: RecordKind;
  day: string;
}

const COUNTERS = [
  'reached',
  'completed',
  'proficient',
  'classes_held',
  'certificates_issued',
  'reached_online',
  'completed_online',
  'proficient_online',
] as const;
type Counter = (typeof COUNTERS)[number];

/** Changes to the monthly sums, keyed by (view, unit, month, segment, working age). */
class MonthlyDeltas {
  private readonly rows = new Map<
    string,
    { key: [string, number, string, string, boolean]; counts: Record<Counter, number> }
  >();

  add(
    view: string,
    unitId: number,
    day: string,
    segment: string,
    workingAge: boolean,
    counter: Counter,
    by: number,
  ): void {
    const month = `${day.slice(0, 7)}-01`;
    const id = `${view}|${unitId}|${month}|${segment}|${workingAge}`;
    const row = this.rows.get(id) ?? {
      key: [view, unitId, month, segment, workingAge] as [string, number, string, string, boolean],
      counts: Object.fromEntries(COUNTERS.map((c) => [c, 0])) as Record<Counter, number>,
    };
    row.counts[counter] += by;
    this.rows.set(id, row);
  }

  people(facts: PersonFact[], sign: number): void {
    for (const f of facts) {
      const reached = (counter: Counter) =>
        this.add(f.view, f.unitId, f.firstAttendedOn, f.segment, f.workingAge, counter, sign);
      reached('reached');
      if (f.reachedVia === 'online') reached('reached_online');
      if (!f.completedOn) continue;
      const completed = (counter: Counter) =>
        this.add(f.view, f.unitId, f.completedOn!, f.segment, f.workingAge, counter, sign);
      const online = f.completedVia === 'online';
      completed('completed');
      if (online) completed('completed_online');
      if (f.proficient) completed('proficient');
      if (f.proficient && online) completed('proficient_online');
    }
  }

  /** Classes held and certificates issued (online completions are counted by level from their facts). */
  records(facts: RecordFact[], sign: number): void {
    for (const f of facts) {
      if (f.kind === 'online') continue;
      this.add(
        f.view,
        f.unitId,
        f.day,
        '',
        false,
        f.kind === 'class' ? 'classes_held' : 'certificates_issued',
        sign,
      );
    }
  }

  async apply(m: EntityManager, programId: string): Promise<void> {
    // In key order: concurrent batches lock the rows they share in the same order, so cannot deadlock.
    const changes = [...this.rows.entries()]
      .filter(([, r]) => COUNTERS.some((c) => r.counts[c] !== 0))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, r]) => r);
    if (!changes.length) return;
    await m.query(
      `INSERT INTO kpi_monthly AS d (program_id, view, unit_id, month, segment, working_age, ${COUNTERS.join(', ')})
       SELECT $1, * FROM unnest($2::text[], $3::int[], $4::date[], $5::text[], $6::boolean[],
                                ${COUNTERS.map((_c, i) => `$${i + 7}::int[]`).join(', ')})
       ON CONFLICT (program_id, view, unit_id, month, segment, working_age) DO UPDATE
          SET ${COUNTERS.map((c) => `${c} = d.${c} + EXCLUDED.${c}`).join(', ')}`,
      [
        programId,
        ...[0, 1, 2, 3, 4].map((k) => changes.map((c) => c.key[k])),
        ...COUNTERS.map((counter) => changes.map((c) => c.counts[counter])),
      ],
    );
    await m.query(
      `DELETE FROM kpi_monthly WHERE program_id = $1 AND unit_id = ANY ($2::int[])
          AND ${COUNTERS.map((c) => `${c} = 0`).join(' AND ')}`,
      [programId, [...new Set(changes.map((c) => c.key[1]))]],
    );
  }
}

/**
 * Keeps the KPI facts and their monthly sums in step with attendance, completions, classes and certificates,
 * for what a change touched only (a batch of marks costs a few indexed lookups, not a province). `rebuild`
 * recomputes a whole program set-based (after bulk loads, or when the map changed).
 */
@Injectable()
export class KpiFactsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async refresh(m: EntityManager, programId: string, personIds: string[]): Promise<void> {
    const people = [...new Set(personIds)].sort();
    if (!people.length) return;
    await this.lock(m, programId, people);
    const removed = await returning<PersonFact>(
      m,
      `DELETE FROM kpi_person_fact WHERE program_id = $1 AND person_id = ANY ($2::uuid[]) RETURNING ${PERSON_COLUMNS}`,
      [programId, people],
    );
    const added: PersonFact[] = await m.query(
      `INSERT INTO kpi_person_fact (${FACT_COLUMNS})
       ${PEOPLE_SQL(true)}
       RETURNING ${PERSON_COLUMNS}`,
      [programId, people],
    );
    const deltas = new MonthlyDeltas();
    deltas.people(removed, -1);
    deltas.people(added, 1);
    await deltas.apply(m, programId);
  }

  /** After classes were closed or reopened (or their sessions moved), or certificates issued or revoked. */
  async refreshRecords(m: EntityManager, programId: string, kind: RecordKind, ids: string[]): Promise<void> {
    const records = [...new Set(ids)].sort();
    if (!records.length) return;
    await this.lock(m, programId, records);
    const columns = `view, unit_id AS "unitId", kind, day`;
    const removed = await returning<RecordFact>(
      m,
      `DELETE FROM kpi_record_fact WHERE program_id = $1 AND kind = $3 AND record_id = ANY ($2::uuid[])
       RETURNING ${columns}`,
      [programId, records, kind],
    );
    const added: RecordFact[] = await m.query(
      `INSERT INTO kpi_record_fact (program_id, view, kind, record_id, unit_id, day)
       ${RECORDS_SQL(kind, true)}
       RETURNING ${columns}`,
      [programId, records],
    );
    const deltas = new MonthlyDeltas();
    deltas.records(removed, -1);
    deltas.records(added, 1);
    await deltas.apply(m, programId);
  }

  /** Recomputes every fact and monthly sum of a program, in a few set-based statements. */
  async rebuild(programId: string, m: EntityManager = this.dataSource.manager): Promise<void> {
    for (const table of ['kpi_monthly', 'kpi_person_fact', 'kpi_record_fact']) {
      await m.query(`DELETE FROM ${table} WHERE program_id = $1`, [programId]);
    }
    await m.query(`INSERT INTO kpi_person_fact (${FACT_COLUMNS}) ${PEOPLE_SQL(false)}`, [programId]);
    for (const kind of ['class', 'certificate', 'online'] as const) {
      await m.query(
        `INSERT INTO kpi_record_fact (program_id, view, kind, record_id, unit_id, day) ${RECORDS_SQL(kind, false)}`,
        [programId],
      );
    }
    const month = (day: string) => `date_trunc('month', ${day})::date`;
    await m.query(
      `INSERT INTO kpi_monthly (program_id, view, unit_id, month, segment, working_age, ${COUNTERS.join(', ')})
       SELECT program_id, view, unit_id, month, segment, working_age, ${COUNTERS.map((c) => `sum(${c})::int`).join(', ')}
         FROM (SELECT program_id, view, unit_id, ${month('first_attended_on')} AS month, segment, working_age,
                      1 AS reached, 0 AS completed, 0 AS proficient, 0 AS classes_held, 0 AS certificates_issued,
                      (reached_via = 'online')::int AS reached_online, 0 AS completed_online, 0 AS proficient_online
                 FROM kpi_person_fact WHERE program_id = $1
               UNION ALL
               SELECT program_id, view, unit_id, ${month('completed_on')}, segment, working_age, 0, 1, proficient::int, 0, 0,
                      0, (completed_via = 'online')::int, (proficient AND completed_via = 'online')::int
                 FROM kpi_person_fact WHERE program_id = $1 AND completed_on IS NOT NULL
               UNION ALL
               SELECT program_id, view, unit_id, ${month('day')}, '', false, 0, 0, 0,
                      (kind = 'class')::int, (kind = 'certificate')::int, 0, 0, 0
                 FROM kpi_record_fact WHERE program_id = $1 AND kind <> 'online') x
        GROUP BY program_id, view, unit_id, month, segment, working_age`,
      [programId],
    );
  }

  /** The programs of these classes (to refresh facts after marks changed in them). */
  async programsOfClasses(m: EntityManager, classIds: string[]): Promise<Map<string, string>> {
    const rows: { id: string; programId: string }[] = await m.query(
      `SELECT id, program_id AS "programId" FROM training_class WHERE id = ANY ($1::uuid[])`,
      [classIds],
    );
    return new Map(rows.map((r) => [r.id, r.programId]));
  }

  async programsOfCertificates(m: EntityManager, ids: string[]): Promise<Map<string, string>> {
    const rows: { id: string; programId: string }[] = await m.query(
      `SELECT id, program_id AS "programId" FROM certificate WHERE id = ANY ($1::uuid[])`,
      [ids],
    );
    return new Map(rows.map((r) => [r.id, r.programId]));
  }

  async programIds(): Promise<string[]> {
    const rows: { id: string }[] = await this.dataSource.query(`SELECT id FROM program ORDER BY id`);
    return rows.map((r) => r.id);
  }

  /** Serialises refreshes of the same records (two batches for one person would both insert their facts). */
  private async lock(m: EntityManager, programId: string, ids: string[]): Promise<void> {
    await m.query(`SELECT pg_advisory_xact_lock(hashtext($1 || k)) FROM unnest($2::text[]) AS k ORDER BY k`, [
      programId,
      ids,
    ]);
  }
}
