import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { COUNT_CAP, pagedQuery, ReadReplicas } from '../../platform/src';
import { Principal } from '../../access/src';
import { DuplicateReason, Gender } from './person.entity';
import { duplicateScopeSql, personScopeSql } from './person.scope';

export interface PersonRow {
  id: string;
  fullName: string;
  birthDate: string | null;
  birthYear: number;
  gender: Gender;
  communeId: number;
  communeCode: string;
  communeName: string;
  /** Path of the commune: the person's place in the hierarchy for scope checks. */
  unitPath: string;
  provinceCode: string | null;
  provinceName: string | null;
  segment: string;
  organisationId: string | null;
  organisationName: string | null;
  cccd: string | null;
  phone: string | null;
  mergedIntoId: string | null;
  createdBy: string | null;
  createdAt: Date;
}

/** What the people list filters on (each when given; at most one of cccd, phone and nameKey). */
export interface PersonFilter {
  cccd?: string;
  phone?: string;
  /** Folded name fragment (name_key). */
  nameKey?: string;
  /** Residents of this unit's subtree. */
  unitPath?: string;
  segment?: string;
  organisationId?: string;
}

export interface PersonWrite {
  fullName: string;
  nameKey: string;
  swappedNameKey: string;
  sortKey: string;
  birthDate: string | null;
  birthYear: number;
  gender: Gender;
  communeId: number;
  segment: string;
  organisationId: string | null;
  cccd: string | null;
  phone: string | null;
}

/** Person columns joined with the commune, its province and the organisation (alias p, commune cu). */
export const PERSON_SELECT = `
  SELECT p.id, p.full_name AS "fullName", p.birth_date AS "birthDate", p.birth_year AS "birthYear", p.gender,
         p.commune_id AS "communeId", cu.code AS "communeCode", cu.full_name AS "communeName", cu.path AS "unitPath",
         pr.code AS "provinceCode", pr.full_name AS "provinceName", p.segment,
         p.organisation_id AS "organisationId", o.name AS "organisationName", p.cccd, p.phone,
         p.merged_into_id AS "mergedIntoId", p.created_by AS "createdBy", p.created_at AS "createdAt",
         p.sort_key
    FROM person p
    JOIN admin_unit cu ON cu.id = p.commune_id
    LEFT JOIN admin_unit pr ON pr.id = split_part(cu.path, '/', 2)::int
    LEFT JOIN organisation o ON o.id = p.organisation_id`;

/** The person columns a registration or an import writes, in the order of `writeValues`. */
export const WRITE_COLUMNS = [
  'full_name',
  'name_key',
  'swapped_name_key',
  'sort_key',
  'birth_date',
  'birth_year',
  'gender',
  'commune_id',
  'segment',
  'organisation_id',
  'cccd',
  'phone',
];

export function writeValues(
  person: Omit<PersonWrite, 'communeId'> & { communeId: number | null },
): (string | number | null)[] {
  return [
    person.fullName,
    person.nameKey,
    person.swappedNameKey,
    person.sortKey,
    person.birthDate,
    person.birthYear,
    person.gender,
    person.communeId,
    person.segment,
    person.organisationId,
    person.cccd,
    person.phone,
  ];
}

@Injectable()
export class PersonRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly reads: ReadReplicas,
  ) {}

  async findById(id: string, m: EntityManager = this.dataSource.manager): Promise<PersonRow | null> {
    const rows: PersonRow[] = await m.query(`${PERSON_SELECT} WHERE p.id = $1`, [id]);
    return rows[0] ?? null;
  }

  async findByIds(ids: string[], m: EntityManager = this.dataSource.manager): Promise<PersonRow[]> {
    return m.query(`${PERSON_SELECT} WHERE p.id = ANY ($1::uuid[])`, [ids]);
  }

  /**
   * A page of the living records the principal sees matching `filter`, in name order:
   * the page's people are found first and joined after, and the matches counted only up to the cap (the
   * page's end or `COUNT_CAP`, whichever is further) — counted not at all when the page is not full.
   * A name search (`nameKey`, served by the trigram index): every match is collected first, then sorted —
   * walking the name order instead and filtering it can read hundreds of thousands of people before a
   * common name's first 50 — and counted from the same set, in one statement.
   */
  async list(principal: Principal, filter: PersonFilter, limit: number, offset: number) {
    const params: unknown[] = [];
    const conditions = [personScopeSql(principal, params)];
    if (filter.cccd !== undefined) {
      params.push(filter.cccd);
      conditions.push(`p.cccd = $${params.length}`);
    } else if (filter.phone !== undefined) {
      params.push(filter.phone);
      conditions.push(`p.phone = $${params.length}`);
    } else if (filter.nameKey !== undefined) {
      // Served by the trigram index on name_key.
      params.push(`%${filter.nameKey}%`);
      conditions.push(`p.name_key LIKE $${params.length}`);
    }
    if (filter.unitPath !== undefined) {
      params.push(`${filter.unitPath}%`);
      conditions.push(`cu.path LIKE $${params.length}`);
    }
    if (filter.segment) {
      params.push(filter.segment);
      conditions.push(`p.segment = $${params.length}`);
    }
    if (filter.organisationId) {
      params.push(filter.organisationId);
      conditions.push(`p.organisation_id = $${params.length}`);
    }
    const matchFirst = filter.nameKey !== undefined;
    const n = params.length;
    const where = `p.merged_into_id IS NULL AND ${conditions.join(' AND ')}`;
    const cap = Math.max(COUNT_CAP, offset + limit);
    const matches = `SELECT p.id, p.sort_key FROM person p JOIN admin_unit cu ON cu.id = p.commune_id WHERE ${where}`;
    const rows: (PersonRow & { __total?: number })[] = await this.reads.query(
      matchFirst
        ? `WITH found AS MATERIALIZED (${matches}),
                page AS (SELECT id FROM found ORDER BY sort_key, id LIMIT $${n + 1} OFFSET $${n + 2})
           SELECT x.*, (SELECT count(*)::int FROM (SELECT 1 FROM found LIMIT $${n + 3}) c) AS "__total"
             FROM (${PERSON_SELECT} JOIN page ON page.id = p.id) x
            ORDER BY x.sort_key, x.id`
        : `${PERSON_SELECT} JOIN (${matches} ORDER BY p.sort_key, p.id LIMIT $${n + 1} OFFSET $${n + 2}) page
             ON page.id = p.id
           ORDER BY p.sort_key, p.id`,
      [...params, limit, offset, ...(matchFirst ? [cap + 1] : [])],
    );
    const counted = rows[0]?.__total;
    const page = rows.map(({ __total: _total, ...row }) => row);
    if (page.length < limit && (page.length || !offset))
      return { rows: page, total: offset + page.length, capped: false };
    const [{ total }]: { total: number }[] =
      counted === undefined
        ? await this.reads.query(`SELECT count(*)::int AS total FROM (${matches} LIMIT $${n + 1}) x`, [
            ...params,
            cap + 1,
          ])
        : [{ total: counted }];
    return { rows: page, total: Math.min(total, cap), capped: total > cap };
  }

  async insert(m: EntityManager, person: PersonWrite, createdBy: string | null): Promise<string> {
    const placeholders = WRITE_COLUMNS.map((_c, i) => `$${i + 1}`).join(', ');
    const [row]: { id: string }[] = await m.query(
      `INSERT INTO person (${WRITE_COLUMNS.join(', ')}, created_by) VALUES (${placeholders}, $${WRITE_COLUMNS.length + 1})
       RETURNING id`,
      [...writeValues(person), createdBy],
    );
    return row.id;
  }

  /** Many people in one statement per chunk (unnest works on both databases); returns their ids in order. */
  async insertMany(m: EntityManager, people: PersonWrite[], createdBy: string | null): Promise<string[]> {
    const ids: string[] = [];
    for (let start = 0; start < people.length; start += 2000) {
      const chunk = people.slice(start, start + 2000);
      const column = (pick: (p: PersonWrite) => unknown) => chunk.map(pick);
      const rows: { id: string }[] = await m.query(
        `INSERT INTO person (${WRITE_COLUMNS.join(', ')}, created_by)
         SELECT t.*, $13::uuid FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::date[], $6::int[],
                                            $7::text[], $8::int[], $9::text[], $10::uuid[], $11::text[], $12::text[]) AS t
         RETURNING id`,
        [
          column((p) => p.fullName),
          column((p) => p.nameKey),
          column((p) => p.swappedNameKey),
          column((p) => p.sortKey),
          column((p) => p.birthDate),
          column((p) => p.birthYear),
          column((p) => p.gender),
          column((p) => p.communeId),
          column((p) => p.segment),
          column((p) => p.organisationId),
          column((p) => p.cccd),
          column((p) => p.phone),
          createdBy,
        ],
      );
      ids.push(...rows.map((r) => r.id));
    }
    return ids;
  }

  async update(m: EntityManager, id: string, person: PersonWrite): Promise<void> {
    const sets = WRITE_COLUMNS.map((column, i) => `${column} = $${i + 2}`).join(', ');
    await m.query(`UPDATE person SET ${sets}, updated_at = now() WHERE id = $1`, [
      id,
      ...writeValues(person),
    ]);
  }

  async lock(m: EntityManager, ids: string[]): Promise<void> {
    await m.query(`SELECT 1 FROM person WHERE id = ANY ($1::uuid[]) ORDER BY id FOR UPDATE`, [ids]);
  }

  async livingByCccd(m: EntityManager, cccd: string, exceptId: string | null): Promise<string | null> {
    const rows: { id: string }[] = await m.query(
      `SELECT id FROM person WHERE cccd = $1 AND merged_into_id IS NULL AND id IS DISTINCT FROM $2::uuid`,
      [cccd, exceptId],
    );
    return rows[0]?.id ?? null;
  }

  /**
   * Living records that are likely the same person (served by ix_person_name, ix_person_phone and
   * ix_person_swapped_name): same folded name, birth year and commune; same phone; or the same birth year
   * with given and family names swapped.
   */
  async likelyDuplicates(
    m: EntityManager,
    id: string,
    person: PersonWrite,
  ): Promise<{ personId: string; reason: DuplicateReason }[]> {
    return m.query(
      `SELECT id AS "personId", 'same_name' AS reason FROM person
        WHERE name_key = $2 AND birth_year = $3 AND commune_id = $4 AND merged_into_id IS NULL AND id <> $1
       UNION ALL
       SELECT id, 'same_phone' FROM person
        WHERE $5::text IS NOT NULL AND phone = $5 AND merged_into_id IS NULL AND id <> $1
       UNION ALL
       SELECT id, 'swapped_name' FROM person
        WHERE $6 <> $2 AND name_key = $6 AND birth_year = $3 AND merged_into_id IS NULL AND id <> $1
       LIMIT 50`,
      [id, person.nameKey, person.birthYear, person.communeId, person.phone, person.swappedNameKey],
    );
  }

  async flagDuplicates(
    m: EntityManager,
    id: string,
    matches: { personId: string; reason: DuplicateReason }[],
  ) {
    if (!matches.length) return;
    await m.query(
      `INSERT INTO person_duplicate (person_id, other_person_id, reason)
       SELECT least($1::uuid, other), greatest($1::uuid, other), reason
         FROM unnest($2::uuid[], $3::text[]) AS t(other, reason)
       ON CONFLICT (person_id, other_person_id, reason) DO NOTHING`,
      [id, matches.map((d) => d.personId), matches.map((d) => d.reason)],
    );
  }

  /** The review queue: the pairs the principal reviews (`duplicateScopeSql`) in this status. */
  async duplicates(principal: Principal, status: string, limit: number, offset: number) {
    const params: unknown[] = [];
    const scope = duplicateScopeSql(principal, params);
    const n = params.length;
    return pagedQuery<{
      id: string;
      reason: string;
      status: string;
      createdAt: Date;
      personId: string;
      otherPersonId: string;
    }>(
      this.dataSource,
      `SELECT d.id, d.reason, d.status, d.created_at AS "createdAt", d.person_id AS "personId",
              d.other_person_id AS "otherPersonId"
         FROM person_duplicate d
         JOIN person pa ON pa.id = d.person_id JOIN admin_unit a ON a.id = pa.commune_id
         JOIN person pb ON pb.id = d.other_person_id JOIN admin_unit b ON b.id = pb.commune_id
        WHERE d.status = $${n + 1} AND (${scope})`,
      [...params, status],
      '"createdAt" DESC, id',
      limit,
      offset,
    );
  }

  async duplicateById(m: EntityManager, id: string) {
    const rows: { id: string; personId: string; otherPersonId: string; status: string }[] = await m.query(
      `SELECT id, person_id AS "personId", other_person_id AS "otherPersonId", status FROM person_duplicate
        WHERE id = $1 FOR UPDATE`,
      [id],
    );
    return rows[0] ?? null;
  }

  async resolveDuplicates(
    m: EntityManager,
    ids: string[],
    status: 'dismissed' | 'merged',
    by: string,
  ): Promise<void> {
    await m.query(
      `UPDATE person_duplicate SET status = $2, resolved_by = $3, resolved_at = now() WHERE id = ANY ($1::uuid[])`,
      [ids, status, by],
    );
  }

  /** Open queue entries involving any of these people. */
  async openDuplicatesOf(m: EntityManager, personIds: string[]): Promise<string[]> {
    const rows: { id: string }[] = await m.query(
      `SELECT id FROM person_duplicate
        WHERE status = 'open' AND (person_id = ANY ($1::uuid[]) OR other_person_id = ANY ($1::uuid[]))`,
      [personIds],
    );
    return rows.map((r) => r.id);
  }

  async markMerged(m: EntityManager, sourceId: string, survivorId: string): Promise<void> {
    await m.query(`UPDATE person SET merged_into_id = $2, updated_at = now() WHERE id = $1`, [
      sourceId,
      survivorId,
    ]);
    // Records merged into the source earlier now point at the survivor directly.
    await m.query(`UPDATE person SET merged_into_id = $2 WHERE merged_into_id = $1`, [sourceId, survivorId]);
  }

  /** Whether the person record exists, and the survivor it was merged into (undefined when none). */
  async mergedInto(m: EntityManager, id: string): Promise<{ mergedIntoId: string | null } | undefined> {
    const [row]: { mergedIntoId: string | null }[] = await m.query(
      `SELECT merged_into_id AS "mergedIntoId" FROM person WHERE id = $1`,
      [id],
    );
    return row;
  }

  /** The living record with this CCCD, if any. */
  async livingIdByCccd(m: EntityManager, cccd: string): Promise<{ id: string } | undefined> {
    const [row]: { id: string }[] = await m.query(
      `SELECT id FROM person WHERE cccd = $1 AND merged_into_id IS NULL`,
      [cccd],
    );
    return row;
  }

  /** The commune the person lives in (its id and path). */
  async commune(m: EntityManager, personId: string): Promise<{ id: number; path: string }> {
    const [home]: { id: number; path: string }[] = await m.query(
      `SELECT u.id, u.path FROM person p JOIN admin_unit u ON u.id = p.commune_id WHERE p.id = $1`,
      [personId],
    );
    return home;
  }

  /** Whether one of the trainer records of `trainerPersonId` has reached the person. */
  async reachedBy(personId: string, trainerPersonId: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM reach_fact rf JOIN trainer t ON t.id = rf.trainer_id WHERE rf.person_id = $1 AND t.person_id = $2 LIMIT 1`,
      [personId, trainerPersonId],
    );
    return rows.length > 0;
  }

  /** The extra segments (code and name) defined by any program. */
  async programSegmentNames(): Promise<{ code: string; name: string }[]> {
    return this.dataSource.query(
      `SELECT DISTINCT s ->> 'code' AS code, s ->> 'name' AS name FROM program, jsonb_array_elements(extra_segments) s`,
    );
  }

  /** Extra segment codes defined by any program (the standard ones are always allowed). */
  async programSegments(m: EntityManager = this.dataSource.manager): Promise<string[]> {
    const rows: { code: string }[] = await m.query(
      `SELECT DISTINCT s->>'code' AS code FROM program, jsonb_array_elements(extra_segments) s`,
    );
    return rows.map((r) => r.code);
  }
}
