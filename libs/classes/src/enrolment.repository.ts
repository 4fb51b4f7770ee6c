import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { returning } from '../../platform/src';

export interface EnrolmentRow {
  id: string;
  classId: string;
  personId: string;
  fullName: string;
  birthYear: number;
  communeName: string;
  phone: string | null;
  cccd: string | null;
  gender: string;
  segment: string;
  status: 'enrolled' | 'completed' | 'withdrawn';
  walkIn: boolean;
  attendedSessions: number;
  completedAt: Date | null;
  outcomeCanApply: boolean | null;
  outcomeScore: string | null;
}

const SELECT = `
  SELECT e.id, e.class_id AS "classId", e.person_id AS "personId", p.full_name AS "fullName", p.birth_year AS "birthYear",
         cu.full_name AS "communeName", p.phone, p.cccd, p.gender, p.segment, e.status, e.walk_in AS "walkIn",
         e.attended_sessions AS "attendedSessions", e.completed_at AS "completedAt",
         e.outcome_can_apply AS "outcomeCanApply", e.outcome_score AS "outcomeScore"
    FROM enrolment e JOIN person p ON p.id = e.person_id JOIN admin_unit cu ON cu.id = p.commune_id`;

@Injectable()
export class EnrolmentRepository {
  /** The class roster in Vietnamese name order. */
  async ofClass(m: EntityManager, classId: string): Promise<EnrolmentRow[]> {
    return m.query(`${SELECT} WHERE e.class_id = $1 ORDER BY p.sort_key, p.id`, [classId]);
  }

  async findById(m: EntityManager, classId: string, id: string): Promise<EnrolmentRow | null> {
    const rows: EnrolmentRow[] = await m.query(`${SELECT} WHERE e.class_id = $1 AND e.id = $2`, [
      classId,
      id,
    ]);
    return rows[0] ?? null;
  }

  /**
   * Takes a seat: one statement under the class row's lock, re-checked after any concurrent enrolment
   * commits, so the class never holds more than its capacity. False when the class is full or not open.
   */
  async takeSeat(m: EntityManager, classId: string): Promise<boolean> {
    const rows = await returning(
      m,
      `UPDATE training_class SET enrolled_count = enrolled_count + 1, updated_at = now()
        WHERE id = $1 AND enrolled_count < capacity AND status IN ('draft', 'scheduled', 'in_progress')
       RETURNING id`,
      [classId],
    );
    return rows.length > 0;
  }

  /** Why no seat was taken: the class's status and capacity as they stand. */
  async seatState(m: EntityManager, classId: string): Promise<{ status: string; capacity: number }> {
    const [now]: { status: string; capacity: number }[] = await m.query(
      `SELECT status, capacity FROM training_class WHERE id = $1`,
      [classId],
    );
    return now;
  }

  async freeSeat(m: EntityManager, classId: string): Promise<void> {
    await m.query(
      `UPDATE training_class SET enrolled_count = enrolled_count - 1, updated_at = now() WHERE id = $1`,
      [classId],
    );
  }

  async insert(
    m: EntityManager,
    classId: string,
    personId: string,
    walkIn: boolean,
    by: string | null,
  ): Promise<string | null> {
    const rows: { id: string }[] = await m.query(
      `INSERT INTO enrolment (class_id, person_id, walk_in, enrolled_by) VALUES ($1, $2, $3, $4)
       ON CONFLICT (class_id, person_id) DO NOTHING RETURNING id`,
      [classId, personId, walkIn, by],
    );
    return rows[0]?.id ?? null;
  }

  async existing(m: EntityManager, classId: string, personId: string): Promise<string | null> {
    const rows: { id: string }[] = await m.query(
      `SELECT id FROM enrolment WHERE class_id = $1 AND person_id = $2`,
      [classId, personId],
    );
    return rows[0]?.id ?? null;
  }

  async setOutcome(
    m: EntityManager,
    id: string,
    canApply: boolean | null,
    score: number | null,
  ): Promise<void> {
    await m.query(
      `UPDATE enrolment SET outcome_can_apply = $2, outcome_score = $3, outcome_recorded_at = now() WHERE id = $1`,
      [id, canApply, score],
    );
  }

  /** Withdraws a live enrolment; false when it was already withdrawn (nothing to do, no seat to free). */
  async withdraw(m: EntityManager, id: string): Promise<boolean> {
    const rows = await returning(
      m,
      `UPDATE enrolment SET status = 'withdrawn', completed_at = NULL WHERE id = $1 AND status <> 'withdrawn'
       RETURNING id`,
      [id],
    );
    return rows.length > 0;
  }

  /** A merge: the source's enrolments become the survivor's, except in classes where the survivor has one. */
  async moveToSurvivor(m: EntityManager, survivorId: string, sourceId: string): Promise<{ id: string }[]> {
    return returning<{ id: string }>(
      m,
      `UPDATE enrolment e SET person_id = $1
        WHERE e.person_id = $2 AND NOT EXISTS (SELECT 1 FROM enrolment s WHERE s.class_id = e.class_id AND s.person_id = $1)
       RETURNING e.id`,
      [survivorId, sourceId],
    );
  }

  /** A merge: the source's enrolments left (in classes where the survivor has one), and their classes. */
  async deleteOfPerson(m: EntityManager, personId: string): Promise<{ classId: string }[]> {
    return returning<{ classId: string }>(
      m,
      `DELETE FROM enrolment WHERE person_id = $1 RETURNING class_id AS "classId"`,
      [personId],
    );
  }

  /** A merge: the seat of an enrolment deleted by `deleteOfPerson`. */
  async releaseMergedSeat(m: EntityManager, classId: string): Promise<void> {
    await m.query(`UPDATE training_class SET enrolled_count = enrolled_count - 1 WHERE id = $1`, [classId]);
  }

  /** The person's enrolments with their class's lead trainer and kind. */
  async ofPersonWithClass(
    m: EntityManager,
    personId: string,
  ): Promise<{ id: string; classId: string; leadTrainerId: string; kind: string }[]> {
    return m.query(
      `SELECT e.id, e.class_id AS "classId", c.lead_trainer_id AS "leadTrainerId", c.kind FROM enrolment e JOIN training_class c ON c.id = e.class_id
        WHERE e.person_id = $1`,
      [personId],
    );
  }
}
