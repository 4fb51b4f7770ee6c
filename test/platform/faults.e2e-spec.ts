import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { Client } from 'pg';
import { createClass, createProgram, createTrainer } from '../support/campaign';
import { download, upload } from '../support/files';
import { communesOf } from '../support/fixtures';
import { Http } from '../support/http';
import { PrivatePostgres, startPrivatePostgres } from '../support/private-postgres';
import { recordFigures } from '../support/reliability';
import { ADMIN, startTestApp, TestApp } from '../support/test-app';
import { freePort } from '../support/net';

const ROOT = join(__dirname, '../..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Faults, with figures, on a PostgreSQL cluster of this test's own: the database stopped and killed under a
 * load of writes (every acknowledged write is found afterwards), a worker killed in the middle of a job (the
 * job is taken over and finishes, once), the API killed in the middle of an import (nothing half-written).
 */
describe('faults', () => {
  let pg: PrivatePostgres;
  let t: TestApp;
  let communes: string[];
  const folder = mkdtempSync(join(tmpdir(), 'lantoa-faults-'));
  const figures: Record<string, number | string> = {};
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    pg = await startPrivatePostgres();
    t = await startTestApp({
      template: 'empty',
      env: {
        DATABASE_URL: pg.url,
        DB_POOL_SIZE: '6',
        UNITS_SEED_FILE: 'default',
        CERTIFICATE_SYNC_LIMIT: '3',
      },
    });
    communes = await communesOf(t, '19');
  }, 300_000);
  afterAll(async () => {
    for (const child of children)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    recordFigures('faults', figures);
    await t?.close();
    await pg?.destroy();
    rmSync(folder, { recursive: true, force: true });
  });

  /** A process of the built service (API or worker) on the private cluster, as an operator starts it. */
  function processOf(
    script: string,
    env: Record<string, string> = {},
  ): { child: ChildProcess; output: () => string } {
    const child = spawn('node', [join(ROOT, script)], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NODE_ENV: 'test',
        DATABASE_URL: pg.url,
        DATA_DIR: mkdtempSync(join(folder, 'data-')),
        UNITS_SEED_FILE: 'none',
        ADMIN_LOGIN: ADMIN.login,
        ADMIN_PASSWORD: ADMIN.password,
        LOG_LEVEL: 'info',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let output = '';
    for (const stream of [child.stdout, child.stderr])
      stream.on('data', (c: Buffer) => (output += c.toString()));
    return { child, output: () => output };
  }

  async function killed(child: ChildProcess): Promise<void> {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  it('keeps every acknowledged write through a database stopped and then killed under load', async () => {
    const acknowledged: string[] = [];
    const statuses = new Map<number, number>();
    let unavailableWithoutRetryAfter = 0;
    const unexpected: string[] = [];
    let running = true;
    const writer = async (n: number) => {
      for (let i = 0; running && i < 100_000; i++) {
        const res = await t.http
          .post('/api/v1/people', {
            fullName: `Phan Văn Tải ${n}-${i}`,
            birthYear: 1980 + (i % 20),
            gender: 'male',
            communeCode: communes[i % communes.length],
            segment: 'farmer',
          })
          .catch(() => null);
        const status = res?.status ?? 0;
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        if (res?.status === 201) acknowledged.push(res.body.id);
        else if (status !== 503)
          unexpected.push(`${status} ${res?.body?.requestId ?? res?.text ?? 'no answer'}`);
        if (res?.status === 503 && !res.headers.get('retry-after')) unavailableWithoutRetryAfter++;
        if (status !== 201) await sleep(50);
      }
    };
    const writers = Array.from({ length: 6 }, (_, n) => writer(n));
    await sleep(2000);
    const beforeStop = acknowledged.length;
    await pg.stop();
    await sleep(2000);
    const health = await t.anonymous.get('/health');
    await pg.start();
    await sleep(3000);
    const beforeCrash = acknowledged.length;
    await pg.crash();
    await sleep(2000);
    await pg.start();
    await sleep(4000);
    running = false;
    await Promise.all(writers);

    const client = new Client({ connectionString: pg.url });
    await client.connect();
    const found = Number(
      (await client.query('SELECT count(*) AS n FROM person WHERE id = ANY ($1::uuid[])', [acknowledged]))
        .rows[0].n,
    );
    await client.end();
    Object.assign(figures, {
      'writes acknowledged': acknowledged.length,
      'acknowledged rows found': found,
      'answers 503': statuses.get(503) ?? 0,
      'answers 5xx other than 503': [...statuses]
        .filter(([s]) => s >= 500 && s !== 503)
        .reduce((a, [, n]) => a + n, 0),
    });
    expect(health.status).toBe(503);
    expect(beforeStop).toBeGreaterThan(0);
    expect(beforeCrash).toBeGreaterThan(beforeStop);
    expect(acknowledged.length).toBeGreaterThan(beforeCrash);
    expect(found).toBe(acknowledged.length);
    // Anything but written or "unavailable, retry": shown with what the log says of that request.
    const explained = unexpected.map((u) => [
      u,
      t.logs.filter((l) => l.includes(u.split(' ')[1])).map((l) => l.slice(0, 1500)),
    ]);
    expect(explained).toEqual([]);
    expect(statuses.get(503)).toBeGreaterThan(0);
    expect(unavailableWithoutRetryAfter).toBe(0);
    expect((await t.anonymous.get('/health')).status).toBe(200);
  }, 180_000);

  it('finishes a job, once, after the worker running it was killed', async () => {
    const program = await createProgram(t.http);
    const lead = (await createTrainer(t.http, program.id, communes[0])).id;
    const learners = 150;
    const c = await createClass(t.http, program.id, lead, communes[0], { capacity: learners });
    const people: string[] = [];
    for (let i = 0; i < learners; i += 10) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(10, learners - i) }, (_, k) =>
          t.http.post('/api/v1/people', {
            fullName: `Vũ Thị Bền ${i + k}`,
            birthYear: 1990,
            gender: 'female',
            communeCode: communes[0],
            segment: 'women',
          }),
        ),
      );
      for (const p of batch) {
        expect(
          (await t.http.post(`/api/v1/classes/${c.id}/enrolments`, { personId: p.body.id })).status,
        ).toBe(201);
        people.push(p.body.id);
      }
    }
    for (const s of c.sessions.slice(0, 2)) {
      const marks = await t.http.put(`/api/v1/classes/${c.id}/sessions/${s.id}/attendance`, {
        marks: people.map((personId) => ({ personId, status: 'present' })),
      });
      expect(marks.status).toBe(200);
    }
    expect((await t.http.post(`/api/v1/classes/${c.id}/status`, { status: 'completed' })).status).toBe(200);
    expect((await t.http.post(`/api/v1/classes/${c.id}/certificates`, {})).status).toBe(201);

    const worker = processOf('dist/apps/worker/src/main.js', {
      JOBS_POLL_MS: '100',
      JOBS_STALE_SECONDS: '3',
    });
    const queued = await t.http.post(`/api/v1/classes/${c.id}/certificates/pdf`);
    expect([queued.status, queued.body.total]).toEqual([202, learners]);
    const job = () => t.http.get(`/api/v1/jobs/${queued.body.id}`).then((r) => r.body);
    let progress = 0;
    for (let i = 0; i < 1200 && progress === 0; i++) {
      await sleep(50);
      progress = (await job()).progress;
    }
    expect(progress).toBeGreaterThan(0);
    expect(progress).toBeLessThan(learners);
    await killed(worker.child);
    const stranded = await job();
    expect(stranded.status).toBe('running');

    const second = processOf('dist/apps/worker/src/main.js', {
      JOBS_POLL_MS: '100',
      JOBS_STALE_SECONDS: '3',
    });
    let done = stranded;
    for (let i = 0; i < 600 && done.status !== 'succeeded' && done.status !== 'failed'; i++) {
      await sleep(200);
      done = await job();
    }
    Object.assign(figures, {
      'job progress when its worker was killed': `${progress}/${learners}`,
      'job status after takeover': done.status,
    });
    expect(done).toMatchObject({
      status: 'succeeded',
      progress: learners,
      total: learners,
      result: { pages: learners },
    });
    const file = await download(t, done.downloadUrl);
    expect(file.type).toBe('application/pdf');
    await killed(second.child);
  }, 300_000);

  it('leaves no half-written rows when the API is killed in the middle of an import', async () => {
    const port = await freePort();
    const api = processOf('dist/apps/api/src/main.js', { PORT: String(port), HOST: '127.0.0.1' });
    const http = new Http(`http://127.0.0.1:${port}`);
    for (
      let i = 0;
      i < 600 &&
      !(await fetch(`${http.baseUrl}/health`).then(
        (r) => r.ok,
        () => false,
      ));
      i++
    ) {
      if (api.child.exitCode !== null) throw new Error(api.output());
      await sleep(200);
    }
    const login = await http.post('/api/v1/auth/login', { login: ADMIN.login, password: ADMIN.password });
    expect(login.status).toBe(200);
    http.token = login.body.accessToken;

    const rows = 20_000;
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Danh sách');
    sheet.addRow([
      'Họ và tên',
      'Ngày sinh',
      'Năm sinh',
      'Giới tính',
      'Mã xã, phường',
      'Đối tượng',
      'Số CCCD',
      'Số điện thoại',
    ]);
    for (let i = 0; i < rows; i++)
      sheet.addRow([
        `Đinh Văn Nhập ${i}`,
        null,
        1960 + (i % 40),
        'Nam',
        communes[i % communes.length],
        'Nông dân',
        null,
        null,
      ]);
    const file = Buffer.from(await workbook.xlsx.writeBuffer());
    const count = async () => {
      const client = new Client({ connectionString: pg.url });
      await client.connect();
      const n = Number(
        (await client.query(`SELECT count(*) AS n FROM person WHERE full_name LIKE 'Đinh Văn Nhập %'`))
          .rows[0].n,
      );
      await client.end();
      return n;
    };

    const sent = upload(http, '/api/v1/people/import', file).catch(() => null);
    // Killed once the import is writing: its statement is seen running on the database.
    const watcher = new Client({ connectionString: pg.url });
    await watcher.connect();
    let writing = false;
    for (let i = 0; i < 1200 && !writing; i++) {
      const { rows: active } = await watcher.query(
        `SELECT 1 FROM pg_stat_activity WHERE state <> 'idle' AND pid <> pg_backend_pid()
            AND query ~* '(insert into|copy) +"?person'`,
      );
      writing = active.length > 0;
      if (!writing) await sleep(25);
    }
    await watcher.end();
    expect(writing).toBe(true);
    await killed(api.child);
    expect(await sent).toBeNull();
    const afterKill = await count();

    // The same file again, on the API still running: all of it, once.
    const again = await upload(t, '/api/v1/people/import', file);
    Object.assign(figures, {
      'import rows in the file': rows,
      'rows written by the killed import': afterKill,
      'rows after importing again': await count(),
    });
    expect(afterKill).toBe(0);
    expect([again.status, again.body.created]).toEqual([200, rows]);
    expect(await count()).toBe(rows);
  }, 300_000);
});
