import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { BUNDLED_UNITS_FILE, UnitImportService } from '../../libs/hierarchy/src';
import { ReadReplicas } from '../../libs/platform/src';
import { createPerson, createProgram } from '../support/campaign';
import { communesOf, createUser, TestUser } from '../support/fixtures';
import { Http } from '../support/http';
import { PrivatePostgres, PrivateServer, startPrivatePostgres } from '../support/private-postgres';
import { startTestApp, TestApp } from '../support/test-app';

const MAX_LAG_MS = 5000;
const CHECK_MS = 200;

/**
 * KPI reads on a real streaming replica: a primary and a hot standby made with pg_basebackup, both private
 * clusters on the loopback interface. With replay paused on the standby, a KPI read shows the standby's
 * older figure (so it was served there), while the user who made the change reads it from the primary;
 * once the standby falls further behind than the bound, or goes down, reads answer from the primary.
 */
describe('read replicas', () => {
  let pg: PrivatePostgres;
  let standby: PrivateServer;
  let t: TestApp;
  let reader: TestUser;
  let programId: string;
  let commune: string;

  async function sql<T>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query(text, params)).rows as T[];
    } finally {
      await client.end();
    }
  }

  /** The population base of the province's working-age share, as a KPI read shows it. */
  async function workingAge(http: Http): Promise<number | null> {
    const res = await http.get(`/api/v1/programs/${programId}/kpi?unit=19&period=2026`);
    expect(res.status).toBe(200);
    const figure = res.body.indicators.find((i: { code: string }) => i.code === 'working_age_reached');
    return figure.share?.base ?? null;
  }

  async function setWorkingAge(value: number): Promise<void> {
    const res = await t.http.put('/api/v1/units/19/population', {
      year: 2026,
      figures: { working_age: value },
    });
    expect(res.status).toBe(200);
  }

  async function until(what: string, ok: () => Promise<boolean>, ms = 15_000): Promise<void> {
    const end = Date.now() + ms;
    while (!(await ok())) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  const replicated = (value: number) => async () =>
    (
      await sql<{ value: string }>(
        standby.url,
        `SELECT value FROM population_figure f JOIN admin_unit u ON u.id = f.unit_id
          WHERE u.code = '19' AND f.figure = 'working_age' AND f.year = 2026`,
      )
    )[0]?.value === String(value);

  beforeAll(async () => {
    pg = await startPrivatePostgres();
    // The standby is cloned from the empty primary: the schema the app migrates reaches it by streaming.
    standby = await pg.startStandby();
    t = await startTestApp({
      template: 'empty',
      env: {
        DATABASE_URL: pg.url,
        DB_POOL_SIZE: '4',
        DATABASE_REPLICA_URLS: standby.url,
        DATABASE_REPLICA_MAX_LAG_MS: String(MAX_LAG_MS),
        DATABASE_REPLICA_CHECK_MS: String(CHECK_MS),
      },
    });
    const units = JSON.parse(readFileSync(join(__dirname, '../..', BUNDLED_UNITS_FILE), 'utf8'));
    await t.app
      .get(UnitImportService)
      .importText(JSON.stringify(units.filter((p: { Code: string }) => p.Code === '19')));
    programId = (await createProgram(t.http)).id;
    [commune] = await communesOf(t, '19');
    reader = await createUser(t, [{ role: 'steering', unitCode: '19' }]);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await pg?.destroy();
  });

  it('serves KPI reads from the standby, the writer from the primary, and falls back beyond the lag bound', async () => {
    const replicas = t.app.get(ReadReplicas);
    expect(replicas.state().map((r) => r.host)).toEqual([new URL(standby.url).host]);
    await until('the standby to be in use', async () => replicas.state()[0].lagMs === 0);

    await setWorkingAge(1000);
    await until('the first figure to reach the standby', replicated(1000));
    expect(await workingAge(reader.http)).toBe(1000);

    await sql(standby.url, 'SELECT pg_wal_replay_pause()');
    await setWorkingAge(2000);
    expect(await sql(pg.url, "SELECT value FROM population_figure WHERE figure = 'working_age'")).toEqual([
      { value: '2000' },
    ]);
    // (a) The reader's KPI is the standby's: replay is paused there, so it still says 1,000.
    expect(await workingAge(reader.http)).toBe(1000);
    // (b) Read-your-writes: the administrator, who has just written, reads from the primary.
    expect(await workingAge(t.http)).toBe(2000);
    // Search too: a learner registered meanwhile is not yet in the reader's list, but is in the author's.
    const person = await createPerson(t.http, commune, { fullName: 'Lò Thị Bản' });
    const found = async (http: Http) =>
      (
        (await http.get(`/api/v1/people?q=${encodeURIComponent('Lò Thị Bản')}`)).body.items as {
          id: string;
        }[]
      ).map((p) => p.id);
    expect(await found(reader.http)).toEqual([]);
    expect(await found(t.http)).toEqual([person.id]);

    // Past the lag bound the standby is set aside: the reader gets the primary's figure.
    await until(
      'the lag bound to set the standby aside',
      async () => (await workingAge(reader.http)) === 2000,
    );
    expect(replicas.state()[0].lagMs).toBeGreaterThan(MAX_LAG_MS);

    await sql(standby.url, 'SELECT pg_wal_replay_resume()');
    await until('the standby to catch up', async () => replicas.state()[0].lagMs === 0);
    expect(await workingAge(reader.http)).toBe(2000);
    expect(await found(reader.http)).toEqual([person.id]);
  }, 60_000);

  it('answers from the primary while the standby is down, and uses it again when it is back', async () => {
    const replicas = t.app.get(ReadReplicas);
    await standby.stop();
    // At once, before any check has noticed: the failed read is retried on the primary.
    const answers = await Promise.all(
      Array.from({ length: 5 }, () =>
        reader.http.get(`/api/v1/programs/${programId}/kpi?unit=19&period=2026`),
      ),
    );
    expect(answers.map((res) => res.status)).toEqual([200, 200, 200, 200, 200]);
    expect(await workingAge(reader.http)).toBe(2000);
    expect((await reader.http.get('/api/v1/units/search?q=thai nguyen')).status).toBe(200);
    expect(replicas.state()[0].lagMs).toBeNull();
    expect((await t.anonymous.get('/health')).status).toBe(200);

    await standby.start();
    await until('the standby to be in use again', async () => replicas.state()[0].lagMs === 0);
    await sql(standby.url, 'SELECT pg_wal_replay_pause()');
    await setWorkingAge(3000);
    expect(await workingAge(reader.http)).toBe(2000);
    await sql(standby.url, 'SELECT pg_wal_replay_resume()');
  }, 60_000);
});
