import { hostileBodies, sendRaw, streamBody } from '../support/hostile';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Bodies that used to stall the API or answer 500 (with a stack in the log): each is refused before any
 * route sees it, as a 4xx problem, on the login route as on an authenticated one.
 */
describe('hostile request bodies', () => {
  let t: TestApp;
  let communeCode: string;
  beforeAll(async () => {
    t = await startTestApp();
    const [unit] = await t.dataSource.query(`SELECT code FROM admin_unit WHERE level = 'commune' LIMIT 1`);
    communeCode = unit.code;
  });
  afterAll(() => t.close());

  const routes = [
    { name: 'login', path: '/api/v1/auth/login', authenticated: false },
    { name: 'an authenticated route', path: '/api/v1/organisations', authenticated: true },
  ];

  for (const route of routes) {
    it(`refuses each hostile body on ${route.name} with a 4xx problem and no stack in the log`, async () => {
      const answers = [];
      const expected = [];
      for (const hostile of hostileBodies()) {
        const logged = t.logs.length;
        const res = await sendRaw(
          t.baseUrl,
          'POST',
          route.path,
          hostile,
          route.authenticated ? t.http.token : undefined,
        );
        answers.push({
          name: hostile.name,
          status: res.status,
          type: res.headers.get('content-type'),
          code: res.body?.code,
          stack: t.logs.slice(logged).some((line) => /\n\s+at |"level":50/.test(line)),
        });
        expected.push({
          name: hostile.name,
          status: hostile.status,
          type: 'application/problem+json; charset=utf-8',
          code: hostile.code,
          stack: false,
        });
      }
      expect(answers).toEqual(expected);
    });
  }

  it('refuses a NUL in text before it reaches PostgreSQL, naming the field', async () => {
    const login = await t.anonymous.post('/api/v1/auth/login', { login: 'admin\u0000', password: 'x' });
    expect([login.status, login.body.code, login.body.errors]).toEqual([
      400,
      'VALIDATION_FAILED',
      [{ field: 'login', rule: 'noNulCharacter', reason: expect.any(String) }],
    ]);
    const created = await t.http.post('/api/v1/organisations', {
      unitCode: communeCode,
      name: 'Hội Nông dân\u0000',
      kind: 'other',
    });
    expect([created.status, created.body.code, created.body.errors]).toEqual([
      400,
      'VALIDATION_FAILED',
      [{ field: 'name', rule: 'noNulCharacter', reason: expect.any(String) }],
    ]);
    const [{ count }] = await t.dataSource.query(`SELECT count(*)::int AS count FROM organisation`);
    expect(count).toBe(0);
  });

  it('names every such field, however deep, and lone surrogates too', async () => {
    const res = await t.http.post('/api/v1/organisations', {
      unitCode: communeCode,
      name: 'Hội\u0000Nông dân',
      kind: 'other',
      extra: { list: ['ok', 'bad\u0000'] },
      ['key\u0000']: 'x',
      lone: 'a\ud800b',
    });
    expect([res.status, res.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(res.body.errors).toEqual([
      { field: 'name', rule: 'noNulCharacter', reason: expect.any(String) },
      { field: 'extra.list[1]', rule: 'noNulCharacter', reason: expect.any(String) },
      { field: 'key\\u0000', rule: 'noNulCharacter', reason: expect.any(String) },
      { field: 'lone', rule: 'noLoneSurrogate', reason: expect.any(String) },
    ]);
  });

  it('refuses a NUL in the query string and in a form body too', async () => {
    const query = await t.http.get('/api/v1/organisations?q=a%00b');
    expect([query.status, query.body.code, query.body.errors?.[0]?.field]).toEqual([
      400,
      'VALIDATION_FAILED',
      'q',
    ]);
    const form = await t.anonymous.post('/checkin/some-token', 'identifier=09%00&birthYear=1980', {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect([form.status, form.body.code, form.body.errors?.[0]?.field]).toEqual([
      400,
      'VALIDATION_FAILED',
      'identifier',
    ]);
  });

  it('refuses an over-size body sent without a length, and accepts the largest legitimate one', async () => {
    const big = Buffer.from(JSON.stringify({ login: 'a', password: 'x'.repeat(3 * 1024 * 1024) }));
    const streamed = await streamBody(t.baseUrl, '/api/v1/auth/login', big);
    expect([streamed.status, JSON.parse(streamed.text).code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    // A full offline sync batch (500 marks, pretty-printed as a careless client might) stays far below.
    const marks = Array.from({ length: 500 }, () => ({
      clientId: crypto.randomUUID(),
      sessionId: crypto.randomUUID(),
      personId: crypto.randomUUID(),
      status: 'present',
      recordedAt: '2026-11-22T08:15:30.123+07:00',
    }));
    const batch = JSON.stringify({ marks }, null, 2);
    expect(batch.length).toBeGreaterThan(100_000);
    const sync = await t.http.post('/api/v1/attendance/sync', batch);
    expect(sync.status).toBe(200);
  });

  it('keeps answering others while a 2 MB nested body is being sent', async () => {
    const nested = Buffer.from('['.repeat(1024 * 1024) + ']'.repeat(1024 * 1024));
    const hostile = streamBody(t.baseUrl, '/api/v1/auth/login', nested);
    const timings: number[] = [];
    let done = false;
    void hostile.finally(() => (done = true));
    for (let i = 0; i < 10 || !done; i++) {
      const start = performance.now();
      const health = await t.anonymous.get('/health');
      timings.push(performance.now() - start);
      expect(health.status).toBe(200);
      if (i > 200) break;
    }
    const answer = await hostile;
    expect(Math.max(...timings)).toBeLessThan(200);
    expect([answer.status, JSON.parse(answer.text).code]).toEqual([400, 'JSON_TOO_DEEP']);
  });
});
