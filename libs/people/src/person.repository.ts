import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { pagedQuery, ReadReplicas, returning } from '../../platform/src';
import { DuplicateReason, Gender } from './person.entity';

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

const WRITE_COLUMNS = [
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

/** COPY's text format: these characters in a value are written escaped. */
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

function values(person: PersonWrite): (string | number | null)[] {
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

  /** A page of living records matching `conditions` (SQL on aliases p and cu, with `params`). */
  async list(conditions: string[], params: unknown[], limit: number, offset: number) {
    return pagedQuery<PersonRow>(
      this.reads,
      `${PERSON_SELECT} WHERE p.merged_into_id IS NULL AND ${conditions.join(' AND ')}`,
      params,
      'sort_key, id',
      limit,
      offset,
    );
  }

  async insert(m: EntityManager, person: PersonWrite, createdBy: string | null): Promise<string> {
    const placeholders = WRITE_COLUMNS.map((_c, i) => `$${i + 1}`).join(', ');
    const [row]: { id: string }[] = await m.query(
      `INSERT INTO person (${WRITE_COLUMNS.join(', ')}, created_by) VALUES (${placeholders}, $${WRITE_COLUMNS.length + 1})
       RETURNING id`,
      [...values(person), createdBy],
    );
    return row.id;
  }

  /**
   * An import's rows into `person_import`, a table of the transaction (dropped at its end), numbered from 0:
   * by COPY on PostgreSQL, in 20,000-row statements on the embedded database (which takes no COPY from a
   * client, even through its socket; `copy` forces either way). Not analysed: the statements below scan it whole and look each row up by index, whatever its
   * size (ANALYZE of 100,000 rows cost more than it could save).
   */
  async stage(m: EntityManager, people: PersonWrite[], copy?: boolean): Promise<void> {
    await m.query(
      `CREATE TEMP TABLE person_import (i int NOT NULL, full_name text, name_key text, swapped_name_key text,
         sort_key text, birth_date date, birth_year int, gender text, commune_id int, segment text,
         organisation_id uuid, cccd text, phone text, registered boolean NOT NULL DEFAULT false) ON COMMIT DROP`,
    );
    const COLUMNS = `i, ${WRITE_COLUMNS.join(', ')}`;
    const [server]: { copies: boolean }[] =
      copy === undefined
        ? await m.query(`SELECT version() NOT LIKE '%PGlite%' AS copies`)
        : [{ copies: copy }];
    if (server.copies) {
      const client = (await m.queryRunner!.connect()) as PoolClient;
      const field = (v: string | number | null) =>
        v === null ? '\\N' : String(v).replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c]);
      await pipeline(
        Readable.from(
          (function* () {
            for (let start = 0; start < people.length; start += 1000)
              yield people
                .slice(start, start + 1000)
                .map((p, k) => `${[start + k, ...values(p)].map(field).join('\t')}\n`)
                .join('');
          })(),
        ),
        client.query(copyFrom(`COPY person_import (${COLUMNS}) FROM STDIN`)),
      );
    } else {
      for (let start = 0; start < people.length; start += 20_000) {
        const chunk = people.slice(start, start + 20_000);
        await m.query(
          `INSERT INTO person_import (${COLUMNS})
           SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::date[], $7::int[],
                                $8::text[], $9::int[], $10::text[], $11::uuid[], $12::text[], $13::text[])`,
          [chunk.map((_p, i) => start + i), ...WRITE_COLUMNS.map((_c, k) => chunk.map((p) => values(p)[k]))],
        );
      }
    }
  }

  /**
   * Marks the staged rows of people already registered — the same CCCD on a living record, or (without a
   * CCCD) the same folded name, birth year, commune and phone — in one statement; returns their numbers.
   */
  async markRegistered(m: EntityManager): Promise<number[]> {
    const rows = await returning<{ i: number }>(
      m,
      `UPDATE person_import k SET registered = true
        WHERE (k.cccd IS NOT NULL AND EXISTS (SELECT 1 FROM person p WHERE p.cccd = k.cccd AND p.merged_into_id IS NULL))
           OR (k.cccd IS NULL AND EXISTS (
                SELECT 1 FROM person p WHERE p.name_key = k.name_key AND p.birth_year = k.birth_year
                   AND p.commune_id = k.commune_id AND p.phone IS NOT DISTINCT FROM k.phone AND p.merged_into_id IS NULL))
       RETURNING k.i`,
      [],
    );
    return rows.map((r) => r.i);
  }

  /** The staged people not registered yet, in one statement, in the file's order; returns their ids. */
  async insertStaged(m: EntityManager, createdBy: string | null): Promise<string[]> {
    const rows: { id: string }[] = await m.query(
      `INSERT INTO person (${WRITE_COLUMNS.join(', ')}, created_by)
       SELECT ${WRITE_COLUMNS.join(', ')}, $1::uuid FROM person_import WHERE NOT registered ORDER BY i
       RETURNING id`,
      [createdBy],
    );
    return rows.map((r) => r.id);
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
    await m.query(`UPDATE person SET ${sets}, updated_at = now() WHERE id = $1`, [id, ...values(person)]);
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

  /** The review queue, restricted by `scope` (SQL on the aliases a and b, the two people's communes). */
  async duplicates(status: string, scope: string, params: unknown[], limit: number, offset: number) {
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

  /** Extra segment codes defined by any program (the standard ones are always allowed). */
  async programSegments(m: EntityManager = this.dataSource.manager): Promise<string[]> {
    const rows: { code: string }[] = await m.query(
      `SELECT DISTINCT s->>'code' AS code FROM program, jsonb_array_elements(extra_segments) s`,
    );
    return rows.map((r) => r.code);
  }
}
