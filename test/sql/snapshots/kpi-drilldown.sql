-- KPI drill-down: the people behind "learners reached" of a province
--
-- Issued by GET /api/v1/programs/:id/kpi/drilldown?unit=<province>&period=2026&indicator=learners_reached
-- Sent as a steering member of the province (the dashboard's reader).
--
-- Written by `npm run sql:snapshots` from what the API sent to PostgreSQL (test/sql/capture.ts); do not
-- edit. test/sql/hot-queries.e2e-spec.ts fails when this differs from what the code sends now, and
-- checks with EXPLAIN, on tables of realistic size, that each statement uses the index named here.

-- name: the program
-- index: pk_admin_unit
--   A handful of programs, read whole; the owner unit by its key, not a scan of the map.
-- $1: program id
SELECT g.id, g.code, g.name, g.owner_unit_id AS "ownerUnitId", u.code AS "ownerUnitCode",
     u.full_name AS "ownerUnitName", u.path AS "ownerUnitPath", s.path AS "ownerScopePath",
     u.valid_from AS "ownerValidFrom", u.valid_to AS "ownerValidTo", g.starts_on AS "startsOn",
     g.ends_on AS "endsOn", g.default_quota AS "defaultQuota",
     g.completion_min_sessions AS "completionMinSessions", g.completion_min_share AS "completionMinShare",
     g.extra_segments AS "extraSegments", g.reported_indicators AS "reportedIndicators",
     g.report_approval_levels AS "reportApprovalLevels", g.created_at,
     json_build_object('issueMode', g.certificate_issue_mode, 'template', g.certificate_template,
                       'issuer', g.certificate_issuer, 'signerTitle', g.certificate_signer_title,
                       'signerName', g.certificate_signer_name, 'place', g.certificate_place) AS certificate,
     coalesce((SELECT json_agg(json_build_object('name', f.name, 'startsOn', f.starts_on, 'endsOn', f.ends_on)
                               ORDER BY f.position) FROM program_phase f WHERE f.program_id = g.id), '[]') AS phases,
     coalesce((SELECT json_agg(json_build_object('level', l.level, 'title', l.title, 'description', l.description)
                               ORDER BY l.level) FROM program_level l WHERE l.program_id = g.id), '[]') AS levels,
     (SELECT count(*)::int FROM learning_material lm WHERE lm.program_id = g.id) AS "materialCount"
FROM program g JOIN admin_unit u ON u.id = g.owner_unit_id
CROSS JOIN LATERAL (SELECT admin_unit_scope_path(u.id) AS path) s WHERE g.id = $1;

-- name: a unit by its code (KPI)
-- index: ix_admin_unit_code
-- $1: unit code
-- $2: as of (null: today's map)
SELECT u.id, u.code, u.full_name AS "fullName", u.level, u.path, u.parent_id AS "parentId",
     p.path AS "parentPath", u.valid_to IS NULL AS current, u.valid_to::text AS "validTo",
     admin_unit_scope_path(u.id) AS "scopePath"
FROM admin_unit u LEFT JOIN admin_unit p ON p.id = u.parent_id WHERE u.code = $1
      AND ($2::date IS NULL OR (u.valid_from <= $2::date AND (u.valid_to IS NULL OR u.valid_to > $2::date)))
    ORDER BY u.valid_to IS NOT NULL, u.valid_to DESC LIMIT 1;

-- name: the people reached in the period, a page in name order with the total
-- index: ix_person_sort, pk_kpi_person_fact
--   People are walked in name order and each one's fact of the unit looked up by key; every person of a
--   province is reached, so there is no smaller set to start from.
-- $1: program id
-- $2: view
-- $3: unit id
-- $4: first day of the period
-- $5: first day after the period
-- $6: limit
-- $7: offset
SELECT x.*, count(*) OVER ()::int AS "__total" FROM (SELECT p.id, p.full_name AS "fullName", p.birth_year AS "birthYear", p.birth_date AS "birthDate", p.gender,
      p.segment, cu.code AS "communeCode", cu.full_name AS "communeName", cu.path AS "unitPath", p.cccd,
      p.phone, f.first_attended_on AS "firstAttendedOn", f.completed_on AS "completedOn", f.proficient,
      f.reached_via AS "reachedVia", f.completed_via AS "completedVia", p.sort_key
 FROM kpi_person_fact f JOIN person p ON p.id = f.person_id JOIN admin_unit cu ON cu.id = p.commune_id
WHERE f.program_id = $1 AND f.view = $2 AND f.unit_id = $3 AND f.first_attended_on >= $4 AND f.first_attended_on < $5) x ORDER BY sort_key, id LIMIT $6 OFFSET $7;
