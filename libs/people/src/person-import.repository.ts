import { Injectable } from '@nestjs/common';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { EntityManager } from 'typeorm';
import { returning } from '../../platform/src';
import { PersonWrite, WRITE_COLUMNS, writeValues } from './person.repository';

/** A row for an import's staging table: its commune by id, or by code to be resolved there. */
export type StagedPerson = Omit<PersonWrite, 'communeId'> & {
  communeId: number | null;
  communeCode?: string | null;
  /** The row's number in the file (default: its position from 0). */
  row?: number;
};

/** COPY's text format: these characters in a value are written escaped. */
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/**
 * An import's rows in a staging table of its transaction (`person_import`, dropped at its end): copied in,
 * checked and matched set-based, then written in one statement (docs/benchmarks.md, "Learner import").
 */
@Injectable()
export class PersonImportRepository {
  /**
   * An import's rows into `person_import`, a table of the transaction (dropped at its end), as they come
   * (a workbook's rows as its reader parses them): by COPY on PostgreSQL, in 20,000-row statements on the
   * embedded database (which takes no COPY from a client, even through its socket; `copy` forces either way).
   * `i` is the row's number in the file, or its position from 0. A row names its commune by id or by code
   * (`commune_id` is then filled by `resolveStagedCommunes`). Not analysed: the statements below scan it
   * whole and look each row up by index, whatever its size (ANALYZE of 100,000 rows cost more than it could
   * save). Returns the number of rows.
   */
  async stage(
    m: EntityManager,
    people: Iterable<StagedPerson> | AsyncIterable<StagedPerson>,
    copy?: boolean,
  ): Promise<number> {
    await m.query(
      `CREATE TEMP TABLE person_import (i int NOT NULL, full_name text, name_key text, swapped_name_key text,
         sort_key text, birth_date date, birth_year int, gender text, commune_id int, segment text,
         organisation_id uuid, cccd text, phone text, commune_code text, commune_path text,
         registered boolean NOT NULL DEFAULT false, person_id uuid) ON COMMIT DROP`,
    );
    const COLUMNS = `i, ${WRITE_COLUMNS.join(', ')}, commune_code`;
    const [server]: { copies: boolean }[] =
      copy === undefined
        ? await m.query(`SELECT version() NOT LIKE '%PGlite%' AS copies`)
        : [{ copies: copy }];
    let count = 0;
    const row = (p: StagedPerson) => [p.row ?? count, ...writeValues(p), p.communeCode ?? null];
    if (server.copies) {
      const client = (await m.queryRunner!.connect()) as PoolClient;
      const field = (v: string | number | null) =>
        v === null ? '\\N' : String(v).replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c]);
      await pipeline(
        Readable.from(
          (async function* () {
            let lines = '';
            for await (const p of people) {
              lines += `${row(p).map(field).join('\t')}\n`;
              if (++count % 1000 === 0) {
                yield lines;
                lines = '';
              }
            }
            if (lines) yield lines;
          })(),
        ),
        client.query(copyFrom(`COPY person_import (${COLUMNS}) FROM STDIN`)),
      );
      return count;
    }
    let chunk: (string | number | null)[][] = [];
    const flush = async () => {
      if (!chunk.length) return;
      await m.query(
        `INSERT INTO person_import (${COLUMNS})
         SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::date[], $7::int[],
                              $8::text[], $9::int[], $10::text[], $11::uuid[], $12::text[], $13::text[], $14::text[])`,
        chunk[0].map((_v, k) => chunk.map((r) => r[k])),
      );
      chunk = [];
    };
    for await (const p of people) {
      chunk.push(row(p));
      count++;
      if (chunk.length === 20_000) await flush();
    }
    await flush();
    return count;
  }

  /** The staged rows' communes (current ones, by code): their ids and paths, in one statement. */
  async resolveStagedCommunes(m: EntityManager): Promise<void> {
    await m.query(
      `UPDATE person_import k SET commune_id = u.id, commune_path = u.path
         FROM admin_unit u
        WHERE k.commune_code IS NOT NULL AND u.code = k.commune_code AND u.level = 'commune' AND u.valid_to IS NULL`,
    );
  }

  /**
   * The staged rows' problems that need the database or the other rows, in one statement: communes that are
   * not current ones, communes outside `scope` (a condition on the commune's path `k.commune_path`, with
   * `params`; null: any), and a CCCD already on an earlier row of the file.
   */
  async stagedProblems(
    m: EntityManager,
    scope: string | null,
    params: unknown[],
  ): Promise<{ row: number; field: string; reason: string }[]> {
    return m.query(
      `SELECT k.i AS row, 'Mã xã, phường' AS field, k.commune_code || ' không phải xã, phường hiện hành' AS reason
         FROM person_import k WHERE k.commune_code IS NOT NULL AND k.commune_id IS NULL
       UNION ALL
       SELECT k.i, 'Mã xã, phường', k.commune_code || ' nằm ngoài phạm vi được phân quyền'
         FROM person_import k WHERE k.commune_id IS NOT NULL AND NOT (${scope ?? 'TRUE'})
       UNION ALL
       SELECT d.i, 'Số CCCD', 'trùng với dòng ' || d.first
         FROM (SELECT i, min(i) OVER (PARTITION BY cccd) AS first FROM person_import WHERE cccd IS NOT NULL) d
        WHERE d.i <> d.first`,
      params,
    );
  }

  /** The staged rows' communes, once each (paths). */
  async stagedCommunePaths(m: EntityManager): Promise<string[]> {
    const rows: { path: string }[] = await m.query(
      `SELECT DISTINCT commune_path AS path FROM person_import WHERE commune_path IS NOT NULL`,
    );
    return rows.map((r) => r.path);
  }

  /**
   * Marks the staged rows of people already registered — the same CCCD on a living record, or (without a
   * CCCD) the same folded name, birth year, commune and phone — in one statement, keeping whom each matched
   * (the oldest record, when several do); returns their numbers.
   */
  async markRegistered(m: EntityManager): Promise<number[]> {
    const rows = await returning<{ i: number }>(
      m,
      `WITH matched AS (
         SELECT k.i, coalesce(
           (SELECT p.id FROM person p WHERE k.cccd IS NOT NULL AND p.cccd = k.cccd AND p.merged_into_id IS NULL
             ORDER BY p.created_at LIMIT 1),
           (SELECT p.id FROM person p WHERE k.cccd IS NULL AND p.name_key = k.name_key AND p.birth_year = k.birth_year
               AND p.commune_id = k.commune_id AND p.phone IS NOT DISTINCT FROM k.phone AND p.merged_into_id IS NULL
             ORDER BY p.created_at LIMIT 1)) AS person_id
           FROM person_import k)
       UPDATE person_import k SET registered = true, person_id = matched.person_id
         FROM matched WHERE matched.i = k.i AND matched.person_id IS NOT NULL
       RETURNING k.i`,
      [],
    );
    return rows.map((r) => r.i);
  }

  /**
   * For an organisation's staff list: the registered people the staged rows matched, by where they belong now
   * — the organisation itself, none (they can join it), or another one (they stay there).
   */
  async stagedMembership(
    m: EntityManager,
    organisationId: string,
  ): Promise<{ member: number; free: string[]; elsewhere: number }> {
    const rows: { personId: string; membership: 'member' | 'free' | 'elsewhere' }[] = await m.query(
      `SELECT k.person_id AS "personId",
              CASE WHEN p.organisation_id = $1 THEN 'member' WHEN p.organisation_id IS NULL THEN 'free'
                   ELSE 'elsewhere' END AS membership
         FROM person_import k JOIN person p ON p.id = k.person_id
        WHERE k.registered ORDER BY k.i`,
      [organisationId],
    );
    return {
      member: rows.filter((r) => r.membership === 'member').length,
      free: rows.filter((r) => r.membership === 'free').map((r) => r.personId),
      elsewhere: rows.filter((r) => r.membership === 'elsewhere').length,
    };
  }

  /** Makes people without an organisation its members; returns those it changed. */
  async attach(
    m: EntityManager,
    organisationId: string,
    personIds: string[],
  ): Promise<{ id: string; communePath: string }[]> {
    return returning<{ id: string; communePath: string }>(
      m,
      `UPDATE person p SET organisation_id = $1, updated_at = now()
         FROM admin_unit u
        WHERE p.id = ANY ($2::uuid[]) AND p.organisation_id IS NULL AND u.id = p.commune_id
       RETURNING p.id, u.path AS "communePath"`,
      [organisationId, personIds],
    );
  }

  /**
   * The staged people not registered yet, in one statement, in the file's order; their ids (with what
   * duplicate matching needs) go to `person_import_new`, a table of the transaction. Returns how many.
   */
  async insertStaged(m: EntityManager, createdBy: string | null): Promise<number> {
    await m.query(
      `CREATE TEMP TABLE person_import_new (id uuid, name_key text, birth_year int, commune_id int, phone text)
         ON COMMIT DROP`,
    );
    const [{ n }]: { n: number }[] = await m.query(
      `WITH created AS (
         INSERT INTO person (${WRITE_COLUMNS.join(', ')}, created_by)
         SELECT ${WRITE_COLUMNS.join(', ')}, $1::uuid FROM person_import WHERE NOT registered ORDER BY i
         RETURNING id, name_key, birth_year, commune_id, phone),
       kept AS (INSERT INTO person_import_new SELECT * FROM created RETURNING 1)
       SELECT count(*)::int AS n FROM kept`,
      [createdBy],
    );
    return n;
  }

  /**
   * The review queue for the people just inserted by `insertStaged`, in one statement: anyone living with
   * the same name, birth year and commune, or the same phone (at most 20 each).
   */
  async flagStagedDuplicates(m: EntityManager): Promise<void> {
    await m.query(
      `INSERT INTO person_duplicate (person_id, other_person_id, reason)
       SELECT least(n.id, x.id), greatest(n.id, x.id), x.reason
         FROM person_import_new n
         JOIN LATERAL (
           SELECT o.id, 'same_name' AS reason FROM person o
            WHERE o.name_key = n.name_key AND o.birth_year = n.birth_year AND o.commune_id = n.commune_id
              AND o.id <> n.id AND o.merged_into_id IS NULL
           UNION ALL
           SELECT o.id, 'same_phone' FROM person o
            WHERE n.phone IS NOT NULL AND o.phone = n.phone AND o.id <> n.id AND o.merged_into_id IS NULL
           LIMIT 20) x ON true
       ON CONFLICT (person_id, other_person_id, reason) DO NOTHING`,
    );
  }
}
