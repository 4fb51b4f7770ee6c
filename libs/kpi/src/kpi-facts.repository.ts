import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { returning } from '../../platform/src';
import { attributed, KPI_VIEWS, vnDay } from './kpi-sql';

interface FactRow {
  view: string;
  unitId: number;
  segment: string;
  workingAge: boolean;
  firstAttendedOn: string;
  completedOn: string | null;
  proficient: boolean;
}

/** Each (person, citizen class) with attendance: the class's unit, the person's first attended day, completion. */
const PER_CLASS = (personFilter: string) => `
  SELECT t.person_id, t.unit_id, t.day, ${vnDay('e.completed_at')} AS completed_day,
         coalesce(e.outcome_can_apply, false) AS can_apply
    FROM (SELECT a.person_id, c.id AS class_id, c.unit_id, ${vnDay('min(s.starts_at)')} AS day
            FROM attendance a
            JOIN class_session s ON s.id = a.session_id
            JOIN training_class c ON c.id = a.class_id
           WHERE c.program_id = $1 AND c.kind = 'citizen' AND a.status IN ('present', 'late') ${personFilter}
           GROUP BY a.person_id, c.id, c.unit_id) t
    LEFT JOIN enrolment e ON e.class_id = t.class_id AND e.person_id = t.person_id AND e.status = 'completed'`;

/**
 * The people facts of a program: for each person, every unit their citizen classes count in, in both views,
 * once per unit however many classes there — the first attended day, the first completion, and whether any
 * completed class recorded that they can apply an AI tool.
 */
const FACTS_SQL = (personFilter: string) =>
  KPI_VIEWS.map(
    (view) => `
  SELECT $1::uuid AS program_id, '${view}' AS view, x.anc AS unit_id, x.person_id, p.segment,
         (extract(year FROM min(x.day))::int - p.birth_year) BETWEEN 15 AND 60 AS working_age,
         min(x.day) AS first_attended_on, min(x.completed_day) AS completed_on,
         coalesce(bool_or(x.can_apply AND x.completed_day IS NOT NULL), false) AS proficient
    FROM (${attributed(view, PER_CLASS(personFilter))}) x JOIN person p ON p.id = x.person_id
   GROUP BY x.anc, x.person_id, p.segment, p.birth_year`,
  ).join('\n  UNION ALL');

const FACT_COLUMNS = `view, unit_id AS "unitId", segment, working_age AS "workingAge", first_attended_on AS "firstAttendedOn",
  completed_on AS "completedOn", proficient`;

/**
 * Keeps the KPI facts and their daily sums in step with attendance and completions, for the people a change
 * touched only (a batch of marks costs a few indexed lookups, not a province). `rebuild` recomputes a
 * whole program set-based (after bulk loads, or when the map changed).
 */
@Injectable()
export class KpiFactsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async refresh(m: EntityManager, programId: string, personIds: string[]): Promise<void> {
    const people = [...new Set(personIds)].sort();
    if (!people.length) return;
    // Serialise refreshes of the same people (two batches for one person would both insert their facts).
    await m.query(`SELECT pg_advisory_xact_lock(hashtext($1 || p)) FROM unnest($2::text[]) AS p ORDER BY p`, [
      programId,
      people,
    ]);
    const removed = await returning<FactRow>(
      m,
      `DELETE FROM kpi_person_fact WHERE program_id = $1 AND person_id = ANY ($2::uuid[]) RETURNING ${FACT_COLUMNS}`,
      [programId, people],
    );
    const added: FactRow[] = await m.query(
      `INSERT INTO kpi_person_fact (program_id, view, unit_id, person_id, segment, working_age, first_attended_on,
                                    completed_on, proficient)
       ${FACTS_SQL('AND a.person_id = ANY ($2::uuid[])')}
       RETURNING ${FACT_COLUMNS}`,
      [programId, people],
    );
    await this.applyDeltas(m, programId, removed, added);
  }

  /** Recomputes every fact and daily sum of a program, in a few set-based statements. */
  async rebuild(programId: string, m: EntityManager = this.dataSource.manager): Promise<void> {
    await m.query(`DELETE FROM kpi_daily WHERE program_id = $1`, [programId]);
    await m.query(`DELETE FROM kpi_person_fact WHERE program_id = $1`, [programId]);
    await m.query(
      `INSERT INTO kpi_person_fact (program_id, view, unit_id, person_id, segment, working_age, first_attended_on,
                                    completed_on, proficient)
       ${FACTS_SQL('')}`,
      [programId],
    );
    await m.query(
      `INSERT INTO kpi_daily (program_id, view, unit_id, day, segment, working_age, reached, completed, proficient)
       SELECT program_id, view, unit_id, day, segment, working_age, sum(reached)::int, sum(completed)::int, sum(proficient)::int
         FROM (SELECT program_id, view, unit_id, first_attended_on AS day, segment, working_age, 1 AS reached, 0 AS completed,
                      0 AS proficient FROM kpi_person_fact WHERE program_id = $1
               UNION ALL
               SELECT program_id, view, unit_id, completed_on, segment, working_age, 0, 1, proficient::int
                 FROM kpi_person_fact WHERE program_id = $1 AND completed_on IS NOT NULL) x
        GROUP BY program_id, view, unit_id, day, segment, working_age`,
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

  async programsOfPeople(m: EntityManager, personIds: string[]): Promise<string[]> {
    const rows: { programId: string }[] = await m.query(
      `SELECT DISTINCT program_id AS "programId" FROM kpi_person_fact WHERE person_id = ANY ($1::uuid[])
       UNION SELECT DISTINCT c.program_id FROM enrolment e JOIN training_class c ON c.id = e.class_id
        WHERE e.person_id = ANY ($1::uuid[])`,
      [personIds],
    );
    return rows.map((r) => r.programId);
  }

  async programIds(): Promise<string[]> {
    const rows: { id: string }[] = await this.dataSource.query(`SELECT id FROM program ORDER BY id`);
    return rows.map((r) => r.id);
  }

  private async applyDeltas(
    m: EntityManager,
    programId: string,
    removed: FactRow[],
    added: FactRow[],
  ): Promise<void> {
    const deltas = new Map<
      string,
      {
        key: [string, number, string, string, boolean];
        reached: number;
        completed: number;
        proficient: number;
      }
    >();
    const bump = (f: FactRow, day: string, sign: number, field: 'reached' | 'completed' | 'proficient') => {
      const id = `${f.view}|${f.unitId}|${day}|${f.segment}|${f.workingAge}`;
      const entry = deltas.get(id) ?? {
        key: [f.view, f.unitId, day, f.segment, f.workingAge] as [string, number, string, string, boolean],
        reached: 0,
        completed: 0,
        proficient: 0,
      };
      entry[field] += sign;
      deltas.set(id, entry);
    };
    for (const [rows, sign] of [
      [removed, -1],
      [added, 1],
    ] as const) {
      for (const f of rows) {
        bump(f, f.firstAttendedOn, sign, 'reached');
        if (f.completedOn) {
          bump(f, f.completedOn, sign, 'completed');
          if (f.proficient) bump(f, f.completedOn, sign, 'proficient');
        }
      }
    }
    const changes = [...deltas.values()].filter((d) => d.reached || d.completed || d.proficient);
    if (!changes.length) return;
    await m.query(
      `INSERT INTO kpi_daily AS d (program_id, view, unit_id, day, segment, working_age, reached, completed, proficient)
       SELECT $1, * FROM unnest($2::text[], $3::int[], $4::date[], $5::text[], $6::boolean[], $7::int[], $8::int[], $9::int[])
       ON CONFLICT (program_id, view, unit_id, day, segment, working_age) DO UPDATE
          SET reached = d.reached + EXCLUDED.reached, completed = d.completed + EXCLUDED.completed,
              proficient = d.proficient + EXCLUDED.proficient`,
      [
        programId,
        changes.map((c) => c.key[0]),
        changes.map((c) => c.key[1]),
        changes.map((c) => c.key[2]),
        changes.map((c) => c.key[3]),
        changes.map((c) => c.key[4]),
        changes.map((c) => c.reached),
        changes.map((c) => c.completed),
        changes.map((c) => c.proficient),
      ],
    );
    await m.query(
      `DELETE FROM kpi_daily WHERE program_id = $1 AND reached = 0 AND completed = 0 AND proficient = 0
          AND unit_id = ANY ($2::int[])`,
      [programId, [...new Set(changes.map((c) => c.key[1]))]],
    );
  }
}
