import { createUser, TestUser } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * The background jobs list: each caller sees the jobs they queued, an administrator every job (the system's
 * too), newest first, filtered by status and kind, a page at a time.
 */
describe('listing background jobs', () => {
  let t: TestApp;
  let alice: TestUser;
  let bob: TestUser;
  let adminId: string;

  /** A job as the queue stores it, `minutesAgo` old. */
  async function job(
    kind: string,
    status: string,
    createdBy: string | null,
    minutesAgo: number,
    extra: { progress?: number; total?: number; error?: string } = {},
  ): Promise<string> {
    const [row]: { id: string }[] = await t.dataSource.query(
      `INSERT INTO job (kind, status, params, created_by, created_at, progress, total, error, finished_at)
       VALUES ($1, $2::varchar, '{}', $3, now() - make_interval(mins => $4::int), $5, $6, $7,
               CASE WHEN $2::varchar IN ('succeeded', 'failed') THEN now() - make_interval(mins => $4::int - 1) END)
       RETURNING id`,
      [kind, status, createdBy, minutesAgo, extra.progress ?? 0, extra.total ?? null, extra.error ?? null],
    );
    return row.id;
  }

  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp();
    alice = await createUser(t, [{ role: 'steering', unitCode: '19' }], { displayName: 'Chị Alice' });
    bob = await createUser(t, [{ role: 'steering', unitCode: '20' }]);
    adminId = (await t.http.get('/api/v1/auth/me')).body.id;
    // Whatever the app queued at start is the system's; the test's jobs are the only ones of their kinds.
    ids.aliceOld = await job('kpi.export', 'succeeded', alice.id, 50, { progress: 10, total: 10 });
    ids.aliceFailed = await job('kpi.export', 'failed', alice.id, 40, { error: 'Hết dung lượng đĩa' });
    ids.aliceRunning = await job('certificates.class-batch', 'running', alice.id, 30, {
      progress: 3,
      total: 12,
    });
    ids.aliceNew = await job('kpi.export', 'queued', alice.id, 20);
    ids.bob = await job('kpi.export', 'succeeded', bob.id, 10);
    ids.admin = await job('kpi.export', 'queued', adminId, 5);
    ids.system = await job('test.system', 'succeeded', null, 1);
  });
  afterAll(() => t.close());

  it('shows a caller their own jobs, newest first, with progress, errors and times', async () => {
    const res = await alice.http.get('/api/v1/jobs');
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(4);
    expect(res.body.items.map((j: { id: string }) => j.id)).toEqual([
      ids.aliceNew,
      ids.aliceRunning,
      ids.aliceFailed,
      ids.aliceOld,
    ]);
    const running = res.body.items[1];
    expect(running).toMatchObject({
      kind: 'certificates.class-batch',
      status: 'running',
      progress: 3,
      total: 12,
      finishedAt: null,
      createdByName: 'Chị Alice',
    });
    expect(res.body.items[2]).toMatchObject({ status: 'failed', error: 'Hết dung lượng đĩa' });
    expect(Date.parse(res.body.items[2].finishedAt)).toBeGreaterThan(Date.parse(res.body.items[2].createdAt));
    // Bob sees only his.
    const his = await bob.http.get('/api/v1/jobs');
    expect(his.body.items.map((j: { id: string }) => j.id)).toEqual([ids.bob]);
  });

  it('filters by status and kind, and pages', async () => {
    const exports = await alice.http.get('/api/v1/jobs?kind=kpi.export');
    expect(exports.body.items.map((j: { id: string }) => j.id)).toEqual([
      ids.aliceNew,
      ids.aliceFailed,
      ids.aliceOld,
    ]);
    const failed = await alice.http.get('/api/v1/jobs?status=failed');
    expect(failed.body.items.map((j: { id: string }) => j.id)).toEqual([ids.aliceFailed]);
    const both = await alice.http.get('/api/v1/jobs?status=succeeded&kind=kpi.export');
    expect(both.body.items.map((j: { id: string }) => j.id)).toEqual([ids.aliceOld]);
    const second = await alice.http.get('/api/v1/jobs?limit=2&offset=2');
    expect(second.body).toMatchObject({ total: 4, limit: 2, offset: 2 });
    expect(second.body.items.map((j: { id: string }) => j.id)).toEqual([ids.aliceFailed, ids.aliceOld]);
  });

  it("shows an administrator every job, the system's included", async () => {
    const res = await t.http.get('/api/v1/jobs?limit=100');
    const listed = res.body.items.map((j: { id: string }) => j.id);
    expect(listed).toEqual(expect.arrayContaining(Object.values(ids)));
    expect(listed.indexOf(ids.system)).toBeLessThan(listed.indexOf(ids.admin));
    expect(listed.indexOf(ids.admin)).toBeLessThan(listed.indexOf(ids.bob));
    const system = res.body.items.find((j: { id: string }) => j.id === ids.system);
    expect(system.createdByName).toBeNull();
    const tests = await t.http.get('/api/v1/jobs?kind=test.system');
    expect(tests.body).toMatchObject({ total: 1 });
  });

  it('refuses a bad filter with the field named, and an anonymous caller', async () => {
    const res = await alice.http.get('/api/v1/jobs?status=done');
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'status' })]);
    const kind = await alice.http.get('/api/v1/jobs?kind=DROP%20TABLE');
    expect([kind.status, kind.body.errors[0].field]).toEqual([400, 'kind']);
    expect((await t.anonymous.get('/api/v1/jobs')).status).toBe(401);
  });
});
