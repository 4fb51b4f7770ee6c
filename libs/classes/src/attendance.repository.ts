import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { returning, vnDay } from '../../platform/src';
import { StandingMark } from './attendance.precedence';
import { AttendanceStatus } from './class.entities';

/** A mark as stored: what the precedence rule reads and what the audit trail records before and after. */
export interface StoredMark extends StandingMark {
  sessionId: string;
  personId: string;
  recordedBy: string | null;
}

/** A mark to store, decided already: written as given, under the class's lock. */
export interface Mark extends StoredMark {
  classId: string;
}

/** What a sync answered for a client id, kept so that a replay answers the same. */
export interface SyncAnswer {
  clientId: string;
  result: string;
  reason?: string;
  current?: { status: string; method: string; recordedAt: string; version: number };
}

/** A conflict as the class's conflict list reads it. */
export interface ConflictRow {
  clientId: string;
  sessionId: string;
  position: number;
  startsAt: Date;
  personId: string;
  fullName: string;
  status: AttendanceStatus;
  recordedAt: Date;
  baseVersion: number | null;
  receivedAt: Date;
  /** The stored mark when the conflict was answered. */
  kept: { status: string; method: string; recordedAt: string; version: number } | null;
  /** The stored mark now. */
  now: { status: string; method: string; recordedAt: string; version: number } | null;
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

/** The columns of a stored mark, as `StoredMark` (alias a). */
const MARK_COLUMNS = `a.session_id AS "sessionId", a.person_id AS "personId", a.status, a.method,
  a.recorded_by AS "recordedBy", a.recorded_at AS "recordedAt", a.version, a.checked_in_at AS "checkedInAt"`;

/** node-postgres gives timestamps as Date already; JSON-built rows give strings. */
function toStored(row: StoredMark): StoredMark {
  return {
    ...row,
    recordedAt: new Date(row.recordedAt),
    checkedInAt: row.checkedInAt === null ? null : new Date(row.checkedInAt),
  };
}

@Injectable()
export class AttendanceRepository {
  async ofClass(m: EntityManager, classId: string): Promise<StoredMark[]> {
    const rows: StoredMark[] = await m.query(
      `SELECT ${MARK_COLUMNS} FROM attendance a WHERE a.class_id = $1`,
      [classId],
    );
    return rows.map(toStored);
  }

  /** The answers given earlier to these client ids (reason and current mark are absent for old answers). */
  async syncResults(m: EntityManager, clientIds: string[]): Promise<SyncAnswer[]> {
    if (!clientIds.length) return [];
    const rows: {
      clientId: string;
      result: string;
      answer: Omit<SyncAnswer, 'clientId' | 'result'> | null;
    }[] = await m.query(
      `SELECT client_id AS "clientId", result, answer FROM sync_mark WHERE client_id = ANY ($1::uuid[])`,
      [clientIds],
    );
    return rows.map((r) => ({ ...r.answer, clientId: r.clientId, result: r.result }));
  }

  /**
   * Records offline marks with their answers, once (a replay finds them by their client ids); returns the
   * ids it wrote — those it did not were recorded meanwhile by a request with the same marks, which committed
   * first.
   */
  async recordSyncMarks(
    m: EntityManager,
    marks: {
      clientId: string;
      sessionId: string;
      personId: string;
      status: string;
      recordedAt: string;
      baseVersion?: number | null;
    }[],
    answers: Map<string, SyncAnswer>,
    by: string,
  ): Promise<string[]> {
    if (!marks.length) return [];
    const answer = (k: { clientId: string }) => answers.get(k.clientId)!;
    const rows: { clientId: string }[] = await m.query(
      `INSERT INTO sync_mark (client_id, session_id, person_id, status, recorded_at, base_version, result, answer,
                              submitted_by)
       SELECT c, s, p, st, r, b, res, a, $9
         FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::timestamptz[], $6::int[], $7::text[],
                     $8::jsonb[]) AS t(c, s, p, st, r, b, res, a)
       ON CONFLICT (client_id) DO NOTHING RETURNING client_id AS "clientId"`,
      [
        marks.map((k) => k.clientId),
        marks.map((k) => k.sessionId),
        marks.map((k) => k.personId),
        marks.map((k) => k.status),
        marks.map((k) => k.recordedAt),
        marks.map((k) => k.baseVersion ?? null),
        marks.map((k) => answer(k).result),
        // Most answers are a bare "applied": nothing to keep beside the result.
        marks.map((k) => {
          const { reason, current } = answer(k);
          return reason === undefined && current === undefined ? null : JSON.stringify({ reason, current });
        }),
        by,
      ],
    );
    return rows.map((r) => r.clientId);
  }

  /**
   * The conflicts reported to offline devices for a class's sessions, newest first, with the mark standing
   * now (served by the partial index ix_sync_mark_conflict).
   */
  async conflicts(m: EntityManager, classId: string): Promise<ConflictRow[]> {
    const rows: ConflictRow[] = await m.query(
      `SELECT k.client_id AS "clientId", k.session_id AS "sessionId", s.position, s.starts_at AS "startsAt", k.person_id AS "personId",
              p.full_name AS "fullName", k.status, k.recorded_at AS "recordedAt", k.base_version AS "baseVersion",
              k.received_at AS "receivedAt", k.answer -> 'current' AS kept,
              CASE WHEN a.session_id IS NULL THEN NULL ELSE json_build_object(
                'status', a.status, 'method', a.method, 'recordedAt', a.recorded_at, 'version', a.version) END AS now
         FROM sync_mark k
         JOIN class_session s ON s.id = k.session_id
         JOIN person p ON p.id = k.person_id
         LEFT JOIN attendance a ON a.session_id = k.session_id AND a.person_id = k.person_id
        WHERE k.result = 'conflict' AND s.class_id = $1
        ORDER BY k.received_at DESC, k.client_id`,
      [classId],
    );
    return rows;
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

  /** Current marks for these (session, person) keys, locked until the transaction ends. */
  async current(m: EntityManager, keys: { sessionId: string; personId: string }[]): Promise<StoredMark[]> {
    if (!keys.length) return [];
    const rows: StoredMark[] = await m.query(
      `SELECT ${MARK_COLUMNS}
         FROM attendance a JOIN unnest($1::uuid[], $2::uuid[]) AS k(s, p) ON a.session_id = k.s AND a.person_id = k.p
        ORDER BY a.session_id, a.person_id
        FOR UPDATE OF a`,
      [keys.map((k) => k.sessionId), keys.map((k) => k.personId)],
    );
    return rows.map(toStored);
  }

  /** The classes (with their unit paths) in which these people have marks. */
  async classesMarking(
    m: EntityManager,
    personIds: string[],
  ): Promise<{ classId: string; unitPath: string }[]> {
    return m.query(
      `SELECT c.id AS "classId", u.path AS "unitPath" FROM training_class c JOIN admin_unit u ON u.id = c.unit_id
        WHERE c.id IN (SELECT a.class_id FROM attendance a WHERE a.person_id = ANY ($1::uuid[]))
        ORDER BY c.id`,
      [personIds],
    );
  }

  /** Every mark of these people, locked until the transaction ends. */
  async ofPeople(m: EntityManager, personIds: string[]): Promise<(StoredMark & { classId: string })[]> {
    const rows: (StoredMark & { classId: string })[] = await m.query(
      `SELECT ${MARK_COLUMNS}, a.class_id AS "classId" FROM attendance a WHERE a.person_id = ANY ($1::uuid[])
        ORDER BY a.session_id, a.person_id FOR UPDATE OF a`,
      [personIds],
    );
    return rows.map((r) => ({ ...toStored(r), classId: r.classId }));
  }

  async deleteOf(m: EntityManager, personId: string): Promise<void> {
    await m.query(`DELETE FROM attendance WHERE person_id = $1`, [personId]);
  }

  /**
   * Writes marks already decided by the precedence rule (each key once), under the lock of their class. Each
   * carries the version it becomes: a stored row is replaced only from the version before it, so a writer
   * that did not hold the lock could not overwrite a mark it never read — it fails loudly instead.
   */
  async upsert(m: EntityManager, marks: Mark[]): Promise<void> {
    if (!marks.length) return;
    const written: unknown[] = await m.query(
      `INSERT INTO attendance AS a (session_id, person_id, class_id, status, method, recorded_by, recorded_at, version,
                                    checked_in_at)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::uuid[], $7::timestamptz[],
                            $8::int[], $9::timestamptz[])
       ON CONFLICT (session_id, person_id) DO UPDATE
          SET status = EXCLUDED.status, method = EXCLUDED.method, recorded_by = EXCLUDED.recorded_by,
              recorded_at = EXCLUDED.recorded_at, version = EXCLUDED.version, checked_in_at = EXCLUDED.checked_in_at,
              received_at = now()
        WHERE a.version = EXCLUDED.version - 1
       RETURNING 1`,
      [
        marks.map((k) => k.sessionId),
        marks.map((k) => k.personId),
        marks.map((k) => k.classId),
        marks.map((k) => k.status),
        marks.map((k) => k.method),
        marks.map((k) => k.recordedBy),
        marks.map((k) => k.recordedAt),
        marks.map((k) => k.version),
        marks.map((k) => k.checkedInAt),
      ],
    );
    if (written.length !== marks.length)
      throw new Error(
        `attendance changed under a write: ${marks.length - written.length} of ${marks.length} marks`,
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
