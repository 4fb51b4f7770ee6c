import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { DemoSeedService } from '../../libs/demo/src';
import { Http } from '../support/http';
import { testRunId, withDatabase } from '../support/test-database';
import { ADMIN, startTestApp, TestApp } from '../support/test-app';

const ROOT = join(__dirname, '../..');
const CLI = join(ROOT, 'dist/apps/api/src/cli.js');

/** The CLI as an operator runs it, with only the environment given. */
function cli(env: Record<string, string>, ...args: string[]): { status: number | null; output: string } {
  const result = spawnSync('node', [CLI, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'test', ...env },
    encoding: 'utf8',
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** Every figure a steering committee reads for the province: each program's KPI and plan. */
async function figures(http: Http): Promise<unknown> {
  const programs = await http.get('/api/v1/programs');
  expect(programs.status).toBe(200);
  const all: Record<string, unknown> = {};
  for (const program of programs.body.items as { id: string }[]) {
    for (const path of ['kpi?unit=19&period=2026', 'kpi?unit=19&period=..2026-12-31', 'plan?unit=19']) {
      const res = await http.get(`/api/v1/programs/${program.id}/${path}`);
      expect([path, res.status]).toEqual([path, 200]);
      all[`${program.id} ${path}`] = res.body;
    }
  }
  return all;
}

describe('backups that restore', () => {
  const folder = mkdtempSync(join(tmpdir(), 'lantoa-backup-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  describe('on a PostgreSQL server (pg_dump, pg_restore)', () => {
    let t: TestApp;
    let restored: TestApp | undefined;
    const restoredName = () => `lantoa_test_${testRunId()}_restored`;
    const admin = () => new Client({ connectionString: process.env.TEST_DATABASE_URL });

    beforeAll(async () => {
      if (!process.env.TEST_DATABASE_URL) return;
      t = await startTestApp();
      await t.app.get(DemoSeedService).seedIfAbsent();
    }, 600_000);
    afterAll(async () => {
      await restored?.close();
      await t?.close();
      if (!process.env.TEST_DATABASE_URL) return;
      const client = admin();
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${restoredName()} WITH (FORCE)`);
      await client.end();
    });

    it('gives identical KPI figures after a round trip into a new database', async () => {
      if (!process.env.TEST_DATABASE_URL) {
        console.warn('TEST_DATABASE_URL is not set: the server backup round trip is skipped.');
        return;
      }
      const before = await figures(t.http);
      const file = join(folder, 'server.dump');
      const env = { DATA_DIR: join(folder, 'cli') };
      const backup = cli({ ...env, DATABASE_URL: t.db.url }, 'backup', '--out', file);
      expect([backup.status, backup.output]).toEqual([0, expect.stringContaining('"kind": "server"')]);
      expect(readFileSync(file).subarray(0, 5).toString('latin1')).toBe('PGDMP');

      const client = admin();
      await client.connect();
      await client.query(`CREATE DATABASE ${restoredName()}`);
      await client.end();
      const url = withDatabase(process.env.TEST_DATABASE_URL, restoredName());
      // An embedded backup is refused by a server, and a server dump only goes into an empty database.
      const restore = cli({ ...env, DATABASE_URL: url }, 'restore', '--file', file);
      expect([restore.status, restore.output]).toEqual([0, expect.stringContaining('"kind": "server"')]);
      const again = cli({ ...env, DATABASE_URL: url }, 'restore', '--file', file);
      expect([again.status, again.output]).toEqual([1, expect.stringContaining('not empty')]);

      restored = await startTestApp({ db: { url, poolSize: 10, close: async () => undefined } });
      expect(await figures(restored.http)).toEqual(before);
      expect(JSON.stringify(before)).toMatch(/"actual":[1-9]/);
    }, 600_000);
  });

  describe('on the embedded database (its data folder)', () => {
    const freePort = () =>
      new Promise<number>((resolve) => {
        const server = createServer().listen(0, '127.0.0.1', () => {
          const { port } = server.address() as { port: number };
          server.close(() => resolve(port));
        });
      });

    /** The service as `npm start` runs it, on the embedded database in `dataDir`, seeded with the demo. */
    async function start(dataDir: string): Promise<{ child: ChildProcess; http: Http }> {
      const port = await freePort();
      const child = spawn('node', [join(ROOT, 'dist/apps/api/src/main.js')], {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          PORT: String(port),
          HOST: '127.0.0.1',
          DATA_DIR: dataDir,
          ADMIN_LOGIN: ADMIN.login,
          ADMIN_PASSWORD: ADMIN.password,
          LOG_LEVEL: 'warn',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      for (const stream of [child.stdout, child.stderr])
        stream.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const http = new Http(`http://127.0.0.1:${port}`);
      for (let i = 0; i < 1200; i++) {
        if (child.exitCode !== null) throw new Error(`the service exited:\n${output}`);
        if (
          (await fetch(`${http.baseUrl}/health`).then(
            (r) => r.ok,
            () => false,
          )) === true
        ) {
          const login = await http.post('/api/v1/auth/login', {
            login: ADMIN.login,
            password: ADMIN.password,
          });
          expect(login.status).toBe(200);
          http.token = login.body.accessToken;
          return { child, http };
        }
        await new Promise((r) => setTimeout(r, 250));
      }
      child.kill('SIGKILL');
      throw new Error(`the service did not become healthy:\n${output}`);
    }

    async function stop(child: ChildProcess): Promise<void> {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }

    it('gives identical KPI figures after a round trip into a new data folder', async () => {
      const first = join(folder, 'first');
      const second = join(folder, 'second');
      const file = join(folder, 'embedded.tar.gz');
      const service = await start(first);
      let before: unknown;
      try {
        before = await figures(service.http);
      } finally {
        await stop(service.child);
      }
      const backup = cli({ DATA_DIR: first }, 'backup', '--out', file);
      expect([backup.status, backup.output]).toEqual([0, expect.stringContaining('"kind": "embedded"')]);
      // A server dump is not an embedded backup, and the other way round.
      const wrong = cli(
        { DATA_DIR: second, DATABASE_URL: 'postgres://127.0.0.1:1/x' },
        'restore',
        '--file',
        file,
      );
      expect([wrong.status, wrong.output]).toEqual([1, expect.stringContaining('embedded database')]);

      const restore = cli({ DATA_DIR: second }, 'restore', '--file', file);
      expect([restore.status, restore.output]).toEqual([0, expect.stringContaining('"kind": "embedded"')]);
      const again = cli({ DATA_DIR: second }, 'restore', '--file', file);
      expect([again.status, again.output]).toEqual([1, expect.stringContaining('--force')]);

      const restored = await start(second);
      try {
        expect(await figures(restored.http)).toEqual(before);
        expect(JSON.stringify(before)).toMatch(/"actual":[1-9]/);
      } finally {
        await stop(restored.child);
      }
    }, 900_000);
  });
});
