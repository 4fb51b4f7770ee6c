/**
 * Where the learner import spends its time, statement by statement: the benchmark's workbook
 * (dist/bench-import.xlsx, written by `bench:run` or test/bench/import-file.ts) through
 * `PersonImportService.import` as a dry run, then committed (as the API does, without HTTP); the file is
 * read, checked and copied into the staging table in one stream, timed whole. The imported people are removed again at the end.
 *   node -r @swc-node/register test/bench/import-profile.ts --url postgres://…/lantoa_bench [--file F]
 */
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { DataSource } from 'typeorm';
import { PersonImportRepository, PersonImportService } from '../../libs/people/src';
import { benchArgs } from './dataset';
import { benchAdmin, benchContext, statementTimer } from './statement-timer';

async function main(): Promise<void> {
  const args = benchArgs({ file: { type: 'string', default: 'dist/bench-import.xlsx' } });
  const buffer = readFileSync(String(args.values.file));
  const app = await benchContext(args.url);
  const timer = statementTimer();
  const dataSource = app.get(DataSource);
  const clean = async () => {
    await dataSource.query(`DELETE FROM person_duplicate WHERE person_id IN (SELECT id FROM person WHERE cccd LIKE '001%')
                               OR other_person_id IN (SELECT id FROM person WHERE cccd LIKE '001%')`);
    await dataSource.query(`DELETE FROM person WHERE cccd LIKE '001%'`);
  };
  try {
    await clean();
    const principal = await benchAdmin((sql, params) => dataSource.query(sql, params));
    const imports = app.get(PersonImportService, { strict: false });
    // The COPY goes round the statement timer (on the connection itself): the staging step — the file read
    // and its rows checked as they are copied — is timed whole.
    const people = app.get(PersonImportRepository);
    const stage = people.stage.bind(people);
    let staging = 0;
    people.stage = async (...params) => {
      const t0 = process.hrtime.bigint();
      const rows = await stage(...params);
      staging = Number(process.hrtime.bigint() - t0) / 1e6;
      return rows;
    };
    for (const dryRun of [true, false]) {
      timer.statements.clear();
      timer.recording = true;
      const t0 = process.hrtime.bigint();
      const result = await imports.import(principal, { buffer }, dryRun);
      const total = Number(process.hrtime.bigint() - t0) / 1e6;
      timer.recording = false;
      const sql = timer.sqlMs();
      const timed = (prefix: string) =>
        [...timer.statements.entries()]
          .filter(([k]) => k.startsWith(prefix))
          .reduce((a, [, v]) => a + v.ms, 0);
      const copy = staging - timed('CREATE TEMP TABLE person_import');
      console.log(
        `${dryRun ? 'dry run' : 'commit'}: ${result.rows} rows in ${Math.round(total)} ms ` +
          `(${Math.round((result.rows * 1000) / total)} rows/s); file read, rows checked and copied into ` +
          `staging ${Math.round(copy)} ms, other SQL ${Math.round(sql)} ms, the rest ${Math.round(total - sql - copy)} ms`,
      );
      console.log(timer.report());
    }
  } finally {
    timer.stop();
    await clean();
    await app.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
