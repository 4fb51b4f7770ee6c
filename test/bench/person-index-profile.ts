/**
 * What the person table's indexes cost a bulk insert, and what accent-insensitive people search costs beside
 * them, on the dataset of `npm run bench:generate`: 20,000 people (copies of registered ones, new ids, no CCCD)
 * inserted in one statement in a transaction rolled back, with every index, with the trigram index's pending
 * list large enough for the whole insert, with that index maintained row by row (fastupdate off), without it,
 * and with the primary key and the CCCD index only; then the search (the people list's statement, a name typed
 * without diacritics, a page of 50 and the total) timed with the pending list merged and with the insert's
 * entries left in it.
 *   node -r @swc-node/register test/bench/person-index-profile.ts --url postgres://…/lantoa_bench [--rows 20000]
 */
import 'reflect-metadata';
import { Client } from 'pg';
import { PERSON_SELECT } from '../../libs/people/src';
import { benchArgs } from './dataset';

const SEARCH = `
  SELECT x.*, count(*) OVER ()::int AS "__total"
    FROM (${PERSON_SELECT} WHERE p.merged_into_id IS NULL AND p.name_key LIKE $1) x
   ORDER BY sort_key, id LIMIT 50`;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main(): Promise<void> {
  const args = benchArgs({ rows: { type: 'string', default: '20000' } });
  const rows = Number(args.values.rows);
  const db = new Client({ connectionString: args.url });
  await db.connect();
  const ms = async (step: () => Promise<unknown>) => {
    const t0 = process.hrtime.bigint();
    await step();
    return Math.round(Number(process.hrtime.bigint() - t0) / 1e6);
  };
  try {
    const [{ people }] = (await db.query(`SELECT count(*)::int AS people FROM person`)).rows;
    console.log(`${people} people; inserting ${rows} in one statement, each variant rolled back`);
    // Search terms: a given name and a middle name, typed without diacritics (what name_key holds).
    const terms: string[] = (
      await db.query(
        `SELECT split_part(name_key, ' ', 2) || ' ' || split_part(name_key, ' ', 3) AS term
           FROM person WHERE name_key LIKE '% % %' ORDER BY md5(id::text) LIMIT 100`,
      )
    ).rows.map((r: { term: string }) => `%${r.term}%`);
    const search = async (label: string) => {
      for (const term of terms.slice(0, 20)) await db.query(SEARCH, [term]);
      const times: number[] = [];
      for (const term of terms) times.push(await ms(() => db.query(SEARCH, [term])));
      console.log(
        `search, ${label}: p50 ${percentile(times, 50)} ms, p95 ${percentile(times, 95)} ms, max ${Math.max(...times)} ms`,
      );
    };
    const copies = `INSERT INTO person SELECT * FROM person_copy`;
    await db.query(
      `CREATE TEMP TABLE person_copy AS SELECT * FROM person WHERE merged_into_id IS NULL LIMIT ${rows}`,
    );
    await db.query(`UPDATE person_copy SET id = gen_random_uuid(), cccd = NULL`);
    await db.query(`SELECT gin_clean_pending_list('ix_person_name_search')`);
    await db.query(`CHECKPOINT`).catch(() => undefined);
    await search('pending list merged');
    const variants: [string, string[]][] = [
      ['every index (as the product has them)', []],
      ['gin_pending_list_limit 64 MB for the transaction', [`SET LOCAL gin_pending_list_limit = '64MB'`]],
      [
        'trigram index maintained row by row (fastupdate off)',
        [`ALTER INDEX ix_person_name_search SET (fastupdate = off)`],
      ],
      ['without the trigram index', [`DROP INDEX ix_person_name_search`]],
      [
        'primary key and CCCD index only',
        (
          await db.query(
            `SELECT indexname FROM pg_indexes WHERE tablename = 'person' AND indexname NOT IN ('pk_person', 'ux_person_cccd')`,
          )
        ).rows.map((r: { indexname: string }) => `DROP INDEX ${r.indexname}`),
      ],
    ];
    for (let round = 0; round < 2; round++)
      for (const [label, setup] of variants) {
        await db.query('BEGIN');
        try {
          for (const statement of setup) await db.query(statement);
          const insert = await ms(() => db.query(copies));
          const kept = !setup.some((s) => s.startsWith('DROP INDEX ix_person_name_search'));
          const merge = kept
            ? await ms(() => db.query(`SELECT gin_clean_pending_list('ix_person_name_search')`))
            : 0;
          console.log(
            `insert ${rows}, ${label}: ${insert} ms${kept ? ` (pending list merged after: ${merge} ms)` : ''}`,
          );
        } finally {
          await db.query('ROLLBACK');
        }
      }
    // The pending list left full: what search pays until the next vacuum (or insert past the limit) merges it.
    await db.query('BEGIN');
    await db.query(`SET LOCAL gin_pending_list_limit = '64MB'`);
    await db.query(copies);
    await search(`${rows} people in the pending list (not committed, same session)`);
    await db.query('ROLLBACK');
    await db.query(`SELECT gin_clean_pending_list('ix_person_name_search')`);
  } finally {
    await db.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
