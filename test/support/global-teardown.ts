import { rmSync } from 'node:fs';
import { Client } from 'pg';

/** Drops every database this run created (templates and any copy a crashed test file left behind). */
export default async function globalTeardown(): Promise<void> {
  const run = process.env.LANTOA_TEST_RUN;
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (process.env.LANTOA_TEST_FOLDER)
    rmSync(process.env.LANTOA_TEST_FOLDER, { recursive: true, force: true });
  if (!serverUrl || !run) return;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE $1`,
      [`lantoa_test_${run}_%`],
    );
    for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
