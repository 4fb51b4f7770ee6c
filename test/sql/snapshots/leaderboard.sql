-- The leaderboard of the trainers of a province (a page of 50 ranked over all)
--
-- Issued by GET /api/v1/programs/:id/leaderboard?unit=<province>&limit=50
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

-- name: a unit by its code, as the map stood on a day
-- index: none checked
--   The national map (about 3,400 units and their history) is the same size at any scale: read whole.
-- $1: unit code
-- $2: day
WITH state AS (
  SELECT u.id, u.code, u.level, u.type, u.name, u.full_name, u.search_text, u.sort_key, u.parent_id, u.path,
         u.valid_from, u.valid_to
    FROM admin_unit u
   WHERE u.valid_from <= $2::date AND (u.valid_to IS NULL OR u.valid_to > $2::date)
     AND u.state_from <= $2::date
  UNION ALL
  SELECT u.id, h.code, u.level, h.type, h.name, h.full_name, h.search_text, h.sort_key, h.parent_id, u.path,
         u.valid_from, u.valid_to
    FROM admin_unit_history h
    JOIN admin_unit u ON u.id = h.unit_id
   WHERE h.valid_from <= $2::date AND h.valid_to > $2::date
     AND u.valid_from <= $2::date AND (u.valid_to IS NULL OR u.valid_to > $2::date))
     SELECT
s.id, s.code, s.level, s.type, s.name, s.full_name AS "fullName", s.parent_id AS "parentId",
p.code AS "parentCode", p.full_name AS "parentFullName", s.path,
s.valid_from AS "validFrom", s.valid_to AS "validTo" FROM state s LEFT JOIN state p ON p.id = s.parent_id WHERE s.code = $1;

-- name: the trainers of the unit ranked by direct reach
-- index: none checked
--   The province's trainers (3,300) are read whole and ranked by what their rows keep (direct reach,
--   quota, the name for ties); the page is read whole after, with its last four weeks.
-- $1: the caller's scope: unit path prefixes ('/…/%')
-- $2: the unit's path prefix ('/…/%')
-- $3: program id
-- $4: limit
-- $5: offset
SELECT x.*, count(*) OVER ()::int AS "__total" FROM (SELECT * FROM (
  SELECT x.*, x."directReach"::numeric / x.quota AS progress
    FROM (SELECT t.id, t.direct_reach AS "directReach", coalesce(t.quota, g.default_quota) AS quota, p.sort_key
            FROM trainer t
            JOIN person p ON p.id = t.person_id
            JOIN admin_unit hu ON hu.id = t.home_unit_id
            JOIN program g ON g.id = t.program_id
           WHERE t.program_id = $3 AND (hu.path LIKE ANY ($1::text[])) AND t.status = 'active' AND hu.path LIKE $2) x) y
) x ORDER BY "directReach" DESC, "directReach" DESC, sort_key, id LIMIT $4 OFFSET $5;

-- name: the page's trainers, with their last four weeks
-- index: pk_person, pk_trainer_reach_daily
-- $1: the page's trainer ids
-- $2: today
SELECT x.*, (SELECT coalesce(sum(rd.reached), 0)::int FROM trainer_reach_daily rd
          WHERE rd.trainer_id = x.id AND rd.day > $2::date - 28 AND rd.day <= $2::date) AS "lastFourWeeks"
       FROM (
SELECT t.id, t.seq::text AS seq, t.program_id AS "programId", t.person_id AS "personId", p.full_name AS "fullName",
       p.birth_year AS "birthYear", t.tier, t.home_unit_id AS "homeUnitId", hu.code AS "homeUnitCode",
       hu.full_name AS "homeUnitName", hu.path AS "homeUnitPath", coalesce(t.quota, g.default_quota) AS quota,
       t.quota AS "quotaOverride", t.status, t.trained_by_id AS "trainedById", bp.full_name AS "trainedByName",
       t.lineage_path AS "lineagePath", t.depth, t.direct_reach AS "directReach", t.registered_on::text AS "registeredOn", t.imported,
       t.created_at AS "createdAt", g.ends_on AS "programEndsOn",
       p.sort_key
  FROM trainer t
  JOIN person p ON p.id = t.person_id
  JOIN admin_unit hu ON hu.id = t.home_unit_id
  JOIN program g ON g.id = t.program_id
  LEFT JOIN trainer b ON b.id = t.trained_by_id
  LEFT JOIN person bp ON bp.id = b.person_id WHERE t.id = ANY ($1::uuid[])) x;
