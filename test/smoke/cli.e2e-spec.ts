import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { LAO_CAI_REORGANISATION, OLD_LAO_CAI_UNITS } from '../support/old-map';
import { createTestDatabase, TestDatabase } from '../support/test-database';

const CLI = join(__dirname, '../../dist/apps/api/src/cli.js');
const MAIN = join(__dirname, '../../dist/apps/api/src/main.js');

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

  function environment(env: Record<string, string>): NodeJS.ProcessEnv {
    const clean = { ...process.env };
    for (const name of ['TEST_DATABASE_URL', 'ADMIN_LOGIN', 'ADMIN_PASSWORD', 'RUN_JOBS']) delete clean[name];
    return { ...clean, NODE_ENV: 'development', DATABASE_URL: db.url, DATA_DIR: dataDir, ...env };
  }

  async function cli(args: string[], env: Record<string, string> = {}) {
    return promisify(execFile)(process.execPath, [CLI, ...args], { env: environment(env), timeout: 120_000 });
  }

  /** A command that fails: its exit code and what it printed. */
  async function failing(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const result = await cli(args).then(
      () => null,
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    if (!result) throw new Error(`${args.join(' ')} succeeded`);
    return result;
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

  it('answers a units file that is not there in plain words', async () => {
    const { code, stderr } = await failing(['units:import', '--file', '/no/such/units-2024.json']);
    expect(code).toBe(1);
    expect(stderr.trim()).toBe(
      'DATA_FILE_UNREADABLE: Không đọc được tệp /no/such/units-2024.json: tệp không tồn tại (file not found).',
    );
    expect(stderr).not.toContain('ENOENT');
  });

  it('imports an older map first, as history, and the service still seeds today’s map at its start', async () => {
    const { stdout } = await cli(['units:import', '--file', OLD_LAO_CAI_UNITS]);
    expect(JSON.parse(stdout.slice(0, stdout.lastIndexOf('}') + 1))).toMatchObject({
      shape: 'three-level',
      validTo: '2025-07-01',
      history: true,
      created: 339,
    });
    expect(stdout).toContain("to link it to today's map: npm run units:successions");

    // The service starts on this database: today's units are missing, so it imports them.
    const serviceDir = mkdtempSync(join(tmpdir(), 'lantoa-cli-service-'));
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = probe.address() as AddressInfo;
        probe.close(() => resolve(free));
      });
    });
    const service = spawn(process.execPath, [MAIN], {
      env: environment({ DATA_DIR: serviceDir, PORT: String(port), HOST: '127.0.0.1', WEB_DIR: 'none' }),
    });
    let output = '';
    service.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    service.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      const deadline = Date.now() + 60_000;
      let healthy = false;
      while (!healthy && Date.now() < deadline && service.exitCode === null) {
        healthy = await fetch(`http://127.0.0.1:${port}/health`).then(
          (r) => r.ok,
          () => false,
        );
        if (!healthy) await new Promise((r) => setTimeout(r, 250));
      }
      expect({ healthy, output: healthy ? '' : output }).toEqual({ healthy: true, output: '' });
    } finally {
      const exited = new Promise((resolve) => service.once('exit', resolve));
      service.kill('SIGTERM');
      await exited;
      rmSync(serviceDir, { recursive: true, force: true });
    }
    expect(output).toContain('Imported 3355 administrative units');
    const { rows } = await sql.query(
      `SELECT level, valid_to IS NULL AS current, count(*)::int AS n FROM admin_unit GROUP BY 1, 2 ORDER BY 1, 2`,
    );
    expect(rows).toEqual([
      { level: 'commune', current: false, n: 319 },
      { level: 'commune', current: true, n: 3321 },
      { level: 'district', current: false, n: 18 },
      { level: 'province', current: false, n: 2 },
      { level: 'province', current: true, n: 34 },
    ]);
  }, 180_000);

  it('records the 2025 reorganisation from a file, and reports in short what it could not match', async () => {
    const lines = (stdout: string) => JSON.parse(stdout);
    const laoCai = lines(
      (await cli(['units:successions', '--file', LAO_CAI_REORGANISATION, '--strict'])).stdout,
    );
    expect(laoCai).toMatchObject({
      predecessors: { province: 2, district: 18, commune: 319 },
      successors: 100,
      links: { removed: 0 },
      unmatched: { earlier: [], today: [] },
    });
    // The bundled file names the whole country; only Lào Cai's earlier units are here: the rest is listed
    // in short, and nothing is written twice.
    const all = lines((await cli(['units:successions'])).stdout);
    expect(all.links).toMatchObject({ created: 0, unchanged: laoCai.links.total, removed: 0 });
    expect(all.unmatched.earlier).toHaveLength(21);
    expect(all.unmatched.earlier[20]).toMatch(/^… và \d+ mã khác$/);
    const { rows } = await sql.query(`SELECT count(*)::int AS n FROM admin_unit_succession`);
    expect(rows[0].n).toBe(laoCai.links.total);
    const strict = await failing(['units:successions', '--strict']);
    expect(strict.stderr).toContain('SUCCESSION_UNITS_UNMATCHED');
  }, 120_000);
});
