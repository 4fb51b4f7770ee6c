import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { returning, vnDay } from '../../platform/src';
import { KPI_VIEWS } from './kpi-view';
import { attributed } from './kpi-figures.repository';

export type RecordKind = 'class' | 'certificate' | 'online';

/** How a person came to count: in a class, or through a partner (online learning, pushed by its API). */
export type LearningMethod = 'class' | 'online';

/** The (program, person) or (program, record) pairs a refresh is about: $1 and $2, arrays of the same length. */
const PAIRS = (column = 'person_id', alias = 'k') =>
  `(SELECT DISTINCT * FROM unnest($1::uuid[], $2::uuid[]) AS u(program_id, ${column})) ${alias}`;

/**
 * Each (person, citizen class) with attendance: the class's unit, the person's first attended day, completion;
 * and each (person, commune) with online learning that partners recorded (partner_learning_record, written by
 * the partners library): the first lesson or completion day, the first level completion, and the latest
 * outcome reported. `via` says which.
 */
const LEARNING = (some: boolean) => `
  SELECT t.program_id, t.person_id, t.unit_id, t.day, ${vnDay('e.completed_at')} AS completed_day,
         coalesce(e.outcome_can_apply, false) AS can_apply, 'class' AS via
    FROM (SELECT c.program_id, a.person_id, c.id AS class_id, c.unit_id, ${vnDay('min(s.starts_at)')} AS day
            FROM ${some ? `${PAIRS()} JOIN attendance a ON a.person_id = k.person_id` : 'attendance a'}
            JOIN class_session s ON s.id = a.session_id
            JOIN training_class c ON c.id = a.class_id
           WHERE ${some ? 'c.program_id = k.program_id' : 'c.program_id = $1'} AND c.kind = 'citizen'
             AND a.status IN ('present', 'late')
           GROUP BY c.program_id, a.person_id, c.id, c.unit_id) t
    LEFT JOIN enrolment e ON e.class_id = t.class_id AND e.person_id = t.person_id AND e.status = 'completed'
  UNION ALL
  SELECT r.program_id, r.person_id, r.unit_id,
         ${vnDay("min(r.occurred_at) FILTER (WHERE r.kind <> 'outcome')")} AS day,
         ${vnDay("min(r.occurred_at) FILTER (WHERE r.kind = 'completion')")} AS completed_day,
         coalesce((array_agg(r.can_apply ORDER BY r.occurred_at DESC, r.received_at DESC)
                     FILTER (WHERE r.kind = 'outcome'))[1], false) AS can_apply,
         'online' AS via
    FROM ${some ? `${PAIRS()} JOIN partner_learning_record r ON r.program_id = k.program_id AND r.person_id = k.person_id` : 'partner_learning_record r'}
   WHERE ${some ? '' : 'r.program_id = $1 AND '}r.voided_at IS NULL
   GROUP BY r.program_id, r.person_id, r.unit_id
  HAVING bool_or(r.kind <> 'outcome')`;

/**
 * The people facts of a program ($1), or of the (program, person) pairs in $1 and $2: for each person, every unit their citizen classes and online learning count
 * in, in both views, once per unit however many classes there — the first attended day, the first completion,
 * whether any completed class (or online course) recorded that they can apply an AI tool, and the method of
 * the first reach and of the first completion (a class on the same day wins). The sources are read once for
 * both views.
 */
const PEOPLE_SQL = (some: boolean) => `
  WITH per_class AS MATERIALIZED (${LEARNING(some)})
  ${KPI_VIEWS.map(
    (view) => `
  SELECT x.program_id, '${view}' AS view, x.anc AS unit_id, x.person_id, p.segment,
         (extract(year FROM min(x.day))::int - p.birth_year) BETWEEN 15 AND 60 AS working_age,
         min(x.day) AS first_attended_on, min(x.completed_day) AS completed_on,
         coalesce(bool_or(x.can_apply AND x.completed_day IS NOT NULL), false) AS proficient,
         (array_agg(x.via ORDER BY x.day, x.via))[1] AS reached_via,
         (array_agg(x.via ORDER BY x.completed_day, x.via) FILTER (WHERE x.completed_day IS NOT NULL))[1]
           AS completed_via
    FROM (${attributed(view, 'SELECT * FROM per_class')}) x JOIN person p ON p.id = x.person_id
   GROUP BY x.program_id, x.anc, x.person_id, p.segment, p.birth_year`,
  ).join('\n  UNION ALL')}`;

/**
 * Classes held (completed; counted on their last session's day, attributed as of their first), valid
 * certificates (on their issue day, at their class's unit, else the learner's unit when issued), and level
 * completions recorded by partners (on their day, at their commune: the figures by level).
 */
const RECORD_SOURCES: Record<RecordKind, (some: boolean) => string> = {
  class: (some) => `
    SELECT c.program_id, c.id, c.unit_id, c.level, ${vnDay('min(s.starts_at)')} AS day, ${vnDay('max(s.starts_at)')} AS counted_on
      FROM ${some ? `${PAIRS('record_id')} JOIN training_class c ON c.program_id = k.program_id AND c.id = k.record_id` : 'training_class c'}
      JOIN class_session s ON s.class_id = c.id
     WHERE ${some ? '' : 'c.program_id = $1 AND '}c.status = 'completed'
     GROUP BY c.program_id, c.id, c.unit_id, c.level`,
  certificate: (some) => `
    SELECT k.program_id, k.id, coalesce(tc.unit_id, (string_to_array(trim(both '/' FROM k.unit_path), '/')::int[])[
             array_length(string_to_array(trim(both '/' FROM k.unit_path), '/'), 1)]) AS unit_id,
           k.level, k.issued_on AS day, k.issued_on AS counted_on
      FROM ${some ? `${PAIRS('record_id', 'w')} JOIN certificate k ON k.program_id = w.program_id AND k.id = w.record_id` : 'certificate k'}
      LEFT JOIN training_class tc ON tc.id = k.class_id
     WHERE ${some ? '' : 'k.program_id = $1 AND '}k.status = 'valid'`,
  online: (some) => `
    SELECT r.program_id, r.id, r.unit_id, r.level, ${vnDay('r.occurred_at')} AS day, ${vnDay('r.occurred_at')} AS counted_on
      FROM ${some ? `${PAIRS('record_id')} JOIN partner_learning_record r ON r.program_id = k.program_id AND r.id = k.record_id` : 'partner_learning_record r'}
     WHERE ${some ? '' : 'r.program_id = $1 AND '}r.kind = 'completion' AND r.voided_at IS NULL`,
};

/** The record facts of a program ($1), or of the (program, record) pairs in $1 and $2. */
const RECORDS_SQL = (kind: RecordKind, some: boolean) =>
  KPI_VIEWS.map(
    (view) => `
  SELECT x.program_id, '${view}' AS view, '${kind}' AS kind, x.id AS record_id, x.anc AS unit_id,
         x.counted_on AS day, x.level
    FROM (${attributed(view, RECORD_SOURCES[kind](some))}) x`,
  ).join('\n  UNION ALL');

const PERSON_COLUMNS = `program_id AS "programId", view, unit_id AS "unitId", segment, working_age AS "workingAge", first_attended_on AS "firstAttendedOn",
  completed_on AS "completedOn", proficient, reached_via AS "reachedVia", completed_via AS "completedVia"`;

const FACT_COLUMNS = `program_id, view, unit_id, person_id, segment, working_age, first_attended_on, completed_on,
  proficient, reached_via, completed_via`;

const FACT_KEY = (a: string, b: string) =>
  `${a}.program_id = ${b}.program_id AND ${a}.view = ${b}.view AND ${a}.unit_id = ${b}.unit_id AND ${a}.person_id = ${b}.person_id`;
const FACT_VALUES = (a: string) =>
  `(${a}.segment, ${a}.working_age, ${a}.first_attended_on, ${a}.completed_on, ${a}.proficient, ${a}.reached_via, ${a}.completed_via)`;

/**
 * The people facts of the (program, person) pairs in $1 and $2 brought up to date: recomputed (`fresh`), read
 * as stored (`stored`), and only the facts that differ written — deleted when gone, updated when changed,
 * inserted when new; each stored row is touched once, found by its ctid. Answers the facts taken away (sign
 * -1, as they were) and the facts put in (sign 1), for the monthly sums.
 */
const PEOPLE_DIFF_SQL = `
  WITH fresh AS MATERIALIZED (${PEOPLE_SQL(true)}),
       stored AS MATERIALIZED (
         SELECT ctid AS row_id, ${FACT_COLUMNS} FROM kpi_person_fact
          WHERE (program_id, person_id) IN (SELECT * FROM unnest($1::uuid[], $2::uuid[]))),
       taken AS MATERIALIZED (
         SELECT o.*, EXISTS (SELECT 1 FROM fresh n WHERE ${FACT_KEY('n', 'o')}) AS kept
           FROM stored o
          WHERE NOT EXISTS (SELECT 1 FROM fresh n WHERE ${FACT_KEY('n', 'o')} AND ${FACT_VALUES('n')} IS NOT DISTINCT FROM ${FACT_VALUES('o')})),
       put AS MATERIALIZED (
         SELECT n.*, t.row_id
           FROM fresh n LEFT JOIN taken t ON ${FACT_KEY('t', 'n')}
          WHERE NOT EXISTS (SELECT 1 FROM stored o WHERE ${FACT_KEY('o', 'n')} AND ${FACT_VALUES('o')} IS NOT DISTINCT FROM ${FACT_VALUES('n')})),
       deleted AS (
         DELETE FROM kpi_person_fact WHERE ctid = ANY (ARRAY(SELECT row_id FROM taken WHERE NOT kept))),
       updated AS (
         UPDATE kpi_person_fact f
            SET (segment, working_age, first_attended_on, completed_on, proficient, reached_via, completed_via) = ${FACT_VALUES('n')}
           FROM put n
          WHERE f.ctid = ANY (ARRAY(SELECT row_id FROM put WHERE row_id IS NOT NULL)) AND f.ctid = n.row_id),
       inserted AS (
         INSERT INTO kpi_person_fact (${FACT_COLUMNS})
         SELECT ${FACT_COLUMNS} FROM put WHERE row_id IS NULL)
  SELECT -1 AS sign, ${PERSON_COLUMNS} FROM taken
  UNION ALL
  SELECT 1 AS sign, ${PERSON_COLUMNS} FROM put`;

interface PersonFact {
  programId: string;
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
  programId: string;
  view: string;
  unitId: number;
  kind: RecordKind;
  day: string;
  level: number;
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

/** Changes to the monthly sums, keyed by (program, view, unit, month, segment, working age, level). */
class MonthlyDeltas {
  private readonly rows = new Map<
    string,
    { key: [string, string, number, string, string, boolean, number]; counts: Record<Counter, number> }
  >();

  add(
    programId: string,
    view: string,
    unitId: number,
    day: string,
    segment: string,
    workingAge: boolean,
    counter: Counter,
    by: number,
    level = 0,
  ): void {
    const month = `${day.slice(0, 7)}-01`;
    const id = `${programId}|${view}|${unitId}|${month}|${segment}|${workingAge}|${level}`;
    const row = this.rows.get(id) ?? {
      key: [programId, view, unitId, month, segment, workingAge, level] as [
        string,
        string,
        number,
        string,
        string,
        boolean,
        number,
      ],
      counts: Object.fromEntries(COUNTERS.map((c) => [c, 0])) as Record<Counter, number>,
    };
    row.counts[counter] += by;
    this.rows.set(id, row);
  }

  people(facts: PersonFact[], sign: number): void {
    for (const f of facts) {
      const reached = (counter: Counter) =>
        this.add(f.programId, f.view, f.unitId, f.firstAttendedOn, f.segment, f.workingAge, counter, sign);
      reached('reached');
      if (f.reachedVia === 'online') reached('reached_online');
      if (!f.completedOn) continue;
      const completed = (counter: Counter) =>
        this.add(f.programId, f.view, f.unitId, f.completedOn!, f.segment, f.workingAge, counter, sign);
      const online = f.completedVia === 'online';
      completed('completed');
      if (online) completed('completed_online');
      if (f.proficient) completed('proficient');
      if (f.proficient && online) completed('proficient_online');
    }
  }

  /**
   * Classes held and certificates issued, by their level (online completions are counted per person from their
   * facts).
   */
  records(facts: RecordFact[], sign: number): void {
    for (const f of facts) {
      if (f.kind === 'online') continue;
      this.add(
        f.programId,
        f.view,
        f.unitId,
        f.day,
        '',
        false,
        f.kind === 'class' ? 'classes_held' : 'certificates_issued',
        sign,
        f.level,
      );
    }
  }

  async apply(m: EntityManager): Promise<void> {
    // In key order: concurrent batches lock the rows they share in the same order, so cannot deadlock.
    const changes = [...this.rows.entries()]
      .filter(([, r]) => COUNTERS.some((c) => r.counts[c] !== 0))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, r]) => r);
    if (!changes.length) return;
    await m.query(
      `INSERT INTO kpi_monthly AS d (program_id, view, unit_id, month, segment, working_age, level, ${COUNTERS.join(', ')})
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::int[], $4::date[], $5::text[], $6::boolean[], $7::smallint[],
                            ${COUNTERS.map((_c, i) => `$${i + 8}::int[]`).join(', ')})
       ON CONFLICT (program_id, view, unit_id, month, segment, working_age, level) DO UPDATE
          SET ${COUNTERS.map((c) => `${c} = d.${c} + EXCLUDED.${c}`).join(', ')}`,
      [
        ...[0, 1, 2, 3, 4, 5, 6].map((k) => changes.map((c) => c.key[k])),
        ...COUNTERS.map((counter) => changes.map((c) => c.counts[counter])),
      ],
    );
    const touched = [...new Map(changes.map((c) => [`${c.key[0]}|${c.key[2]}`, c.key])).values()];
    await m.query(
      `DELETE FROM kpi_monthly d USING unnest($1::uuid[], $2::int[]) AS t(program_id, unit_id)
        WHERE d.program_id = t.program_id AND d.unit_id = t.unit_id
          AND ${COUNTERS.map((c) => `d.${c} = 0`).join(' AND ')}`,
      [touched.map((k) => k[0]), touched.map((k) => k[2])],
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

  /**
   * The facts of these (program, person) pairs, whatever their programs, recomputed from their sources and
   * compared with the stored ones in one statement, which writes only the facts that differ (most marks of a
   * class in progress move no fact: the learner's first day and completion stay as they were); a second adds
   * the differences to the monthly sums.
   */
  async refreshPeople(m: EntityManager, pairs: { programId: string; personId: string }[]): Promise<void> {
    const keys = unique(pairs.map((p) => [p.programId, p.personId]));
    if (!keys.length) return;
    await this.lock(m, keys);
    const changes: (PersonFact & { sign: number })[] = await m.query(PEOPLE_DIFF_SQL, [
      keys.map((k) => k[0]),
      keys.map((k) => k[1]),
    ]);
    const deltas = new MonthlyDeltas();
    deltas.people(
      changes.filter((c) => c.sign < 0),
      -1,
    );
    deltas.people(
      changes.filter((c) => c.sign > 0),
      1,
    );
    await deltas.apply(m);
  }

  /**
   * After classes were closed or reopened (or their sessions moved), or certificates issued or revoked: the
   * facts of these records of a kind, whatever their programs, in one statement each way.
   */
  async refreshRecordsOf(
    m: EntityManager,
    kind: RecordKind,
    records: { programId: string; id: string }[],
  ): Promise<void> {
    const keys = unique(records.map((r) => [r.programId, r.id]));
    if (!keys.length) return;
    await this.lock(m, keys);
    const params = [keys.map((k) => k[0]), keys.map((k) => k[1])];
    const columns = `program_id AS "programId", view, unit_id AS "unitId", kind, day, level`;
    const removed = await returning<RecordFact>(
      m,
      `DELETE FROM kpi_record_fact
        WHERE kind = $3 AND (program_id, record_id) IN (SELECT * FROM unnest($1::uuid[], $2::uuid[]))
       RETURNING ${columns}`,
      [...params, kind],
    );
    const added: RecordFact[] = await m.query(
      `INSERT INTO kpi_record_fact (program_id, view, kind, record_id, unit_id, day, level)
       ${RECORDS_SQL(kind, true)}
       RETURNING ${columns}`,
      params,
    );
    const deltas = new MonthlyDeltas();
    deltas.records(removed, -1);
    deltas.records(added, 1);
    await deltas.apply(m);
  }

  /** Recomputes every fact and monthly sum of a program, in a few set-based statements. */
  async rebuild(programId: string, m: EntityManager = this.dataSource.manager): Promise<void> {
    for (const table of ['kpi_monthly', 'kpi_person_fact', 'kpi_record_fact']) {
      await m.query(`DELETE FROM ${table} WHERE program_id = $1`, [programId]);
    }
    await m.query(`INSERT INTO kpi_person_fact (${FACT_COLUMNS}) ${PEOPLE_SQL(false)}`, [programId]);
    for (const kind of ['class', 'certificate', 'online'] as const) {
      await m.query(
        `INSERT INTO kpi_record_fact (program_id, view, kind, record_id, unit_id, day, level) ${RECORDS_SQL(kind, false)}`,
        [programId],
      );
    }
    const month = (day: string) => `date_trunc('month', ${day})::date`;
    await m.query(
      `INSERT INTO kpi_monthly (program_id, view, unit_id, month, segment, working_age, level, ${COUNTERS.join(', ')})
       SELECT program_id, view, unit_id, month, segment, working_age, level, ${COUNTERS.map((c) => `sum(${c})::int`).join(', ')}
         FROM (SELECT program_id, view, unit_id, ${month('first_attended_on')} AS month, segment, working_age, 0 AS level,
                      1 AS reached, 0 AS completed, 0 AS proficient, 0 AS classes_held, 0 AS certificates_issued,
                      (reached_via = 'online')::int AS reached_online, 0 AS completed_online, 0 AS proficient_online
                 FROM kpi_person_fact WHERE program_id = $1
               UNION ALL
               SELECT program_id, view, unit_id, ${month('completed_on')}, segment, working_age, 0, 0, 1, proficient::int, 0, 0,
                      0, (completed_via = 'online')::int, (proficient AND completed_via = 'online')::int
                 FROM kpi_person_fact WHERE program_id = $1 AND completed_on IS NOT NULL
               UNION ALL
               SELECT program_id, view, unit_id, ${month('day')}, '', false, level, 0, 0, 0,
                      (kind = 'class')::int, (kind = 'certificate')::int, 0, 0, 0
                 FROM kpi_record_fact WHERE program_id = $1 AND kind <> 'online') x
        GROUP BY program_id, view, unit_id, month, segment, working_age, level`,
      [programId],
    );
  }

  /** `rebuild` in a transaction of its own: readers see the previous figures until the new ones are complete. */
  async rebuildAtomically(programId: string): Promise<void> {
    await this.dataSource.transaction((m) => this.rebuild(programId, m));
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
  private async lock(m: EntityManager, keys: [string, string][]): Promise<void> {
    await m.query(
      `SELECT pg_advisory_xact_lock(hashtext(p || k)) FROM unnest($1::text[], $2::text[]) AS t(p, k) ORDER BY p, k`,
      [keys.map((k) => k[0]), keys.map((k) => k[1])],
    );
  }
}

/** Distinct (program, id) keys in a stable order (locks are taken in it). */
function unique(keys: string[][]): [string, string][] {
  return [...new Map(keys.map(([a, b]) => [`${a}|${b}`, [a, b] as [string, string]])).values()].sort(
    (x, y) => (x[0] !== y[0] ? (x[0] < y[0] ? -1 : 1) : x[1] < y[1] ? -1 : x[1] > y[1] ? 1 : 0),
  );
}
