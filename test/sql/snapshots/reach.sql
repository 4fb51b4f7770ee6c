-- A trainer's reach and cascade reach
--
-- Issued by GET /api/v1/programs/:id/trainers/:trainerId/reach
-- Sent as a steering member of the province (the dashboard's reader).
--
-- Written by `npm run sql:snapshots` from what the API sent to PostgreSQL (test/sql/capture.ts); do not
-- edit. test/sql/hot-queries.e2e-spec.ts fails when this differs from what the code sends now, and
-- checks with EXPLAIN, on tables of realistic size, that each statement uses the index named here.

-- name: the trainer, its cascade reach, the last four weeks and its downstream trainers
-- index: pk_cascade_reach_fact, pk_trainer_reach_daily, ix_trainer_lineage
--   Cascade reach is the trainer's range of cascade_reach_fact (docs/reach.md); the last four weeks its
--   days of trainer_reach_daily; the downstream trainers a range of lineage paths.
-- $1: program id
-- $2: the caller's scope: unit path prefixes ('/…/%')
-- $3: trainer id
-- $4: today
WITH v AS (
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
  LEFT JOIN person bp ON bp.id = b.person_id WHERE t.program_id = $1 AND t.id = $2 AND (hu.path LIKE ANY ($3::text[])))
     SELECT v.*,
            (SELECT count(*)::int FROM cascade_reach_fact c WHERE c.trainer_id = v.id) AS "cascadeReach",
            (SELECT coalesce(sum(rd.reached), 0)::int FROM trainer_reach_daily rd
          WHERE rd.trainer_id = v.id AND rd.day > $4::date - 28 AND rd.day <= $4::date) AS "lastFourWeeks",
            (SELECT count(*)::int - 1 FROM trainer d
              WHERE d.program_id = v."programId" AND d.lineage_path ~>=~ v."lineagePath"
                AND d.lineage_path ~<~ (left(v."lineagePath", -1) || '0')) AS "downstreamTrainers"
       FROM v;
