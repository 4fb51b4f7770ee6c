-- People search: a name without diacritics, a phone number, a CCCD
--
-- Issued by GET /api/v1/people?q=<given and middle name>&limit=50
-- Issued by GET /api/v1/people?q=<phone>
-- Issued by GET /api/v1/people?q=<CCCD>
-- Sent as a steering member of the province (the dashboard's reader).
--
-- Written by `npm run sql:snapshots` from what the API sent to PostgreSQL (test/sql/capture.ts); do not
-- edit. test/sql/hot-queries.e2e-spec.ts fails when this differs from what the code sends now, and
-- checks with EXPLAIN, on tables of realistic size, that each statement uses the index named here.

-- name: by name: the matches collected, a page in name order, the total counted up to 1,000
-- index: ix_person_name_search, pk_person
--   The trigram index finds the matches; only the page of 50 is joined to communes and organisations.
-- $1: the caller's scope: unit path prefixes ('/…/%')
-- $2: '%name key%': the words folded, without diacritics
-- $3: limit
-- $4: offset
-- $5: count cap + 1 (1,001)
WITH found AS MATERIALIZED (SELECT p.id, p.sort_key FROM person p JOIN admin_unit cu ON cu.id = p.commune_id WHERE p.merged_into_id IS NULL AND (cu.path LIKE ANY ($1::text[])) AND p.name_key LIKE $2),
              page AS (SELECT id FROM found ORDER BY sort_key, id LIMIT $3 OFFSET $4)
         SELECT x.*, (SELECT count(*)::int FROM (SELECT 1 FROM found LIMIT $5) c) AS "__total"
           FROM (
SELECT p.id, p.full_name AS "fullName", p.birth_date AS "birthDate", p.birth_year AS "birthYear", p.gender,
       p.commune_id AS "communeId", cu.code AS "communeCode", cu.full_name AS "communeName", cu.path AS "unitPath",
       pr.code AS "provinceCode", pr.full_name AS "provinceName", p.segment,
       p.organisation_id AS "organisationId", o.name AS "organisationName", p.cccd, p.phone,
       p.merged_into_id AS "mergedIntoId", p.created_by AS "createdBy", p.created_at AS "createdAt",
       p.sort_key
  FROM person p
  JOIN admin_unit cu ON cu.id = p.commune_id
  LEFT JOIN admin_unit pr ON pr.id = split_part(cu.path, '/', 2)::int
  LEFT JOIN organisation o ON o.id = p.organisation_id JOIN page ON page.id = p.id) x
          ORDER BY x.sort_key, x.id;

-- name: by phone number
-- index: ix_person_phone
-- $1: the caller's scope: unit path prefixes ('/…/%')
-- $2: phone number, normalised
-- $3: limit
-- $4: offset
SELECT p.id, p.full_name AS "fullName", p.birth_date AS "birthDate", p.birth_year AS "birthYear", p.gender,
     p.commune_id AS "communeId", cu.code AS "communeCode", cu.full_name AS "communeName", cu.path AS "unitPath",
     pr.code AS "provinceCode", pr.full_name AS "provinceName", p.segment,
     p.organisation_id AS "organisationId", o.name AS "organisationName", p.cccd, p.phone,
     p.merged_into_id AS "mergedIntoId", p.created_by AS "createdBy", p.created_at AS "createdAt",
     p.sort_key
FROM person p
JOIN admin_unit cu ON cu.id = p.commune_id
LEFT JOIN admin_unit pr ON pr.id = split_part(cu.path, '/', 2)::int
LEFT JOIN organisation o ON o.id = p.organisation_id JOIN (SELECT p.id, p.sort_key FROM person p JOIN admin_unit cu ON cu.id = p.commune_id WHERE p.merged_into_id IS NULL AND (cu.path LIKE ANY ($1::text[])) AND p.phone = $2 ORDER BY p.sort_key, p.id LIMIT $3 OFFSET $4) page
         ON page.id = p.id
       ORDER BY p.sort_key, p.id;

-- name: by CCCD
-- index: ux_person_cccd
-- $1: the caller's scope: unit path prefixes ('/…/%')
-- $2: CCCD (12 digits)
-- $3: limit
-- $4: offset
SELECT p.id, p.full_name AS "fullName", p.birth_date AS "birthDate", p.birth_year AS "birthYear", p.gender,
     p.commune_id AS "communeId", cu.code AS "communeCode", cu.full_name AS "communeName", cu.path AS "unitPath",
     pr.code AS "provinceCode", pr.full_name AS "provinceName", p.segment,
     p.organisation_id AS "organisationId", o.name AS "organisationName", p.cccd, p.phone,
     p.merged_into_id AS "mergedIntoId", p.created_by AS "createdBy", p.created_at AS "createdAt",
     p.sort_key
FROM person p
JOIN admin_unit cu ON cu.id = p.commune_id
LEFT JOIN admin_unit pr ON pr.id = split_part(cu.path, '/', 2)::int
LEFT JOIN organisation o ON o.id = p.organisation_id JOIN (SELECT p.id, p.sort_key FROM person p JOIN admin_unit cu ON cu.id = p.commune_id WHERE p.merged_into_id IS NULL AND (cu.path LIKE ANY ($1::text[])) AND p.cccd = $2 ORDER BY p.sort_key, p.id LIMIT $3 OFFSET $4) page
         ON page.id = p.id
       ORDER BY p.sort_key, p.id;
