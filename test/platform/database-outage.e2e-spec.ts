import { Http } from '../support/http';
import { PrivatePostgres, startPrivatePostgres } from '../support/private-postgres';
import { ADMIN, startTestApp, TestApp } from '../support/test-app';

/**
 * While PostgreSQL is down the API says so — 503 with Retry-After and a stable code, readiness down on
 * /health — instead of 500s, and it serves again as soon as the database is back, without a restart.
 * The app runs on a cluster of this test's own, which the test stops and starts again.
 */
describe('a database outage', () => {
  let pg: PrivatePostgres;
  let t: TestApp;
  beforeAll(async () => {
    pg = await startPrivatePostgres();
    t = await startTestApp({ template: 'empty', env: { DATABASE_URL: pg.url, DB_POOL_SIZE: '4' } });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await pg?.destroy();
  });

  const requests = (http: Http, anonymous: Http) => [
    { name: 'GET /api/v1/auth/me', send: () => http.get('/api/v1/auth/me') },
    { name: 'GET /api/v1/units', send: () => http.get('/api/v1/units') },
    { name: 'GET /api/v1/people', send: () => http.get('/api/v1/people') },
    { name: 'POST /api/v1/programs', send: () => http.post('/api/v1/programs', { name: 'x' }) },
    {
      name: 'POST /api/v1/auth/login',
      send: () => anonymous.post('/api/v1/auth/login', { login: ADMIN.login, password: ADMIN.password }),
    },
  ];

  async function health(): Promise<{ status: number; body: unknown }> {
    const res = await t.anonymous.get('/health');
    return { status: res.status, body: res.body };
  }

  it('answers 503 with Retry-After while the database is down, and recovers when it is back', async () => {
    expect(await health()).toEqual({ status: 200, body: { status: 'ok', checks: { database: 'up' } } });
    expect((await t.http.get('/api/v1/auth/me')).status).toBe(200);

    await pg.stop();
    const logged = t.logs.length;
    const answers = [];
    for (const request of requests(t.http, t.anonymous)) {
      const res = await request.send();
      answers.push({
        name: request.name,
        status: res.status,
        retryAfter: res.headers.get('retry-after'),
        type: res.headers.get('content-type'),
        code: res.body?.code,
      });
    }
    expect(answers).toEqual(
      requests(t.http, t.anonymous).map((request) => ({
        name: request.name,
        status: 503,
        retryAfter: expect.stringMatching(/^\d+$/),
        type: 'application/problem+json; charset=utf-8',
        code: 'DATABASE_UNAVAILABLE',
      })),
    );
    expect(await health()).toEqual({ status: 503, body: { status: 'error', checks: { database: 'down' } } });
    // An outage is not a bug: no stack traces in the log.
    expect(t.logs.slice(logged).filter((line) => /\\n\s+at /.test(line))).toEqual([]);

    await pg.start();
    let recovered = await health();
    for (let attempt = 0; recovered.status !== 200 && attempt < 50; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      recovered = await health();
    }
    expect(recovered).toEqual({ status: 200, body: { status: 'ok', checks: { database: 'up' } } });
    expect((await t.http.get('/api/v1/auth/me')).status).toBe(200);
    expect((await t.http.get('/api/v1/units')).status).toBe(200);
    const login = await t.anonymous.post('/api/v1/auth/login', {
      login: ADMIN.login,
      password: ADMIN.password,
    });
    expect(login.status).toBe(200);
  });
});
