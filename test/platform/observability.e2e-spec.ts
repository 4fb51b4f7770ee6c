import { cccdFor, createPerson } from '../support/campaign';
import { communesOf } from '../support/fixtures';
import { drainAttendance } from '../support/jobs';
import { startTestApp, TestApp } from '../support/test-app';

const TOKEN = 'metrics-token-for-the-observability-test-0001';

/** Prometheus's text format: the value of one sample, or undefined. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    const match = /^([a-z_]+)(?:\{([^}]*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = (match[2] ?? '').split(',');
    if (wanted.every((w) => have.includes(w))) return Number(match[3]);
  }
  return undefined;
}

describe('observability: metrics for operators, logs without personal data', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { METRICS_TOKEN: TOKEN } });
  });
  afterAll(() => t?.close());

  const scrape = (token?: string) =>
    t.anonymous.get('/metrics', token ? { headers: { authorization: `Bearer ${token}` } } : {});

  it('answers /metrics only with its token', async () => {
    const none = await scrape();
    expect([none.status, none.headers.get('content-type'), none.body.code]).toEqual([
      401,
      expect.stringContaining('application/problem+json'),
      'METRICS_TOKEN_INVALID',
    ]);
    expect(none.headers.get('www-authenticate')).toContain('Bearer');
    expect((await scrape(TOKEN.slice(0, -1) + 'x')).status).toBe(401);
    // The user's own access token is not the metrics token.
    expect((await t.anonymous.get('/metrics', { token: t.http.token })).status).toBe(401);
    const ok = await scrape(TOKEN);
    expect([ok.status, ok.headers.get('content-type')]).toEqual([200, expect.stringContaining('text/plain')]);
  });

  it('counts requests by route pattern and status, and times them', async () => {
    const before = (await scrape(TOKEN)).text;
    const route = { method: 'GET', route: '/api/v1/units/:code' };
    const count = (text: string, status: string) =>
      sample(text, 'lantoa_http_requests_total', { ...route, status }) ?? 0;
    for (const code of ['19', '01', '79'])
      expect((await t.http.get(`/api/v1/units/${code}`)).status).toBe(200);
    expect((await t.http.get('/api/v1/units/99')).status).toBe(404);

    const after = (await scrape(TOKEN)).text;
    expect(count(after, '200') - count(before, '200')).toBe(3);
    expect(count(after, '404') - count(before, '404')).toBe(1);
    const timed = (text: string) => sample(text, 'lantoa_http_request_duration_seconds_count', route) ?? 0;
    expect(timed(after) - timed(before)).toBe(4);
    // The raw paths (with their codes) never become labels: the series stay bounded.
    expect(after).not.toContain('/api/v1/units/79"');
  });

  it('shows the job queue: jobs waiting per kind and how long the oldest has waited', async () => {
    await t.dataSource.query(
      `INSERT INTO job (kind, status, params, created_at)
       VALUES ('observability-test', 'queued', '{}', now() - interval '90 seconds'),
              ('observability-test', 'queued', '{}', now() - interval '10 seconds')`,
    );
    const text = (await scrape(TOKEN)).text;
    const labels = { kind: 'observability-test', status: 'queued' };
    expect(sample(text, 'lantoa_jobs', labels)).toBe(2);
    expect(sample(text, 'lantoa_job_oldest_seconds', labels)).toBeGreaterThanOrEqual(90);
    await t.dataSource.query(`DELETE FROM job WHERE kind = 'observability-test'`);
    expect(sample((await scrape(TOKEN)).text, 'lantoa_jobs', labels)).toBeUndefined();
  });

  it('shows sync freshness: batches acknowledged and not yet in the figures, and the age of the oldest', async () => {
    await t.dataSource.query(
      `INSERT INTO attendance_outbox (class_ids, person_ids, created_at) VALUES ('{}', '{}', now() - interval '42 seconds')`,
    );
    const waiting = (await scrape(TOKEN)).text;
    expect(sample(waiting, 'lantoa_sync_outbox_batches', {})).toBe(1);
    expect(sample(waiting, 'lantoa_sync_freshness_seconds', {})).toBeGreaterThanOrEqual(42);
    await drainAttendance(t);
    const drained = (await scrape(TOKEN)).text;
    expect(sample(drained, 'lantoa_sync_outbox_batches', {})).toBe(0);
    expect(sample(drained, 'lantoa_sync_freshness_seconds', {})).toBe(0);
  });

  it('writes a request id on every line of a request, and no CCCD, phone number or password', async () => {
    const logged = t.logs.length;
    const communes = await communesOf(t, '19');
    const cccd = cccdFor('female', 1987);
    const phone = '0912 736 481';
    const person = await createPerson(t.http, communes[0], {
      gender: 'female',
      birthYear: 1987,
      cccd,
      phone,
    });
    expect(person.body.cccd ?? cccd).toBeDefined();
    // Searching by them, and sending them where they are refused, leaves them out of the logs too.
    await t.http.get(`/api/v1/people?q=${cccd}`);
    await t.http.get(`/api/v1/people?q=${encodeURIComponent(phone)}`);
    const refused = await t.http.post('/api/v1/people', {
      fullName: 'Lê Văn Tám',
      birthYear: 1987,
      gender: 'male',
      communeCode: communes[0],
      segment: 'farmer',
      cccd: cccd.slice(0, 11) + 'x',
      phone: '0912 736 48',
    });
    expect(refused.status).toBe(400);
    await t.anonymous.post('/api/v1/auth/login', { login: cccd, password: `${phone}-Mat-khau-sai` });

    const lines = t.logs.slice(logged).map((line) => JSON.parse(line) as { req?: { id?: string } });
    expect(lines.length).toBeGreaterThanOrEqual(5);
    expect(lines.filter((line) => !line.req?.id)).toEqual([]);
    const text = t.logs.slice(logged).join('\n');
    const digits = (s: string) => s.replace(/\D/g, '');
    for (const secret of [cccd, digits(phone), `84${digits(phone).slice(1)}`, cccd.slice(0, 11)])
      expect(text).not.toContain(secret);
    expect(text).not.toContain('Mat-khau-sai');
  });
});
