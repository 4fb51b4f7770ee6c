import { startTestApp, TestApp } from '../support/test-app';

describe('platform basics over HTTP', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('reports liveness and database readiness on /health', async () => {
    const res = await t.http.get('/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', checks: { database: 'up' } });
  });

  it('serves the OpenAPI document at /docs-json and the UI at /docs', async () => {
    const json = await t.http.get('/docs-json');
    expect(json.status).toBe(200);
    expect(json.body.openapi).toMatch(/^3\./);
    expect(Object.keys(json.body.paths)).toEqual(
      expect.arrayContaining(['/api/v1/units', '/api/v1/units/search', '/api/v1/units/{code}', '/health']),
    );
    const ui = await t.http.get('/docs');
    expect(ui.status).toBe(200);
    expect(ui.text).toContain('swagger');
  });

  it('tags every response and log line with a request id, keeping a sane incoming one', async () => {
    const res = await t.http.get('/health', { headers: { 'x-request-id': 'abc-123' } });
    expect(res.headers.get('x-request-id')).toBe('abc-123');
    const generated = await t.http.get('/api/v1/units/99', {
      headers: { 'x-request-id': 'bad id with spaces' },
    });
    const id = generated.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(generated.body.requestId).toBe(id);
    const line = t.logs.map((l) => JSON.parse(l)).find((entry) => entry.req?.id === id);
    expect(line).toMatchObject({ req: { method: 'GET', url: '/api/v1/units/99' }, res: { statusCode: 404 } });
  });

  it('answers malformed JSON and unknown routes with problem+json', async () => {
    const bad = await t.http.post('/api/v1/units/merge', '{"sources": [', {
      headers: { 'content-type': 'application/json' },
    });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(bad.body).toMatchObject({ status: 400, code: 'MALFORMED_JSON' });
    const missing = await t.http.get('/api/v1/nothing-here');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ status: 404, code: 'NOT_FOUND' });
  });

  it('never leaks internals in a 500', async () => {
    // Break the schema under the running app: the query fails inside the database.
    await t.dataSource.query('ALTER TABLE admin_unit RENAME COLUMN sort_key TO sort_key_broken');
    try {
      const res = await t.http.get('/api/v1/units');
      expect(res.status).toBe(500);
      expect(res.body).toMatchObject({ code: 'INTERNAL_ERROR', status: 500 });
      expect(res.text).not.toMatch(/sort_key|SELECT|at .*\.ts/);
    } finally {
      await t.dataSource.query('ALTER TABLE admin_unit RENAME COLUMN sort_key_broken TO sort_key');
    }
  });
});
