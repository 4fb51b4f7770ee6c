import { FixedClock } from '../../libs/platform/src';
import { createProgram } from '../support/campaign';
import { communesOf } from '../support/fixtures';
import { Http } from '../support/http';
import { partnerPerson, partnerWithKey } from '../support/partners';
import { startTestApp, TestApp } from '../support/test-app';

const COMPLETED = 'http://adlnet.gov/expapi/verbs/completed';
const PASSED = 'http://adlnet.gov/expapi/verbs/passed';
const VOIDED = 'http://adlnet.gov/expapi/verbs/voided';
const LEVEL_2 = 'https://lms.example.edu.vn/course/ai/level-2';
const XAPI = { 'x-experience-api-version': '1.0.3' };

/** The xAPI adapter: completed / passed of mapped activities, all or nothing per batch, statement ids idempotent. */
describe('partner API: xAPI statements', () => {
  const clock = new FixedClock(new Date('2026-11-25T10:00:00+07:00'));
  let t: TestApp;
  let program: { id: string; code: string };
  let lms: Http;
  let commune: string;
  let seq = 0;

  const statement = (overrides: Record<string, unknown> = {}) => ({
    id: `00000000-0000-4000-8000-${String(++seq).padStart(12, '0')}`,
    actor: { objectType: 'Agent', account: { homePage: 'https://lms.example.edu.vn', name: 'lms-user-1' } },
    verb: { id: COMPLETED, display: { 'en-US': 'completed' } },
    object: { objectType: 'Activity', id: LEVEL_2 },
    result: { completion: true, score: { scaled: 0.75 } },
    timestamp: '2026-10-02T19:00:00+07:00',
    context: { platform: 'Moodle', extensions: { 'https://lms.example.edu.vn/x/course': 42 } },
    ...overrides,
  });
  const post = (body: unknown, client = lms) =>
    client.post('/api/v1/partner/xapi/statements', body, { headers: XAPI });
  const records = async () =>
    t.dataSource.query(
      `SELECT item_id AS id, kind, level, lesson, score, voided_at AS voided FROM partner_learning_record ORDER BY item_id`,
    );
  const completions = async () => {
    const res = await t.http.get(`/api/v1/programs/${program.id}/kpi?unit=19&period=2026`);
    return res.body.indicators.find((d: any) => d.code === 'completions_online').actual;
  };

  beforeAll(async () => {
    t = await startTestApp({ clock });
    [commune] = await communesOf(t, '19');
    program = await createProgram(t.http);
    ({ client: lms } = await partnerWithKey(t.http, program.id, '19'));
    await lms.post('/api/v1/partner/people', {
      people: [partnerPerson('lms-user-1', commune), partnerPerson('lms-user-2', commune)],
    });
    const mapped = await lms.put('/api/v1/partner/xapi/activities', {
      activities: [
        { activityId: LEVEL_2, programCode: program.code, level: 2 },
        { activityId: `${LEVEL_2}/lesson-4`, programCode: program.code, level: 2, lesson: 'Bài 4' },
      ],
    });
    expect(mapped.status).toBe(200);
    expect(mapped.body.activities).toHaveLength(2);
  });
  afterAll(() => t.close());

  it('answers /about like an LRS', async () => {
    const about = await lms.get('/api/v1/partner/xapi/about');
    expect(about.body.version).toEqual(['1.0.3']);
    expect(about.headers.get('x-experience-api-version')).toBe('1.0.3');
  });

  it('records completed and passed statements of mapped activities, and lessons of a level', async () => {
    const first = statement();
    const passed = statement({
      verb: { id: PASSED },
      actor: { account: { homePage: 'https://lms.example.edu.vn', name: 'lms-user-2' } },
      result: { success: true, score: { raw: 18, min: 0, max: 20 } },
    });
    const lesson = statement({ object: { id: `${LEVEL_2}/lesson-4` }, result: undefined });
    const res = await post([first, passed, lesson]);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-experience-api-version')).toBe('1.0.3');
    expect(res.body).toEqual([first.id, passed.id, lesson.id]);
    expect(await records()).toEqual([
      { id: first.id, kind: 'completion', level: 2, lesson: null, score: '75.00', voided: null },
      { id: passed.id, kind: 'completion', level: 2, lesson: null, score: '90.00', voided: null },
      { id: lesson.id, kind: 'lesson', level: 2, lesson: 'Bài 4', score: null, voided: null },
    ]);
    expect(await completions()).toBe(2);
  });

  it('a replayed statement changes nothing; the same id with other content is a conflict', async () => {
    const before = await records();
    const [stored] = before;
    const replay = statement({ id: stored.id });
    seq--;
    const again = await post(replay);
    expect([again.status, again.body]).toEqual([200, [stored.id]]);
    expect(await records()).toEqual(before);
    const changed = await post(statement({ id: stored.id, timestamp: '2026-10-03T19:00:00+07:00' }));
    expect([changed.status, changed.body.code]).toEqual([409, 'XAPI_STATEMENT_CONFLICT']);
    expect(await records()).toEqual(before);
    expect(await completions()).toBe(2);
  });

  it('refuses the whole batch with the reason of each unmapped or malformed statement', async () => {
    const before = await records();
    const res = await post([
      statement(),
      statement({ object: { id: 'https://lms.example.edu.vn/course/unknown' } }),
      statement({ verb: { id: 'http://adlnet.gov/expapi/verbs/attempted' } }),
      statement({ actor: { mbox: 'mailto:hoc.vien@example.com' } }),
      statement({ id: 'not-a-uuid', timestamp: 'yesterday' }),
      statement({ verb: { id: PASSED }, result: { success: false } }),
      'not a statement',
    ]);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('XAPI_STATEMENT_REFUSED');
    expect(res.body.errors.map((e: any) => e.field)).toEqual([
      'statements[1].object.id',
      'statements[2].verb.id',
      'statements[3].actor.account',
      'statements[4].id',
      'statements[4].timestamp',
      'statements[5].result.success',
      'statements[6]',
    ]);
    expect(res.body.errors[0].reason).toMatch(/chưa được ánh xạ/);
    // All or nothing: the valid first statement was not stored either.
    expect(await records()).toEqual(before);
    const unknown = await post(
      statement({ actor: { account: { homePage: 'https://x.vn', name: 'never-registered' } } }),
    );
    expect(unknown.body.errors[0]).toMatchObject({
      field: 'statements[0]',
      reason: expect.stringMatching(/never-registered/),
    });
  });

  it('needs the xAPI version header', async () => {
    const res = await lms.post('/api/v1/partner/xapi/statements', statement());
    expect([res.status, res.body.code]).toEqual([400, 'XAPI_VERSION_REQUIRED']);
  });

  it('takes the program’s own activity IRIs without a mapping, and Basic authentication', async () => {
    const me = (await lms.get('/api/v1/partner/me')).body;
    const prefix = me.programs[0].xapiActivityPrefix;
    expect(prefix).toMatch(new RegExp(`/xapi/programs/${program.code}/levels/$`));
    const basic = Buffer.from(`lms:${lms.token}`).toString('base64');
    const s = statement({ object: { id: `${prefix}3` } });
    const res = await t.anonymous.post('/api/v1/partner/xapi/statements', s, {
      headers: { ...XAPI, authorization: `Basic ${basic}` },
    });
    expect(res.status).toBe(200);
    expect((await records()).find((r: any) => r.id === s.id)).toMatchObject({ kind: 'completion', level: 3 });
  });

  it('voids a statement: the record stays, and no longer counts', async () => {
    // lms-user-2's only completion (lms-user-1 has also completed level 3 since).
    const [, target] = await records();
    const before = await completions();
    const voiding = statement({
      verb: { id: VOIDED },
      object: { objectType: 'StatementRef', id: target.id },
      result: undefined,
    });
    expect((await post(voiding)).status).toBe(200);
    expect((await records()).find((r: any) => r.id === target.id).voided).not.toBeNull();
    expect(await completions()).toBe(before - 1);
    const nothing = await post(
      statement({
        verb: { id: VOIDED },
        object: { objectType: 'StatementRef', id: '00000000-0000-4000-8000-999999999999' },
      }),
    );
    expect(nothing.body.errors[0].field).toBe('statements[0].object.id');
  });

  it('refuses mappings to programs or levels the key does not have', async () => {
    const res = await lms.put('/api/v1/partner/xapi/activities', {
      activities: [
        { activityId: 'https://a.vn/1', programCode: 'OTHER', level: 1 },
        { activityId: 'https://a.vn/2', programCode: program.code, level: 7 },
        { activityId: 'not an iri', programCode: program.code, level: 1 },
      ],
    });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: any) => e.field)).toEqual([
      'activities[1].level',
      'activities[2].activityId',
      'activities[0].programCode',
    ]);
    expect((await lms.get('/api/v1/partner/xapi/activities')).body.activities).toHaveLength(2);
  });

  it('answers hostile statements with a reason, never a server error', async () => {
    const BAD: unknown[] = [
      null,
      0,
      true,
      '',
      'x'.repeat(3000),
      [],
      {},
      [{}],
      { id: 7 },
      { account: null },
      '2026-02-30',
    ];
    const before = await records();
    const sample = statement();
    for (const field of ['id', 'actor', 'verb', 'object', 'result', 'timestamp', 'version', 'context']) {
      const res = await post(BAD.map((bad) => ({ ...sample, [field]: bad })));
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('XAPI_STATEMENT_REFUSED');
    }
    for (const body of [[], {}, 'text', 42, null, Array.from({ length: 501 }, () => sample)]) {
      const res = await post(body);
      expect([400, 413]).toContain(res.status);
    }
    expect(await records()).toEqual(before);
  });
});
