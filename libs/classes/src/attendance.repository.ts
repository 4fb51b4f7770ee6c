import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { returning, vnDay } from '../../platform/src';
import { AttendanceMethod, AttendanceStatus } from './class.entities';

export interface Mark {
  sessionId: string;
  personId: string;
  classId: string;
  status: AttendanceStatus;
  method: AttendanceMethod;
  recordedBy: string | null;
  recordedAt: Date;
}

export interface StoredMark {
  sessionId: string;
  personId: string;
  status: AttendanceStatus;
  method: AttendanceMethod;
  recordedAt: Date;
}

export interface CompletionChange {
  enrolmentId: string;
  status: 'enrolled' | 'completed';
  personId: string;
  leadTrainerId: string;
  kind: string;
  classId: string;
  /** Whether the status or the completion time moved. */
  changed: boolean;
}

@Injectable()
export class AttendanceRepository {
  async ofClass(m: EntityManager, classId: string): Promise<StoredMark[]> {
    return m.query(
      `SELECT session_id AS "sessionId", person_id AS "personId", status, method, recorded_at AS "recordedAt"
         FROM attendance WHERE class_id = $1`,
      [classId],
    );
  }

  /** Records offline marks by their client ids; returns the ids not seen before (the others are replays). */
  async recordSyncMarks(
    m: EntityManager,
    marks: { clientId: string; sessionId: string; personId: string; status: string; recordedAt: string }[],
    by: string,
  ): Promise<string[]> {
    if (!marks.length) return [];
    const rows: { clientId: string }[] = await m.query(
      `INSERT INTO sync_mark (client_id, session_id, person_id, status, recorded_at, result, submitted_by)
       SELECT c, s, p, st, r, 'pending', $6 FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::timestamptz[])
         AS t(c, s, p, st, r)
       ON CONFLICT (client_id) DO NOTHING RETURNING client_id AS "clientId"`,
      [
        marks.map((k) => k.clientId),
        marks.map((k) => k.sessionId),
        marks.map((k) => k.personId),
        marks.map((k) => k.status),
        marks.map((k) => k.recordedAt),
        by,
      ],
    );
    return rows.map((r) => r.clientId);
  }

  async syncResults(m: EntityManager, clientIds: string[]): Promise<{ clientId: string; result: string }[]> {
    if (!clientIds.length) return [];
    return m.query(
      `SELECT client_id AS "clientId", result FROM sync_mark WHERE client_id = ANY ($1::uuid[])`,
      [clientIds],
    );
  }

  async setSyncResults(m: EntityManager, results: { clientId: string; result: string }[]): Promise<void> {
    if (!results.length) return;
    await m.query(
      `UPDATE sync_mark s SET result = t.r FROM unnest($1::uuid[], $2::text[]) AS t(c, r) WHERE s.client_id = t.c`,
      [results.map((r) => r.clientId), results.map((r) => r.result)],
    );
  }

  /** session id → class id, for the sessions that exist. */
  async sessionsWithClass(m: EntityManager, sessionIds: string[]): Promise<Map<string, string>> {
    if (!sessionIds.length) return new Map();
    const rows: { id: string; classId: string }[] = await m.query(
      `SELECT id, class_id AS "classId" FROM class_session WHERE id = ANY ($1::uuid[])`,
      [sessionIds],
    );
    return new Map(rows.map((r) => [r.id, r.classId]));
  }

  /** `classId|personId` of the pairs with a live (not withdrawn) enrolment. */
  async enrolledPairs(
    m: EntityManager,
    pairs: { classId: string; personId: string }[],
  ): Promise<Set<string>> {
    const valid = pairs.filter((p) => p.classId);
    if (!valid.length) return new Set();
    const rows: { classId: string; personId: string }[] = await m.query(
      `SELECT e.class_id AS "classId", e.person_id AS "personId"
         FROM enrolment e JOIN unnest($1::uuid[], $2::uuid[]) AS k(c, p) ON e.class_id = k.c AND e.person_id = k.p
        WHERE e.status <> 'withdrawn'`,
      [valid.map((p) => p.classId), valid.map((p) => p.personId)],
    );
    return new Set(rows.map((r) => `${r.classId}|${r.personId}`));
  }

  /** Current marks for these (session, person) keys, locked. */
  async current(m: EntityManager, keys: { sessionId: string; personId: string }[]): Promise<StoredMark[]> {
    if (!keys.length) return [];
    return m.query(
      `SELECT a.session_id AS "sessionId", a.person_id AS "personId", a.status, a.method, a.recorded_at AS "recordedAt"
         FROM attendance a JOIN unnest($1::uuid[], $2::uuid[]) AS k(s, p) ON a.session_id = k.s AND a.person_id = k.p
        ORDER BY a.session_id, a.person_id
        FOR UPDATE OF a`,
      [keys.map((k) => k.sessionId), keys.map((k) => k.personId)],
    );
  }

  /**
   * Writes marks, last writer wins by `recorded_at`: a mark older than the one stored is not applied.
   * Returns the keys that were written. Each key must appear once.
   */
  async upsert(m: EntityManager, marks: Mark[]): Promise<{ sessionId: string; personId: string }[]> {
    if (!marks.length) return [];
    return m.query(
      `INSERT INTO attendance AS a (session_id, person_id, class_id, status, method, recorded_by, recorded_at)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::uuid[], $7::timestamptz[])
       ON CONFLICT (session_id, person_id) DO UPDATE
          SET status = EXCLUDED.status, method = EXCLUDED.method, recorded_by = EXCLUDED.recorded_by,
              recorded_at = EXCLUDED.recorded_at, received_at = now()
        WHERE a.recorded_at <= EXCLUDED.recorded_at
       RETURNING session_id AS "sessionId", person_id AS "personId"`,
      [
        marks.map((k) => k.sessionId),
        marks.map((k) => k.personId),
        marks.map((k) => k.classId),
        marks.map((k) => k.status),
        marks.map((k) => k.method),
        marks.map((k) => k.recordedBy),
        marks.map((k) => k.recordedAt),
      ],
    );
  }

  async enrolmentIds(m: EntityManager, pairs: { classId: string; personId: string }[]): Promise<string[]> {
    if (!pairs.length) return [];
    const rows: { id: string }[] = await m.query(
      `SELECT e.id FROM enrolment e JOIN unnest($1::uuid[], $2::uuid[]) AS k(c, p) ON e.class_id = k.c AND e.person_id = k.p`,
      [pairs.map((p) => p.classId), pairs.map((p) => p.personId)],
    );
    return rows.map((r) => r.id);
  }

  /**
   * Re-decides completion for these enrolments from their marks and the program's rule: completed when the
   * person attended (present or late) at least the required sessions — a minimum number, or a share of the
   * class's sessions compared with half a percentage point of tolerance (0.67 of 3 is 2), never more than
   * the class has. The completion time is the start of the session that met the rule. A correction below
   * the rule reverts the enrolment. Returns the enrolments with their class's kind and lead trainer.
   */
  async recomputeCompletion(m: EntityManager, enrolmentIds: string[]): Promise<CompletionChange[]> {
    if (!enrolmentIds.length) return [];
    return returning(
      m,
      `WITH target AS MATERIALIZED (
         SELECT e.id, e.status AS old_status, e.completed_at AS old_completed_at, c.kind, c.lead_trainer_id, c.id AS class_id,
                e.person_id, g.completion_min_sessions, g.completion_min_share,
                (SELECT count(*)::int FROM class_session s WHERE s.class_id = c.id) AS sessions,
                (SELECT array_agg(s.starts_at ORDER BY s.starts_at)
                   FROM attendance a JOIN class_session s ON s.id = a.session_id
                  WHERE a.class_id = c.id AND a.person_id = e.person_id AND a.status IN ('present', 'late')) AS attended
           FROM enrolment e JOIN training_class c ON c.id = e.class_id JOIN program g ON g.id = c.program_id
          WHERE e.id = ANY ($1::uuid[]) AND e.status <> 'withdrawn'
       ), decided AS (
         SELECT t.*, coalesce(array_length(t.attended, 1), 0) AS n,
                least(t.sessions, coalesce(t.completion_min_sessions,
                                           ceil((t.completion_min_share - 0.005) * t.sessions)::int)) AS needed
           FROM target t
       ), outcome AS (
         SELECT d.*, (d.needed > 0 AND d.n >= d.needed) AS done FROM decided d
       )
       UPDATE enrolment e
          SET attended_sessions = o.n,
              status = CASE WHEN o.done THEN 'completed' ELSE 'enrolled' END,
              completed_at = CASE WHEN o.done THEN o.attended[o.needed] END
         FROM outcome o
        WHERE e.id = o.id
       RETURNING e.id AS "enrolmentId", e.status, e.person_id AS "personId", o.lead_trainer_id AS "leadTrainerId", o.kind,
                 o.class_id AS "classId",
                 (o.old_status IS DISTINCT FROM e.status OR o.old_completed_at IS DISTINCT FROM e.completed_at) AS changed`,
      [enrolmentIds],
    );
  }

  /**
   * For (trainer, person) pairs: the Vietnamese day of the person's first completed citizen class led by the
   * trainer, or null when there is none (served by ix_enrolment_person and ix_training_class_lead).
   */
  async reachDays(
    m: EntityManager,
    pairs: { trainerId: string; personId: string }[],
  ): Promise<{ trainerId: string; personId: string; reachedOn: string | null }[]> {
    if (!pairs.length) return [];
    return m.query(
      `SELECT k.t AS "trainerId", k.p AS "personId",
              (SELECT min(${vnDay('e.completed_at')})::text
                 FROM enrolment e JOIN training_class c ON c.id = e.class_id
                WHERE e.person_id = k.p AND c.lead_trainer_id = k.t AND c.kind = 'citizen' AND e.status = 'completed')
                AS "reachedOn"
         FROM unnest($1::uuid[], $2::uuid[]) AS k(t, p)`,
      [pairs.map((p) => p.trainerId), pairs.map((p) => p.personId)],
    );
  }
}
