-- The communes of a province ranked by learners reached (the dashboard's competition table)
--
-- Issued by GET /api/v1/programs/:id/kpi/leaderboard?unit=<province>&period=2026
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

-- name: the communes of the unit
-- index: none checked
--   The national map (about 3,400 units and their history) is the same size at any scale: read whole.
-- $1: the unit's path
SELECT id, code, full_name AS "fullName" FROM admin_unit
WHERE path LIKE $1 || '%' AND level = 'commune' AND valid_to IS NULL;

-- name: people, classes and certificates: the monthly sums of the facts
-- index: pk_kpi_monthly
-- $1: program id
-- $2: unit ids: the unit and its children
-- $3: first month of the period
-- $4: first month after the period
-- $5: the unit whose months are wanted (the trend)
SELECT unit_id AS "unitId", CASE WHEN unit_id = $5 THEN to_char(month, 'YYYY-MM') END AS month,
          sum(reached)::int AS v0, sum(completed)::int AS v1, sum(proficient)::int AS v2, sum(reached_online)::int AS v3, sum(completed_online)::int AS v4, sum(reached) FILTER (WHERE segment = 'civil_servant')::int AS v5, sum(reached) FILTER (WHERE working_age)::int AS v6, sum(reached) FILTER (WHERE segment = 'business_owner')::int AS v7, sum(classes_held)::int AS v8, sum(certificates_issued)::int AS v9
     FROM (
SELECT unit_id, month, segment, working_age, level, reached, completed, proficient, reached_online,
       completed_online, proficient_online, classes_held, certificates_issued
  FROM kpi_monthly m WHERE m.program_id = $1 AND m.view = 'current' AND m.unit_id = ANY ($2::int[]) AND month >= $3 AND month < $4) x
    GROUP BY 1, 2;

-- name: reported figures: approved progress reports
-- index: none checked
--   A few reports per unit and period (none in the benchmark dataset), by ux_progress_report.
-- $1: program id
-- $2: unit ids
-- $3: last day of the period
-- $4: report periods inside the period, latest-ending first
-- $5: the program's reported indicator codes
SELECT anc AS "unitId", NULL AS month, x.code, sum(x.value)::int AS value
       FROM (
  WITH src AS MATERIALIZED (
SELECT r.id, r.unit_id, $3::date AS day, r.headcount, r.trained, r.proficient, r.indicators,
       r.headcount IS NOT NULL AND row_number() OVER (PARTITION BY r.unit_id, r.organisation_id
                                   ORDER BY r.headcount IS NULL, array_position($4::text[], r.period)) = 1
       AS latest_headcount
  FROM progress_report r
 WHERE r.program_id = $1 AND r.status = 'approved' AND r.period = ANY ($4::text[])
   AND NOT EXISTS (
     SELECT 1 FROM progress_report o
      WHERE o.program_id = r.program_id AND o.status = 'approved' AND o.period = ANY ($4::text[])
        AND o.unit_id = r.unit_id AND o.organisation_id IS NOT DISTINCT FROM r.organisation_id
        AND (o.period <> r.period AND left(o.period, 4) = left(r.period, 4) AND (length(o.period) = 4
  OR (o.period LIKE '%-Q%' AND r.period ~ '^[0-9]{4}-[0-9]{2}$'
      AND (substr(r.period, 6, 2)::int - 1) / 3 + 1 = right(o.period, 1)::int))))),
       keys AS (SELECT u.unit_id, kpi_current_unit(u.unit_id) AS now_id FROM (SELECT DISTINCT unit_id FROM src) u),
       chains AS (SELECT k.unit_id, unnest(string_to_array(trim(both '/' FROM n.path), '/')::int[]) AS anc FROM keys k JOIN admin_unit n ON n.id = k.now_id)
  SELECT src.*, chains.anc FROM src JOIN chains ON chains.unit_id = src.unit_id) a
      CROSS JOIN LATERAL (
        SELECT 'reported_headcount' AS code, CASE WHEN a.latest_headcount THEN a.headcount END AS value UNION ALL
        SELECT 'reported_trained', a.trained UNION ALL
        SELECT 'reported_proficient', a.proficient UNION ALL
        SELECT 'reported_' || c, (a.indicators ->> c)::int FROM unnest($5::text[]) AS c) x
      WHERE anc = ANY ($2::int[]) AND x.value IS NOT NULL
      GROUP BY anc, x.code;

-- name: contest entries and winners
-- index: none checked
--   Tens of contests per program (none in the benchmark dataset), by ix_contest_program_ends.
-- $1: program id
-- $2: unit ids
-- $3: first day of the period
-- $4: first day after the period
-- $5: the unit whose months are wanted (the trend)
SELECT a.anc AS "unitId", CASE WHEN a.anc = $5 THEN to_char(a.day, 'YYYY-MM') END AS month,
              count(*)::int AS entries, (count(*) FILTER (WHERE a.winner))::int AS winners
         FROM (
  WITH src AS MATERIALIZED (
SELECT e.id, e.unit_id, c.ends_on AS day,
       coalesce(c.status = 'published' AND e.rank <= c.winners, false) AS winner
  FROM contest c JOIN contest_entry e ON e.contest_id = c.id
 WHERE c.program_id = $1 AND c.ends_on >= $3 AND c.ends_on < $4),
       keys AS (SELECT u.unit_id, kpi_current_unit(u.unit_id) AS now_id FROM (SELECT DISTINCT unit_id FROM src) u),
       chains AS (SELECT k.unit_id, unnest(string_to_array(trim(both '/' FROM n.path), '/')::int[]) AS anc FROM keys k JOIN admin_unit n ON n.id = k.now_id)
  SELECT src.*, chains.anc FROM src JOIN chains ON chains.unit_id = src.unit_id) a
        WHERE a.anc = ANY ($2::int[])
        GROUP BY 1, 2;

-- name: core trainers and those on pace
-- index: ix_trainer_reach_daily_day
--   Every trainer's reach of the last four weeks, by day; the trainers themselves (3,300 in a province)
--   are read whole.
-- $1: program id
-- $2: unit ids
-- $3: today
-- $4: first day of the period
-- $5: first day after the period
-- $6: days left until the program's end
WITH recent AS (
         SELECT trainer_id, sum(reached)::int AS n FROM trainer_reach_daily
          WHERE day > $3::date - 28 AND day <= $3::date GROUP BY trainer_id),
       grouped AS (
         SELECT t.unit_id, t.day, t.tier, count(*)::int AS n,
                (count(*) FILTER (WHERE NOT (greatest(0, t.quota - t.direct_reach) > 0 AND (coalesce(r.n, 0) <= 0 OR ceil(greatest(0, t.quota - t.direct_reach)::numeric * 28 / coalesce(r.n, 0)) > $6))))::int
                  AS on_pace
           FROM (
SELECT t.id, t.home_unit_id AS unit_id, t.registered_on AS day, t.tier,
       coalesce(t.quota, g.default_quota) AS quota, t.direct_reach
  FROM trainer t JOIN program g ON g.id = t.program_id WHERE t.program_id = $1 AND t.status = 'active') t LEFT JOIN recent r ON r.trainer_id = t.id
          GROUP BY 1, 2, 3)
       SELECT a.anc AS "unitId", a.tier,
              CASE WHEN a.day < $4 THEN 'before' WHEN a.day < $5 THEN to_char(a.day, 'YYYY-MM') ELSE 'after' END AS month,
              sum(a.n)::int AS count, sum(a.on_pace)::int AS "onPace"
         FROM (
  WITH src AS MATERIALIZED (SELECT * FROM grouped),
       keys AS (SELECT u.unit_id, kpi_current_unit(u.unit_id) AS now_id FROM (SELECT DISTINCT unit_id FROM src) u),
       chains AS (SELECT k.unit_id, unnest(string_to_array(trim(both '/' FROM n.path), '/')::int[]) AS anc FROM keys k JOIN admin_unit n ON n.id = k.now_id)
  SELECT src.*, chains.anc FROM src JOIN chains ON chains.unit_id = src.unit_id) a
        WHERE a.anc = ANY ($2::int[])
        GROUP BY 1, 2, 3;

-- name: targets of the units
-- index: none checked
--   A few targets per unit (hundreds in a province), by uq_target.
-- $1: program id
-- $2: unit ids
-- $3: period (null: every period)
SELECT t.id, t.program_id AS "programId", t.unit_id AS "unitId", u.code AS "unitCode", u.full_name AS "unitName", u.path AS "unitPath",
     t.indicator, t.period, t.segment, t.kind, t.value, t.population_figure AS "populationFigure",
     t.base_indicator AS "baseIndicator", t.split_from_id AS "splitFromId", t.updated_at AS "updatedAt"
FROM target t JOIN admin_unit u ON u.id = t.unit_id WHERE t.program_id = $1 AND t.unit_id = ANY ($2::int[]) AND ($3::text IS NULL OR t.period = $3) ORDER BY u.path, t.indicator, t.period, t.segment;

-- name: population figure kinds
-- index: none checked
--   A handful of kinds.
-- $1: the built-in kinds, in display order
SELECT code, name FROM population_figure_kind
ORDER BY array_position($1::text[], code::text) NULLS LAST, created_at, code;
