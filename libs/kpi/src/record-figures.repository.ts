import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

/** What the records say about a group of people in a program, up to a day. */
export interface RecordFigures {
  /** People registered (living records: a person merged into another counts as that one). */
  members: number;
  /** Of them, people who attended at least one session of the program's classes before `until`. */
  trained: number;
  /** People who completed a class of the program before `until`. */
  completed: number;
  /** People who completed and were recorded as able to apply at least one AI tool. */
  proficient: number;
  /** Distinct classes of the program they attended. */
  classes: number;
}

/** An organisation's people, or the residents of a unit's subtree. */
export type RecordSubject = { organisationId: string } | { unitPath: string };

/**
 * The figures a progress report starts from, counted from the records of distinct people (never summed from
 * children). Served by ix_person_organisation / the commune path index, then ix_enrolment_person and
 * ix_attendance_person for each of those people.
 */
@Injectable()
export class RecordFiguresRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async figures(
    programId: string,
    until: string,
    subject: RecordSubject,
    m: EntityManager = this.dataSource.manager,
  ): Promise<RecordFigures> {
    return this.union(programId, until, [subject], m);
  }

  /**
   * The figures of several subjects together, each person once: someone on an organisation's staff who also
   * lives in a reporting commune counts once in a consolidated total.
   */
  async union(
    programId: string,
    until: string,
    subjects: RecordSubject[],
    m: EntityManager = this.dataSource.manager,
  ): Promise<RecordFigures> {
    const organisations = subjects.flatMap((s) => ('organisationId' in s ? [s.organisationId] : []));
    const paths = subjects.flatMap((s) => ('unitPath' in s ? [`${s.unitPath}%`] : []));
    const [row]: RecordFigures[] = await m.query(
      `WITH people AS (
         SELECT p.id FROM person p WHERE p.merged_into_id IS NULL AND p.organisation_id = ANY ($3::uuid[])
         UNION
         SELECT p.id FROM person p JOIN admin_unit cu ON cu.id = p.commune_id
          WHERE p.merged_into_id IS NULL AND cu.path LIKE ANY ($4::text[])),
       attended AS (
         SELECT DISTINCT a.person_id, a.class_id
           FROM attendance a JOIN class_session s ON s.id = a.session_id
           JOIN training_class c ON c.id = a.class_id
          WHERE a.person_id IN (SELECT id FROM people) AND c.program_id = $1
            AND a.status IN ('present', 'late') AND s.starts_at < ($2::date AT TIME ZONE 'Asia/Ho_Chi_Minh')),
       done AS (
         SELECT e.person_id, bool_or(e.outcome_can_apply IS TRUE) AS can_apply
           FROM enrolment e JOIN training_class c ON c.id = e.class_id
          WHERE e.person_id IN (SELECT id FROM people) AND c.program_id = $1
            AND e.completed_at < ($2::date AT TIME ZONE 'Asia/Ho_Chi_Minh')
          GROUP BY e.person_id)
       SELECT (SELECT count(*) FROM people)::int AS members,
              (SELECT count(DISTINCT person_id) FROM attended)::int AS trained,
              (SELECT count(*) FROM done)::int AS completed,
              (SELECT count(*) FILTER (WHERE can_apply) FROM done)::int AS proficient,
              (SELECT count(DISTINCT class_id) FROM attended)::int AS classes`,
      [programId, until, organisations, paths],
    );
    return row;
  }
}
