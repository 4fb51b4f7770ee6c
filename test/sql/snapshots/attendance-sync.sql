-- Offline attendance sync: a batch of new marks of a few classes
--
-- Issued by POST /api/v1/attendance/sync
-- Sent as the administrator.
--
-- Written by `npm run sql:snapshots` from what the API sent to PostgreSQL (test/sql/capture.ts); do not
-- edit. test/sql/hot-queries.e2e-spec.ts fails when this differs from what the code sends now, and
-- checks with EXPLAIN, on tables of realistic size, that each statement uses the index named here.

-- name: the batch's classes with their sessions
-- index: pk_class_session, pk_training_class
-- $1: session ids of the marks
SELECT c.id, c.program_id AS "programId", c.level, c.kind, c.title, c.lead_trainer_id AS "leadTrainerId",
     lp.full_name AS "leadName", lt.person_id AS "leadPersonId", c.unit_id AS "unitId", u.code AS "unitCode",
     u.full_name AS "unitName", u.path AS "unitPath", c.venue_type AS "venueType", c.venue_address AS "venueAddress",
     c.mode, c.capacity, c.enrolled_count AS "enrolledCount", c.target_segment AS "targetSegment", c.status,
     c.created_at,
     coalesce((SELECT json_agg(json_build_object('id', s.id, 'position', s.position, 'startsAt', s.starts_at,
                                                 'endsAt', s.ends_at) ORDER BY s.position)
                 FROM class_session s WHERE s.class_id = c.id), '[]') AS sessions,
     coalesce((SELECT json_agg(json_build_object('id', a.trainer_id, 'fullName', ap.full_name, 'personId', at.person_id))
                 FROM class_assistant a JOIN trainer at ON at.id = a.trainer_id JOIN person ap ON ap.id = at.person_id
                WHERE a.class_id = c.id), '[]') AS assistants
FROM training_class c
JOIN trainer lt ON lt.id = c.lead_trainer_id
JOIN person lp ON lp.id = lt.person_id
JOIN admin_unit u ON u.id = c.unit_id WHERE c.id IN (SELECT s.class_id FROM class_session s WHERE s.id = ANY ($1::uuid[]));

-- name: enrolments of the marked people
-- index: uq_enrolment_class_person
-- $1: class ids
-- $2: person ids (pairs with the class ids)
SELECT e.class_id AS "classId", e.person_id AS "personId"
 FROM enrolment e JOIN unnest($1::uuid[], $2::uuid[]) AS k(c, p) ON e.class_id = k.c AND e.person_id = k.p
WHERE e.status <> 'withdrawn';

-- name: the classes locked
-- index: pk_training_class
-- $1: class ids
SELECT 1 FROM training_class WHERE id = ANY ($1::uuid[]) ORDER BY id FOR UPDATE;

-- name: the stored marks, locked
-- index: pk_attendance
-- $1: session ids
-- $2: person ids (pairs with the session ids)
SELECT a.session_id AS "sessionId", a.person_id AS "personId", a.status, a.method,
a.recorded_by AS "recordedBy", a.recorded_at AS "recordedAt", a.version, a.checked_in_at AS "checkedInAt"
       FROM attendance a JOIN unnest($1::uuid[], $2::uuid[]) AS k(s, p) ON a.session_id = k.s AND a.person_id = k.p
      ORDER BY a.session_id, a.person_id
      FOR UPDATE OF a;

-- name: the marks written (latest write wins by version)
-- index: pk_attendance
--   The conflict with a stored mark is found through the primary key.
-- $1: session ids
-- $2: person ids
-- $3: class ids
-- $4: statuses
-- $5: methods
-- $6: recorded by
-- $7: recorded at
-- $8: versions
-- $9: checked in at
INSERT INTO attendance AS a (session_id, person_id, class_id, status, method, recorded_by, recorded_at, version,
                             checked_in_at)
SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::uuid[], $7::timestamptz[],
                     $8::int[], $9::timestamptz[])
ON CONFLICT (session_id, person_id) DO UPDATE
   SET status = EXCLUDED.status, method = EXCLUDED.method, recorded_by = EXCLUDED.recorded_by,
       recorded_at = EXCLUDED.recorded_at, version = EXCLUDED.version, checked_in_at = EXCLUDED.checked_in_at,
       received_at = now()
 WHERE a.version = EXCLUDED.version - 1
RETURNING 1;

-- name: the marks recorded with their answers (replays are found by client id)
-- index: pk_sync_mark
-- $1: client ids
-- $2: session ids
-- $3: person ids
-- $4: statuses
-- $5: recorded at
-- $6: base versions
-- $7: results
-- $8: answers (JSON)
-- $9: submitted by (user id)
INSERT INTO sync_mark (client_id, session_id, person_id, status, recorded_at, base_version, result, answer,
                       submitted_by)
SELECT c, s, p, st, r, b, res, a, $9
  FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::timestamptz[], $6::int[], $7::text[],
              $8::jsonb[]) AS t(c, s, p, st, r, b, res, a)
ON CONFLICT (client_id) DO NOTHING RETURNING client_id AS "clientId";

-- name: the derived work queued in the outbox
-- index: none checked
--   One row inserted.
-- $1: class ids
-- $2: person ids
INSERT INTO attendance_outbox (class_ids, person_ids) VALUES ($1::uuid[], $2::uuid[]);

-- name: a derive pass queued unless one is waiting
-- index: ix_job_queue
--   Jobs are kept once done: the waiting one is found among them by status.
-- $1: job kind ('attendance.derive')
-- $2: run after
-- $3: notify the workers
WITH queued AS (
  INSERT INTO job (kind, params, run_after)
  SELECT $1::varchar, '{}', $2::timestamptz
   WHERE NOT EXISTS (SELECT 1 FROM job WHERE kind = $1::varchar AND status = 'queued'
                        AND coalesce(run_after, created_at) <= $2::timestamptz)
  RETURNING id
)
SELECT id, CASE WHEN $3::boolean THEN pg_notify('lantoa_job_queued', $1::varchar) END AS notified FROM queued;

-- name: the audit entries
-- index: none checked
--   Rows inserted.
-- $1: the entries (JSON array)
INSERT INTO audit_log (actor_id, action, entity_type, entity_id, before, after, scope_paths, request_id, ip,
                       actor_name)
SELECT x.actor, x.action, x.type, x.id, x.before::jsonb, x.after::jsonb,
       ARRAY(SELECT jsonb_array_elements_text(x.paths)), x.request, x.ip, x.name
  FROM ROWS FROM (jsonb_to_recordset($1::jsonb) AS (actor uuid, action text, type text, id text, before text,
                                                   after text, paths jsonb, request text, ip text, name text))
       WITH ORDINALITY AS x(actor, action, type, id, before, after, paths, request, ip, name, n)
 ORDER BY x.n;
