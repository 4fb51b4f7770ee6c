import { randomUUID } from 'node:crypto';
import { FixedClock } from '../../libs/platform/src';
import { createClass, createPerson, createProgram, createTrainer } from '../support/campaign';
import { communesOf, createUser, TestUser } from '../support/fixtures';
import { drainAttendance } from '../support/jobs';
import { startTestApp, TestApp } from '../support/test-app';

describe('offline attendance sync', () => {
  const clock = new FixedClock(new Date('2026-11-25T10:00:00+07:00'));
  let t: TestApp;
  let program: string;
  let lead: string;
  let trainerUser: TestUser;
  let otherTrainer: TestUser;
  let c: Awaited<ReturnType<typeof createClass>>;
  let people: string[];

  const sync = (http: TestUser['http'], marks: unknown[]) => http.post('/api/v1/attendance/sync', { marks });
  const mark = (
    sessionId: string,
    personId: string,
    status: string,
    recordedAt: string,
    clientId = randomUUID(),
  ) => ({
    clientId,
    sessionId,
    personId,
    status,
    recordedAt,
  });

  beforeAll(async () => {
    t = await startTestApp({ clock });
    const communes = await communesOf(t, '19');
    program = (await createProgram(t.http)).id;
    const leadPerson = await createPerson(t.http, communes[0]);
    lead = (await createTrainer(t.http, program, communes[0], { personId: leadPerson.id })).id;
    trainerUser = await createUser(t, [{ role: 'trainer', unitCode: communes[0] }]);
    await t.http.patch(`/api/v1/users/${trainerUser.id}`, { personId: leadPerson.id });
    const otherPerson = await createPerson(t.http, communes[1]);
    await createTrainer(t.http, program, communes[1], { personId: otherPerson.id });
    otherTrainer = await createUser(t, [{ role: 'trainer', unitCode: communes[1] }]);
    await t.http.patch(`/api/v1/users/${otherTrainer.id}`, { personId: otherPerson.id });
    c = await createClass(t.http, program, lead, communes[0]);
    people = [];
    for (let i = 0; i < 4; i++) {
      const p = await createPerson(t.http, communes[0]);
      await t.http.post(`/api/v1/classes/${c.id}/enrolments`, { personId: p.id });
      people.push(p.id);
    }
  });
  afterAll(() => t.close());

  const stored = async () =>
    (await t.dataSource.query(`SELECT count(*)::int AS n FROM attendance WHERE class_id = $1`, [c.id]))[0]
      .n as number;

  it('applies a batch once: sending it again, whole or in part, changes nothing', async () => {
    const [s1, s2] = c.sessions;
    const batch = [
      mark(s1.id, people[0], 'present', '2026-11-20T08:05:00+07:00'),
      mark(s1.id, people[1], 'present', '2026-11-20T08:06:00+07:00'),
      mark(s1.id, people[2], 'absent', '2026-11-20T08:07:00+07:00'),
      mark(s2.id, people[0], 'present', '2026-11-21T08:05:00+07:00'),
    ];
    const first = await sync(trainerUser.http, batch);
    expect(first.status).toBe(200);
    expect(first.body.results.map((r: { result: string }) => r.result)).toEqual([
      'applied',
      'applied',
      'applied',
      'applied',
    ]);
    expect(await stored()).toBe(4);
    await drainAttendance(t);
    const [completed] = await t.dataSource.query(
      `SELECT status FROM enrolment WHERE class_id = $1 AND person_id = $2`,
      [c.id, people[0]],
    );
    expect(completed.status).toBe('completed');
    const reach = (await t.http.get(`/api/v1/programs/${program}/trainers/${lead}/reach`)).body.directReach;

    const replay = await sync(trainerUser.http, batch);
    expect(replay.body.results.map((r: { result: string }) => r.result)).toEqual([
      'duplicate',
      'duplicate',
      'duplicate',
      'duplicate',
    ]);
    const partial = await sync(trainerUser.http, [
      batch[2],
      mark(s2.id, people[1], 'late', '2026-11-21T08:20:00+07:00'),
    ]);
    expect(partial.body.results.map((r: { result: string }) => r.result)).toEqual(['duplicate', 'applied']);
    expect(await stored()).toBe(5);
    await drainAttendance(t);
    const [again] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM enrolment WHERE class_id = $1 AND status = 'completed'`,
      [c.id],
    );
    expect(again.n).toBe(2);
    expect((await t.http.get(`/api/v1/programs/${program}/trainers/${lead}/reach`)).body.directReach).toBe(
      reach + 1,
    );
  });

  it('resolves conflicting edits last-writer-wins by the device time, and reports them', async () => {
    const s3 = c.sessions[2];
    await sync(trainerUser.http, [mark(s3.id, people[3], 'present', '2026-11-22T08:10:00+07:00')]);
    // A second device recorded the same person earlier (absent): it loses, and is told what stands.
    const older = await sync(trainerUser.http, [
      mark(s3.id, people[3], 'absent', '2026-11-22T08:00:00+07:00'),
    ]);
    expect(older.body.results[0]).toMatchObject({
      result: 'stale',
      current: { status: 'present', method: 'offline_sync' },
    });
    // A later correction wins and reports what it replaced.
    const newer = await sync(trainerUser.http, [
      mark(s3.id, people[3], 'excused', '2026-11-22T09:00:00+07:00'),
    ]);
    expect(newer.body.results[0]).toMatchObject({ result: 'applied_over', current: { status: 'present' } });
    // Within one batch the newest mark for a person wins.
    const inBatch = await sync(trainerUser.http, [
      mark(s3.id, people[2], 'present', '2026-11-22T08:30:00+07:00'),
      mark(s3.id, people[2], 'late', '2026-11-22T08:45:00+07:00'),
    ]);
    expect(inBatch.body.results.map((r: { result: string }) => r.result)).toEqual(['superseded', 'applied']);
    const [row] = await t.dataSource.query(
      `SELECT status FROM attendance WHERE session_id = $1 AND person_id = $2`,
      [s3.id, people[2]],
    );
    expect(row.status).toBe('late');
    // A roster mark made now (server time) is newer than any of these.
    await t.http.put(`/api/v1/classes/${c.id}/sessions/${s3.id}/attendance`, {
      marks: [{ personId: people[3], status: 'present' }],
    });
    const afterRoster = await sync(trainerUser.http, [
      mark(s3.id, people[3], 'absent', '2026-11-22T10:00:00+07:00'),
    ]);
    expect(afterRoster.body.results[0].result).toBe('stale');
  });

  it('rejects bad marks one by one, never the batch', async () => {
    const stranger = await createPerson(t.http, (await communesOf(t, '19'))[0]);
    const good = mark(c.sessions[0].id, people[3], 'present', '2026-11-20T08:30:00+07:00');
    const reused = randomUUID();
    const res = await sync(trainerUser.http, [
      good,
      mark(randomUUID(), people[0], 'present', '2026-11-20T08:30:00+07:00'),
      mark(c.sessions[0].id, stranger.id, 'present', '2026-11-20T08:30:00+07:00'),
      mark(c.sessions[0].id, people[1], 'present', '2027-01-01T08:00:00+07:00'),
      mark(c.sessions[0].id, people[1], 'present', '2026-11-20T08:30:00+07:00', reused),
      mark(c.sessions[1].id, people[2], 'present', '2026-11-21T08:30:00+07:00', reused),
    ]);
    expect(res.body.results.map((r: { result: string }) => r.result)).toEqual([
      'applied',
      'rejected',
      'rejected',
      'rejected',
      'applied',
      'rejected',
    ]);
    expect(res.body.results[1].reason).toContain('không có buổi học');
    expect(res.body.results[2].reason).toContain('không có tên trong lớp');
    expect(res.body.results[3].reason).toContain('tương lai');
    // Another trainer cannot mark this class.
    const foreign = await sync(otherTrainer.http, [
      mark(c.sessions[0].id, people[0], 'absent', '2026-11-20T09:00:00+07:00'),
    ]);
    expect(foreign.body.results[0]).toMatchObject({
      result: 'rejected',
      reason: expect.stringContaining('không có quyền'),
    });
    const tooBig = await sync(
      trainerUser.http,
      Array.from({ length: 501 }, () => good),
    );
    expect([tooBig.status, tooBig.body.errors[0].field]).toEqual([400, 'marks']);
  });
  it('applies the same batch sent several times at once exactly once; the others are answered as replays', async () => {
    const s2 = c.sessions[1];
    const batch = [
      mark(s2.id, people[2], 'present', '2026-11-21T08:10:00+07:00'),
      mark(s2.id, people[3], 'late', '2026-11-21T08:40:00+07:00'),
    ];
    // On the server the class is held locked meanwhile, so the three requests all find the marks new and meet
    // at the end; the embedded database (one connection) takes them one after another.
    const holder = process.env.TEST_DATABASE_URL ? t.dataSource.createQueryRunner() : null;
    await holder?.connect();
    await holder?.startTransaction();
    await holder?.query(`SELECT 1 FROM training_class WHERE id = $1 FOR UPDATE`, [c.id]);
    const sent = Promise.all([1, 2, 3].map(() => sync(trainerUser.http, batch)));
    if (holder) {
      for (let waiting = 0; waiting < 3; await new Promise((r) => setTimeout(r, 50)))
        [{ waiting }] = await t.dataSource.query(
          `SELECT count(*)::int AS waiting FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock'`,
        );
      await holder.commitTransaction();
      await holder.release();
    }
    const answers = await sent;
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    const kinds = answers.map((a) => a.body.results.map((r: { result: string }) => r.result).join(','));
    expect(kinds.filter((k) => k === 'applied,applied')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'duplicate,duplicate')).toHaveLength(2);
    for (const answer of answers.filter((a) => a.body.results[0].result === 'duplicate'))
      expect(answer.body.results.map((r: { earlierResult: string }) => r.earlierResult)).toEqual([
        'applied',
        'applied',
      ]);
    const [recorded] = await t.dataSource.query(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE result = 'applied')::int AS applied
         FROM sync_mark WHERE client_id = ANY ($1::uuid[])`,
      [batch.map((k) => k.clientId)],
    );
    expect(recorded).toEqual({ n: 2, applied: 2 });
    const marks: { status: string; version: number }[] = await t.dataSource.query(
      `SELECT status, version FROM attendance WHERE session_id = $1 AND person_id = ANY ($2::uuid[])
        ORDER BY status`,
      [s2.id, [people[2], people[3]]],
    );
    expect(marks.map((k) => k.status)).toEqual(['late', 'present']);
  });
});
