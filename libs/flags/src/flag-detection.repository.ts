import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { vnDay } from '../../platform/src';
import {
  DEFAULTS_JSON,
  MIN_GROUP,
  MIN_PARTNER_COMPLETIONS,
  MIN_SHARE_GROUP,
  RERAISED_REASON,
  RESOLVED_REASON,
} from './flag-patterns';

const ATTENDED = `('present', 'late')`;

/** The patterns of one class's own marks: a change in the class re-evaluates them whole. */
const CLASS_PATTERNS = [
  'backfilled',
  'device_clock',
  'marked_at_once',
  'identical_sessions',
  'session_outside_program',
  'segment_mismatch',
  'commune_mismatch',
];

/** The group columns every class-level candidate carries (aliases c for the class, f for its setting). */
const CLASS_GROUP = `c.program_id, f.pattern, f.severity, f.threshold, c.unit_id, c.id, c.lead_trainer_id`;

/**
 * Candidates: (program_id, pattern, subject_key, severity, unit_id, class_id, trainer_id, evidence, persons),
 * one SELECT per pattern over the classes touched ($1) and the (class, person) pairs whose marks changed
 * ($2, $3). Each reads only those classes' marks, or the touched people's other marks: the cost follows what
 * arrived, not the size of the province.
 */
const CANDIDATES = `
  -- Marks received long after their session ended (online roster, import, sync; a QR check-in is made in the room).
  SELECT c.program_id, f.pattern, 'session:' || k.session_id AS subject_key, f.severity, c.unit_id, c.id AS class_id,
         c.lead_trainer_id AS trainer_id,
         jsonb_build_object('sessionId', k.session_id, 'position', k.position, 'sessionEndsAt', k.ends_at,
           'firstReceivedAt', min(k.received_at), 'lastReceivedAt', max(k.received_at), 'marks', count(*),
           'hoursAfter', round(extract(epoch FROM max(k.received_at) - k.ends_at)::numeric / 3600, 1),
           'threshold', f.threshold) AS evidence,
         array_agg(k.person_id) AS persons
    FROM cls c JOIN cfg f ON f.program_id = c.program_id AND f.pattern = 'backfilled' AND f.enabled
    JOIN marks k ON k.class_id = c.id
   WHERE k.status IN ${ATTENDED} AND k.method <> 'qr' AND k.received_at > k.ends_at + f.threshold * interval '1 hour'
   GROUP BY ${CLASS_GROUP}, k.session_id, k.position, k.ends_at
  UNION ALL
  -- Offline marks whose device time is far from the time the server received them.
  SELECT c.program_id, f.pattern, 'session:' || k.session_id, f.severity, c.unit_id, c.id, c.lead_trainer_id,
         jsonb_build_object('sessionId', k.session_id, 'position', k.position, 'marks', count(*),
           'firstRecordedAt', min(k.recorded_at), 'lastReceivedAt', max(k.received_at),
           'maxGapHours', round(max(abs(extract(epoch FROM k.received_at - k.recorded_at)))::numeric / 3600, 1),
           'threshold', f.threshold),
         array_agg(k.person_id)
    FROM cls c JOIN cfg f ON f.program_id = c.program_id AND f.pattern = 'device_clock' AND f.enabled
    JOIN marks k ON k.class_id = c.id
   WHERE k.status IN ${ATTENDED} AND k.method = 'offline_sync'
     AND abs(extract(epoch FROM k.received_at - k.recorded_at)) > f.threshold * 3600
   GROUP BY ${CLASS_GROUP}, k.session_id, k.position
  UNION ALL
  -- A whole class (everyone enrolled, enough of them) marked present, by hand, within seconds.
  SELECT c.program_id, f.pattern, 'session:' || k.session_id, f.severity, c.unit_id, c.id, c.lead_trainer_id,
         jsonb_build_object('sessionId', k.session_id, 'position', k.position, 'present', count(*),
           'firstRecordedAt', min(k.recorded_at), 'lastRecordedAt', max(k.recorded_at),
           'seconds', extract(epoch FROM max(k.recorded_at) - min(k.recorded_at)),
           'methods', array_agg(DISTINCT k.method), 'threshold', f.threshold),
         array_agg(k.person_id)
    FROM cls c JOIN cfg f ON f.program_id = c.program_id AND f.pattern = 'marked_at_once' AND f.enabled
    JOIN marks k ON k.class_id = c.id
   GROUP BY ${CLASS_GROUP}, k.session_id, k.position
  HAVING count(*) >= ${MIN_GROUP} AND bool_and(k.status = 'present') AND bool_and(k.method <> 'qr')
     AND count(*) >= (SELECT count(*) FROM enrolment e WHERE e.class_id = c.id AND e.status <> 'withdrawn')
     AND extract(epoch FROM max(k.recorded_at) - min(k.recorded_at)) <= f.threshold
  UNION ALL
  -- Every session of the class (two or more, all marked) with exactly the same people present.
  SELECT c.program_id, f.pattern, 'class:' || c.id, f.severity, c.unit_id, c.id, c.lead_trainer_id,
         jsonb_build_object('sessions', count(*), 'present', max(cardinality(x.present)), 'threshold', f.threshold),
         min(x.present)
    FROM cls c JOIN cfg f ON f.program_id = c.program_id AND f.pattern = 'identical_sessions' AND f.enabled
    JOIN LATERAL (
      SELECT s.id, array_agg(k.person_id ORDER BY k.person_id) FILTER (WHERE k.status IN ${ATTENDED}) AS present
        FROM class_session s LEFT JOIN marks k ON k.session_id = s.id
       WHERE s.class_id = c.id GROUP BY s.id) x ON true
   GROUP BY ${CLASS_GROUP}
  HAVING count(*) >= 2 AND bool_and(x.present IS NOT NULL) AND count(DISTINCT x.present) = 1
     AND max(cardinality(x.present)) >= greatest(f.threshold, 1)
  UNION ALL
  -- A person present in two classes whose sessions overlap in time.
  SELECT c1.program_id, f.pattern,
         'person:' || a1.person_id || ':' || least(c1.id::text, c2.id::text) || ':' || greatest(c1.id::text, c2.id::text),
         f.severity, c1.unit_id, c1.id, c1.lead_trainer_id,
         jsonb_build_object('personId', a1.person_id, 'threshold', f.threshold, 'overlaps', jsonb_agg(jsonb_build_object(
           'classId', c1.id, 'classTitle', c1.title, 'unitId', c1.unit_id, 'venue', c1.venue_address,
           'startsAt', s1.starts_at, 'endsAt', s1.ends_at,
           'otherClassId', c2.id, 'otherClassTitle', c2.title, 'otherUnitId', c2.unit_id, 'otherVenue', c2.venue_address,
           'otherStartsAt', s2.starts_at, 'otherEndsAt', s2.ends_at,
           'minutes', round(extract(epoch FROM least(s1.ends_at, s2.ends_at) - greatest(s1.starts_at, s2.starts_at)) / 60)))),
         ARRAY[a1.person_id]
    FROM pairs p
    JOIN attendance a1 ON a1.class_id = p.class_id AND a1.person_id = p.person_id AND a1.status IN ${ATTENDED}
    JOIN class_session s1 ON s1.id = a1.session_id
    JOIN cls c1 ON c1.id = a1.class_id
    JOIN cfg f ON f.program_id = c1.program_id AND f.pattern = 'person_two_places' AND f.enabled
    JOIN attendance a2 ON a2.person_id = a1.person_id AND a2.class_id <> a1.class_id AND a2.status IN ${ATTENDED}
    JOIN class_session s2 ON s2.id = a2.session_id AND s2.starts_at < s1.ends_at AND s2.ends_at > s1.starts_at
    JOIN training_class c2 ON c2.id = a2.class_id
   WHERE least(s1.ends_at, s2.ends_at) - greatest(s1.starts_at, s2.starts_at) >= f.threshold * interval '1 minute'
   GROUP BY c1.program_id, f.pattern, f.severity, f.threshold, a1.person_id, c1.id, c2.id, c1.unit_id, c1.lead_trainer_id
  UNION ALL
  -- A trainer leading sessions that overlap in time, held in different places (unit or venue).
  SELECT o.program_id, o.pattern, o.subject_key, o.severity, o.unit_id, o.class_id, o.trainer_id, o.evidence,
         coalesce((SELECT array_agg(DISTINCT a.person_id) FROM attendance a
                    WHERE a.session_id = ANY (o.sessions) AND a.status IN ${ATTENDED}), '{}')
    FROM (SELECT c1.program_id, f.pattern,
                 'classes:' || least(c1.id::text, c2.id::text) || ':' || greatest(c1.id::text, c2.id::text) AS subject_key,
                 f.severity, c1.unit_id, c1.id AS class_id, c1.lead_trainer_id AS trainer_id,
                 jsonb_build_object('trainerPersonId', t1.person_id, 'threshold', f.threshold,
                   'overlaps', jsonb_agg(jsonb_build_object(
                     'classId', c1.id, 'classTitle', c1.title, 'unitId', c1.unit_id, 'venue', c1.venue_address,
                     'startsAt', s1.starts_at, 'endsAt', s1.ends_at,
                     'otherClassId', c2.id, 'otherClassTitle', c2.title, 'otherUnitId', c2.unit_id,
                     'otherVenue', c2.venue_address, 'otherStartsAt', s2.starts_at, 'otherEndsAt', s2.ends_at,
                     'minutes', round(extract(epoch FROM least(s1.ends_at, s2.ends_at) - greatest(s1.starts_at, s2.starts_at)) / 60)))
                 ) AS evidence,
                 array_agg(s1.id) || array_agg(s2.id) AS sessions
            FROM cls c1 JOIN cfg f ON f.program_id = c1.program_id AND f.pattern = 'trainer_two_places' AND f.enabled
            JOIN trainer t1 ON t1.id = c1.lead_trainer_id
            JOIN class_session s1 ON s1.class_id = c1.id
            JOIN trainer t2 ON t2.person_id = t1.person_id
            JOIN training_class c2 ON c2.lead_trainer_id = t2.id AND c2.id <> c1.id AND c2.status <> 'cancelled'
            JOIN class_session s2 ON s2.class_id = c2.id AND s2.starts_at < s1.ends_at AND s2.ends_at > s1.starts_at
           WHERE c1.status <> 'cancelled'
             AND (c1.unit_id <> c2.unit_id OR coalesce(c1.venue_address, '') <> coalesce(c2.venue_address, ''))
             AND least(s1.ends_at, s2.ends_at) - greatest(s1.starts_at, s2.starts_at) >= f.threshold * interval '1 minute'
           GROUP BY c1.program_id, f.pattern, f.severity, f.threshold, c1.id, c2.id, c1.unit_id, c1.lead_trainer_id,
                    t1.person_id) o
  UNION ALL
  -- One phone number behind the QR self check-ins of many learners of the program.
  SELECT g.program_id, f.pattern, 'phone:' || md5(g.phone), f.severity, g.unit_id, g.class_id, g.trainer_id,
         jsonb_build_object('phoneEnding', right(g.phone, 3), 'learners', g.n, 'classes', g.classes,
           'threshold', f.threshold),
         g.persons
    FROM (SELECT c.program_id, p.phone, count(DISTINCT a.person_id) AS n, array_agg(DISTINCT a.person_id) AS persons,
                 min(c.unit_id) AS unit_id, (array_agg(c.id ORDER BY a.checked_in_at))[1] AS class_id,
                 (array_agg(c.lead_trainer_id ORDER BY a.checked_in_at))[1] AS trainer_id,
                 count(DISTINCT c.id) AS classes
            FROM person p
            JOIN attendance a ON a.person_id = p.id AND a.checked_in_at IS NOT NULL
            JOIN training_class c ON c.id = a.class_id
           WHERE p.phone IN (SELECT q.phone FROM marks k JOIN person q ON q.id = k.person_id
                              WHERE k.checked_in_at IS NOT NULL AND q.phone IS NOT NULL)
             AND c.program_id IN (SELECT program_id FROM cls)
           GROUP BY c.program_id, p.phone) g
    JOIN cfg f ON f.program_id = g.program_id AND f.pattern = 'shared_phone' AND f.enabled
   WHERE g.n >= f.threshold
  UNION ALL
  -- Attendance on sessions outside the program's dates (a tolerance of some days).
  SELECT c.program_id, f.pattern, 'class:' || c.id, f.severity, c.unit_id, c.id, c.lead_trainer_id,
         jsonb_build_object('programStartsOn', f.starts_on, 'programEndsOn', f.ends_on, 'threshold', f.threshold,
           'sessions', jsonb_agg(DISTINCT jsonb_build_object('sessionId', k.session_id, 'position', k.position,
                                                             'startsAt', k.starts_at))),
         array_agg(DISTINCT k.person_id)
    FROM cls c JOIN cfg f ON f.program_id = c.program_id AND f.pattern = 'session_outside_program' AND f.enabled
    JOIN marks k ON k.class_id = c.id
   WHERE k.status IN ${ATTENDED}
     AND (${vnDay('k.starts_at')} < f.starts_on - f.threshold::int OR ${vnDay('k.starts_at')} > f.ends_on + f.threshold::int)
   GROUP BY ${CLASS_GROUP}, f.starts_on, f.ends_on
  UNION ALL
  -- Many attendees outside the class's target segment, or living outside its unit.
  SELECT c.program_id, f.pattern, 'class:' || c.id, f.severity, c.unit_id, c.id, c.lead_trainer_id,
         jsonb_build_object('attendees', x.n, 'outside', x.outside, 'share', round(x.outside::numeric / x.n, 3),
           'targetSegment', c.target_segment, 'unitId', c.unit_id, 'threshold', f.threshold),
         x.persons
    FROM cls c JOIN cfg f ON f.program_id = c.program_id AND f.pattern IN ('segment_mismatch', 'commune_mismatch') AND f.enabled
    JOIN LATERAL (
      SELECT count(*) AS n,
             count(*) FILTER (WHERE CASE f.pattern WHEN 'segment_mismatch' THEN p.segment <> c.target_segment
                                                   ELSE NOT starts_with(pu.path, c.unit_path) END) AS outside,
             array_agg(p.id) FILTER (WHERE CASE f.pattern WHEN 'segment_mismatch' THEN p.segment <> c.target_segment
                                                          ELSE NOT starts_with(pu.path, c.unit_path) END) AS persons
        FROM (SELECT DISTINCT k.person_id FROM marks k WHERE k.class_id = c.id AND k.status IN ${ATTENDED}) d
        JOIN person p ON p.id = d.person_id JOIN admin_unit pu ON pu.id = p.commune_id) x ON true
   WHERE (f.pattern = 'commune_mismatch' OR c.target_segment IS NOT NULL)
     AND x.outside >= ${MIN_SHARE_GROUP} AND x.outside::numeric / x.n > f.threshold`;

/** Each pattern's setting for the programs of `programs` (a query), the program's own or the default (parameter `defaults`). */
const SETTINGS = (programs: string, defaults: string) => `
  SELECT g.id AS program_id, g.starts_on, g.ends_on, d.pattern, coalesce(s.enabled, true) AS enabled,
         coalesce(s.threshold, d.threshold) AS threshold, coalesce(s.severity, d.severity) AS severity
    FROM program g
   CROSS JOIN jsonb_to_recordset(${defaults}::jsonb) AS d(pattern text, threshold numeric, severity text)
    LEFT JOIN data_flag_setting s ON s.program_id = g.id AND s.pattern = d.pattern
   WHERE g.id IN (${programs})`;

const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;

/**
 * Writes candidates as flags: new ones open, open ones updated (their people follow the evidence), decided
 * ones left as decided, and one that had closed itself opened again when its evidence is back. An open flag of
 * the scope this statement re-evaluated (`scope`, a condition on `d`) that no candidate carries any more
 * closes itself: `resolved`, by correction of its records, never by a reviewer. Both are audited, under the
 * context (actor, request) of the parameter `ctx`.
 */
const UPSERT = (scope: string, ctx: string) => `
  picked AS (SELECT DISTINCT ON (program_id, pattern, subject_key) * FROM cand
              ORDER BY program_id, pattern, subject_key, class_id),
  prev AS (SELECT d.id FROM data_flag d JOIN picked p USING (program_id, pattern, subject_key) WHERE d.status = 'resolved'),
  up AS (
    INSERT INTO data_flag AS d (program_id, pattern, subject_key, severity, unit_id, class_id, trainer_id, evidence, records)
    SELECT program_id, pattern, subject_key, severity, unit_id, class_id, trainer_id, evidence, coalesce(cardinality(persons), 0)
      FROM picked
    ON CONFLICT (program_id, pattern, subject_key) DO UPDATE
      SET evidence = EXCLUDED.evidence, severity = EXCLUDED.severity, records = EXCLUDED.records, updated_at = now(),
          status = 'open', decided_at = NULL, decision_reason = NULL
      WHERE d.status = 'resolved'
         OR (d.status = 'open' AND (d.evidence, d.severity, d.records) IS DISTINCT FROM (EXCLUDED.evidence, EXCLUDED.severity, EXCLUDED.records))
    RETURNING d.id, d.program_id, d.pattern, d.subject_key, d.unit_id, d.records),
  rec AS (
    INSERT INTO data_flag_record (flag_id, person_id, class_id)
    SELECT up.id, x.person_id, p.class_id FROM up JOIN picked p USING (program_id, pattern, subject_key)
     CROSS JOIN LATERAL unnest(p.persons) AS x(person_id)
    ON CONFLICT DO NOTHING),
  gone AS (
    DELETE FROM data_flag_record r USING up JOIN picked p USING (program_id, pattern, subject_key)
     WHERE r.flag_id = up.id AND NOT (r.person_id = ANY (coalesce(p.persons, '{}')))),
  res AS (
    UPDATE data_flag d SET status = 'resolved', decided_by = NULL, decided_at = now(),
                           decision_reason = ${literal(RESOLVED_REASON)}, updated_at = now()
     WHERE d.status = 'open' AND (${scope})
       AND NOT EXISTS (SELECT 1 FROM cand c
                        WHERE c.program_id = d.program_id AND c.pattern = d.pattern AND c.subject_key = d.subject_key)
    RETURNING d.id, d.unit_id, d.pattern, d.records),
  aud AS (
    INSERT INTO audit_log (actor_id, action, entity_type, entity_id, before, after, scope_paths, request_id, ip, actor_name)
    SELECT (${ctx}::jsonb ->> 'actor')::uuid, 'flag.' || x.action, 'data_flag', x.id::text,
           jsonb_build_object('status', CASE x.action WHEN 'resolved' THEN 'open' ELSE 'resolved' END),
           jsonb_build_object('status', CASE x.action WHEN 'resolved' THEN 'resolved' ELSE 'open' END,
                              'reason', CASE x.action WHEN 'resolved' THEN ${literal(RESOLVED_REASON)} ELSE ${literal(RERAISED_REASON)} END,
                              'pattern', x.pattern, 'records', x.records),
           ARRAY[u.path], ${ctx}::jsonb ->> 'request', ${ctx}::jsonb ->> 'ip', ${ctx}::jsonb ->> 'name'
      FROM (SELECT id, unit_id, pattern, records, 'resolved' AS action FROM res
            UNION ALL
            SELECT up.id, up.unit_id, up.pattern, up.records, 'reraised' FROM up JOIN prev USING (id)) x
      JOIN admin_unit u ON u.id = x.unit_id)
  SELECT count(*)::int AS n FROM up`;

/**
 * The open flags a change of marks re-evaluates, so that those whose evidence is gone close themselves: the
 * per-class patterns of the classes touched (every session of theirs is read again), and a person's two places
 * where that person's marks in one of the two classes changed. Trainers in two places (a matter of the
 * timetable) and shared phones (of people's numbers) are not closed by a correction of marks. Patterns
 * turned off are not re-evaluated, so they never close that way.
 */
const MARKS_SCOPE = `
  d.id IN (SELECT f.id FROM data_flag f WHERE f.class_id IN (SELECT id FROM cls)
           UNION
           SELECT r.flag_id FROM data_flag_record r WHERE r.person_id IN (SELECT person_id FROM pairs))
  AND EXISTS (SELECT 1 FROM cfg f WHERE f.program_id = d.program_id AND f.pattern = d.pattern AND f.enabled)
  AND CASE WHEN d.pattern = 'person_two_places'
             THEN EXISTS (SELECT 1 FROM pairs p WHERE p.person_id = split_part(d.subject_key, ':', 2)::uuid
                             AND p.class_id IN (split_part(d.subject_key, ':', 3)::uuid, split_part(d.subject_key, ':', 4)::uuid))
           ELSE d.pattern IN (${CLASS_PATTERNS.map((x) => `'${x}'`).join(', ')}) AND d.class_id IN (SELECT id FROM cls) END`;

interface PgClient {
  query(q: string | { name: string; text: string; values: unknown[] }): Promise<{ rows: { n: number }[] }>;
}

/**
 * Runs the detector's statement as a named prepared statement on the transaction's connection, on its
 * generic plan. Planning the eleven-pattern statement costs more than running it (≈ 90 ms against ≈ 40 ms
 * on a loaded machine), and PostgreSQL re-plans a prepared statement with parameters at every execution
 * ("custom" plans) as long as it judges the generic plan costlier — which it does for this statement, whose
 * arrays of ids it cannot size — so a prepared statement alone saved nothing. With `plan_cache_mode` set to
 * the generic plan for this one execution (`SET LOCAL`, put back at once, so the transaction's other
 * statements plan as usual), the statement is planned once per connection and then only executed; every
 * condition is on an indexed id, so the generic plan is the custom one without the constants. Without a
 * connection of its own (no transaction), an ordinary query.
 */
async function prepared(
  m: EntityManager,
  name: string,
  text: string,
  values: unknown[],
): Promise<{ n: number }[]> {
  const client = (m.queryRunner as unknown as { databaseConnection?: PgClient } | undefined)
    ?.databaseConnection;
  if (!client || typeof client.query !== 'function') return m.query(text, values);
  await client.query('SET LOCAL plan_cache_mode = force_generic_plan');
  // A failure aborts the transaction, and the setting goes with it.
  const { rows } = await client.query({ name, text, values });
  await client.query('SET LOCAL plan_cache_mode = DEFAULT');
  return rows;
}

/**
 * The detector's statements (FlagDetector): each evaluates every pattern over what arrived and writes the
 * flags in one statement, audited under `auditContext` (JSON: actor, request, ip, name). Both answer how many
 * flags they raised or updated.
 */
@Injectable()
export class FlagDetectionRepository {
  /** After marks of these (class, person) pairs changed, in the transaction that derives their figures. */
  async afterMarks(
    m: EntityManager,
    pairs: { classId: string; personId: string }[],
    auditContext: string,
  ): Promise<number> {
    const classIds = [...new Set(pairs.map((p) => p.classId))];
    const [row] = await prepared(
      m,
      'data_flag_after_marks',
      `WITH cls AS MATERIALIZED (
         SELECT c.id, c.program_id, c.unit_id, c.lead_trainer_id, c.target_segment, c.venue_address, c.title, c.status,
                u.path AS unit_path
           FROM training_class c JOIN admin_unit u ON u.id = c.unit_id WHERE c.id = ANY ($1::uuid[])),
       cfg AS MATERIALIZED (${SETTINGS('SELECT program_id FROM cls', '$4')}),
       marks AS MATERIALIZED (
         SELECT a.session_id, a.person_id, a.class_id, a.status, a.method, a.recorded_at, a.received_at, a.checked_in_at,
                s.position, s.starts_at, s.ends_at
           FROM attendance a JOIN class_session s ON s.id = a.session_id
          WHERE a.class_id = ANY ($1::uuid[]) AND s.class_id = ANY ($1::uuid[])),
       pairs AS (SELECT DISTINCT class_id, person_id FROM unnest($2::uuid[], $3::uuid[]) AS t(class_id, person_id)),
       cand AS (${CANDIDATES}),
       ${UPSERT(MARKS_SCOPE, '$5')}`,
      [classIds, pairs.map((p) => p.classId), pairs.map((p) => p.personId), DEFAULTS_JSON, auditContext],
    );
    return row.n;
  }

  /** After a partner pushed records for these programs. */
  async afterPartnerRecords(
    m: EntityManager,
    clientId: string,
    programIds: string[],
    auditContext: string,
  ): Promise<number> {
    const [row] = await prepared(
      m,
      'data_flag_after_partner',
      `WITH cfg AS MATERIALIZED (${SETTINGS('SELECT unnest($2::uuid[])', '$3')}),
       done AS (
         SELECT r.program_id, r.person_id,
                NOT EXISTS (SELECT 1 FROM partner_learning_record l
                             WHERE l.client_id = r.client_id AND l.program_id = r.program_id AND l.person_id = r.person_id
                               AND l.kind = 'lesson' AND l.voided_at IS NULL)
                AND NOT EXISTS (SELECT 1 FROM attendance a JOIN training_class tc ON tc.id = a.class_id
                                 WHERE a.person_id = r.person_id AND tc.program_id = r.program_id
                                   AND a.status IN ${ATTENDED}) AS bare
           FROM partner_learning_record r
          WHERE r.client_id = $1 AND r.program_id = ANY ($2::uuid[]) AND r.kind = 'completion' AND r.voided_at IS NULL),
       g AS (SELECT program_id, count(*) AS n, count(*) FILTER (WHERE bare) AS bare,
                    array_agg(DISTINCT person_id) FILTER (WHERE bare) AS persons
               FROM done GROUP BY program_id),
       cand AS (
         SELECT g.program_id, f.pattern, 'partner:' || $1 AS subject_key, f.severity, pg.owner_unit_id AS unit_id,
                NULL::uuid AS class_id, NULL::uuid AS trainer_id,
                jsonb_build_object('partnerClientId', $1::uuid, 'partnerName', pc.name, 'completions', g.n,
                  'withoutLearning', g.bare, 'share', round(g.bare::numeric / g.n, 3), 'threshold', f.threshold) AS evidence,
                g.persons
           FROM g JOIN cfg f ON f.program_id = g.program_id AND f.pattern = 'completion_without_learning' AND f.enabled
           JOIN program pg ON pg.id = g.program_id JOIN partner_client pc ON pc.id = $1
          WHERE g.n >= ${MIN_PARTNER_COMPLETIONS} AND g.bare::numeric / g.n > f.threshold),
       ${UPSERT(
         `d.pattern = 'completion_without_learning' AND d.subject_key = 'partner:' || $1 AND d.program_id = ANY ($2::uuid[])
          AND EXISTS (SELECT 1 FROM cfg f WHERE f.program_id = d.program_id AND f.pattern = d.pattern AND f.enabled)`,
         '$4',
       )}`,
      [clientId, programIds, DEFAULTS_JSON, auditContext],
    );
    return row.n;
  }
}
