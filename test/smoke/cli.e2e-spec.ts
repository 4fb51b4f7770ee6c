import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { createTestDatabase, TestDatabase } from '../support/test-database';

const CLI = join(__dirname, '../../dist/apps/api/src/cli.js');

/** The one-shot commands (`npm run migrate`, `units:import`, `seed:demo`) do their job and nothing else. */
describe('the command line', () => {
  let db: TestDatabase;
  let sql: Client;
  const dataDir = mkdtempSync(join(tmpdir(), 'lantoa-cli-'));
  const passwordFile = join(dataDir, 'admin-password.txt');
  const embeddedPassword = 'admin@lantoa.vn\nthe-embedded-instance-password\n';

  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" before the tests.`);
    db = await createTestDatabase('empty');
    sql = new Client({ connectionString: db.url });
    await sql.connect();
  });
  afterAll(async () => {
    await sql?.end();
    await db?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function cli(args: string[], env: Record<string, string> = {}) {
    const clean = { ...process.env };
    for (const name of ['TEST_DATABASE_URL', 'ADMIN_LOGIN', 'ADMIN_PASSWORD', 'RUN_JOBS']) delete clean[name];
    return promisify(execFile)(process.execPath, [CLI, ...args], {
      env: { ...clean, NODE_ENV: 'development', DATABASE_URL: db.url, DATA_DIR: dataDir, ...env },
      timeout: 120_000,
    });
  }

  it("runs against DATABASE_URL without creating an administrator or replacing the embedded instance's password file", async () => {
    writeFileSync(passwordFile, embeddedPassword, { mode: 0o600 });
    const { stdout } = await cli(['migrate']);
    expect(stdout).toContain('Migrations are up to date.');
    expect(stdout).not.toContain('Administrator account created');
    expect(readFileSync(passwordFile, 'utf8')).toBe(embeddedPassword);
    const { rows } = await sql.query(`SELECT count(*)::int AS n FROM app_user`);
    expect(rows[0].n).toBe(0);
  });

  it('leaves queued jobs to the service, even where this process would run them', async () => {
    const { rows } = await sql.query(
      `INSERT INTO job (kind, params, created_by, total) VALUES ('kpi.rebuild', '{}', NULL, NULL) RETURNING id`,
    );
    await cli(['migrate'], { RUN_JOBS: 'true', JOBS_POLL_MS: '50' });
    const after = await sql.query(`SELECT status, attempts FROM job WHERE id = $1`, [rows[0].id]);
    expect(after.rows[0]).toEqual({ status: 'queued', attempts: 0 });
  });
});
