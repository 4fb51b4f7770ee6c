import { randomUUID } from 'node:crypto';
import { FixedClock } from '../../libs/platform/src';
import { createClass, createPerson, createProgram, createTrainer, sessionsFrom } from '../support/campaign';
import { communesOf } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

describe('classes, enrolment and completion', () => {
  const clock = new FixedClock(new Date('2026-11-25T10:00:00+07:00'));
  let t: TestApp;
  let communes: string[];
  let program: string;
  let lead: string;

  const reach = async (trainer: string) =>
    (await t.http.get(`/api/v1/programs/${program}/trainers/${trainer}/reach`)).body;
  const enrol = async (classId: string, body: unknown) =>
    t.http.post(`/api/v1/classes/${classId}/enrolments`, body);
  const mark = (classId: string, sessionId: string, marks: { personId: string; status: string }[]) =>
    t.http.put(`/api/v1/classes/${classId}/sessions/${sessionId}/attendance`, { marks });

  beforeAll(async () => {
    t = await startTestApp({ clock });
    communes = await communesOf(t, '19');
    program = (await createProgram(t.http, { completionRule: { minSessions: 2 } })).id;
    lead = (await createTrainer(t.http, program, communes[0])).id;
  });
  afterAll(() => t.close());

  it('opens a class with 2–4 sessions and moves it through its statuses', async () => {
    const bad = await t.http.post('/api/v1/classes', {
      programId: program,
      level: 6,
      kind: 'citizen',
      title: 'Lớp thử',
      leadTrainerId: lead,
      unitCode: '19000',
      venueType: 'stadium',
      mode: 'in_person',
      capacity: 0,
      sessions: sessionsFrom('2026-11-20', 1),
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'capacity',
      'level',
      'venueType',
    ]);
    const tooMany = await t.http.post('/api/v1/classes', {
      programId: program,
      level: 1,
      kind: 'citizen',
      title: 'Lớp thử',
      leadTrainerId: lead,
      unitCode: communes[0],
      venueType: 'library',
      mode: 'in_person',
      capacity: 10,
      sessions: sessionsFrom('2026-11-20', 5),
    });
    expect(tooMany.body.errors).toEqual([
      expect.objectContaining({ field: 'sessions', reason: expect.stringContaining('từ 2 đến 4') }),
    ]);

    const created = await createClass(t.http, program, lead, communes[0], {}, { draft: true });
    expect(created.body).toMatchObject({
      status: 'draft',
      capacity: 40,
      enrolledCount: 0,
      leadTrainer: { id: lead },
    });
    expect(created.sessions.map((s) => s.position)).toEqual([1, 2, 3]);
    const jump = await t.http.post(`/api/v1/classes/${created.id}/status`, { status: 'completed' });
    expect([jump.status, jump.body.code]).toEqual([409, 'CLASS_STATUS_TRANSITION']);
    for (const status of ['scheduled', 'in_progress', 'completed']) {
      expect((await t.http.post(`/api/v1/classes/${created.id}/status`, { status })).body.status).toBe(
        status,
      );
    }
  });

  it('never exceeds capacity, even under concurrent enrolments', async () => {
    const c = await createClass(t.http, program, lead, communes[1], { capacity: 5 });
    const people = await Promise.all(Array.from({ length: 20 }, () => createPerson(t.http, communes[1])));
    const results = await Promise.all(people.map((p) => enrol(c.id, { personId: p.id })));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(5);
    expect(results.filter((r) => r.status === 409).map((r) => r.body.code)).toEqual(
      Array(15).fill('CLASS_FULL'),
    );
    const [row] = await t.dataSource.query(
      `SELECT c.enrolled_count AS counted, (SELECT count(*)::int FROM enrolment e WHERE e.class_id = c.id) AS actual
         FROM training_class c WHERE c.id = $1`,
      [c.id],
    );
    expect(row).toEqual({ counted: 5, actual: 5 });
    const again = await enrol(c.id, { personId: results.find((r) => r.status === 201)!.body.person.id });
    expect(again.status).toBe(409);
  });

  it('enrols existing people, registers new ones inline and walk-ins with minimal data', async () => {
    const c = await createClass(t.http, program, lead, communes[2]);
    const existing = await createPerson(t.http, communes[2], {
      fullName: 'Hà Thị Mơ',
      birthYear: 1970,
      gender: 'female',
    });
    expect((await enrol(c.id, { personId: existing.id })).status).toBe(201);
    const inline = await enrol(c.id, {
      person: {
        fullName: 'Hà Thị Mơ',
        birthYear: 1970,
        gender: 'female',
        communeCode: communes[2],
        segment: 'farmer',
      },
    });
    expect(inline.status).toBe(201);
    // The inline registration followed the people module's duplicate rules.
    const queue = await t.http.get('/api/v1/people/duplicates?limit=500');
    expect(
      queue.body.items.some((d: { people: { id: string }[] }) =>
        d.people.some((p) => p.id === inline.body.person.id),
      ),
    ).toBe(true);
    const walkIn = await enrol(c.id, {
      walkIn: { fullName: 'Lục Văn Tám', birthYear: 1958, phone: '0977 111 222' },
    });
    expect(walkIn.status).toBe(201);
    expect(walkIn.body).toMatchObject({ walkIn: true, person: { fullName: 'Lục Văn Tám', birthYear: 1958 } });
    const both = await enrol(c.id, { personId: existing.id, walkIn: { fullName: 'X Y', birthYear: 1990 } });
    expect(both.status).toBe(400);
  });

  it('completes exactly at the threshold, reverts on correction, and keeps reach in step', async () => {
    const c = await createClass(t.http, program, lead, communes[3]);
    const learner = await createPerson(t.http, communes[3]);
    const e = (await enrol(c.id, { personId: learner.id })).body;
    const before = (await reach(lead)).directReach;
    const [s1, s2, s3] = c.sessions;

    const status = async () =>
      (await t.http.get(`/api/v1/classes/${c.id}/enrolments`)).body.find(
        (x: { id: string }) => x.id === e.id,
      );
    await mark(c.id, s1.id, [{ personId: learner.id, status: 'present' }]);
    expect(await status()).toMatchObject({ status: 'enrolled', attendedSessions: 1 });
    expect((await t.http.get(`/api/v1/classes/${c.id}`)).body.status).toBe('in_progress');
    await mark(c.id, s2.id, [{ personId: learner.id, status: 'excused' }]);
    expect(await status()).toMatchObject({ status: 'enrolled', attendedSessions: 1 });
    await mark(c.id, s3.id, [{ personId: learner.id, status: 'late' }]);
    // Two of three attended (late counts): the rule "at least 2" is met at the start of session 3.
    expect(await status()).toMatchObject({
      status: 'completed',
      attendedSessions: 2,
      completedAt: new Date(s3.startsAt).toISOString(),
    });
    expect((await reach(lead)).directReach).toBe(before + 1);

    await mark(c.id, s3.id, [{ personId: learner.id, status: 'absent' }]);
    expect(await status()).toMatchObject({ status: 'enrolled', completedAt: null });
    expect((await reach(lead)).directReach).toBe(before);
    await mark(c.id, s2.id, [{ personId: learner.id, status: 'present' }]);
    expect(await status()).toMatchObject({
      status: 'completed',
      completedAt: new Date(s2.startsAt).toISOString(),
    });
    expect((await reach(lead)).directReach).toBe(before + 1);

    const outcome = await t.http.patch(`/api/v1/classes/${c.id}/enrolments/${e.id}`, {
      canApplyAiTool: true,
      score: 8.5,
    });
    expect(outcome.body).toMatchObject({ canApplyAiTool: true, score: 8.5 });
    const withdrawn = await t.http.patch(`/api/v1/classes/${c.id}/enrolments/${e.id}`, {
      status: 'withdrawn',
    });
    expect(withdrawn.body.status).toBe('withdrawn');
    expect((await reach(lead)).directReach).toBe(before);
    expect((await t.http.get(`/api/v1/classes/${c.id}`)).body.enrolledCount).toBe(0);
  });

  it('applies a completion rule given as a share of the sessions', async () => {
    const shareProgram = (await createProgram(t.http, { completionRule: { minShare: 0.67 } })).id;
    const shareLead = (await createTrainer(t.http, shareProgram, communes[4])).id;
    const c = await createClass(t.http, shareProgram, shareLead, communes[4]);
    const learner = await createPerson(t.http, communes[4]);
    await enrol(c.id, { personId: learner.id });
    await mark(c.id, c.sessions[0].id, [{ personId: learner.id, status: 'present' }]);
    await mark(c.id, c.sessions[2].id, [{ personId: learner.id, status: 'present' }]);
    const [e] = (await t.http.get(`/api/v1/classes/${c.id}/enrolments`)).body;
    expect(e).toMatchObject({ status: 'completed', attendedSessions: 2 });
  });

  it('graduates a training-of-trainers class into trainers trained by its lead, in one action', async () => {
    const tot = await createClass(t.http, program, lead, communes[5], {
      kind: 'training_of_trainers',
      level: 5,
    });
    const a = await createPerson(t.http, communes[5]);
    const b = await createPerson(t.http, communes[6]);
    await enrol(tot.id, { personId: a.id });
    await enrol(tot.id, { personId: b.id });
    for (const s of tot.sessions.slice(0, 2))
      await mark(tot.id, s.id, [
        { personId: a.id, status: 'present' },
        { personId: b.id, status: 'absent' },
      ]);
    const res = await t.http.post(`/api/v1/classes/${tot.id}/graduations`, {});
    expect(res.status).toBe(201);
    expect(res.body.created).toHaveLength(1);
    expect(res.body.skipped).toEqual([expect.objectContaining({ reason: 'chưa hoàn thành lớp' })]);
    const trainer = await t.http.get(`/api/v1/programs/${program}/trainers/${res.body.created[0]}`);
    expect(trainer.body).toMatchObject({
      person: { id: a.id },
      trainedBy: { id: lead },
      homeUnit: { code: communes[5] },
      generation: 1,
    });
    // Graduating from a training-of-trainers class does not count as reach.
    expect(
      (await t.http.get(`/api/v1/programs/${program}/trainers/${lead}/reach`)).body.cascadeReach,
    ).toBeGreaterThanOrEqual(0);
    const again = await t.http.post(`/api/v1/classes/${tot.id}/graduations`, {});
    expect(again.body.created).toEqual([]);
    expect(again.body.skipped.map((x: { reason: string }) => x.reason).sort()).toEqual([
      'chưa hoàn thành lớp',
      'đã là giảng viên của chương trình',
    ]);
    const citizen = await createClass(t.http, program, lead, communes[5]);
    expect((await t.http.post(`/api/v1/classes/${citizen.id}/graduations`, {})).body.code).toBe(
      'CLASS_NOT_TOT',
    );
  });

  it('merging two records moves enrolments and marks; the person is counted once', async () => {
    const c1 = await createClass(t.http, program, lead, communes[7]);
    const c2 = await createClass(t.http, program, lead, communes[7]);
    const a = await createPerson(t.http, communes[7], { fullName: 'Dương Văn Khoa', birthYear: 1977 });
    const b = await createPerson(t.http, communes[7], { fullName: 'Dương Văn Khoa', birthYear: 1977 });
    await enrol(c1.id, { personId: a.id });
    await enrol(c1.id, { personId: b.id });
    await enrol(c2.id, { personId: b.id });
    // In c1 each record attended one session: neither completed. Together they did.
    await mark(c1.id, c1.sessions[0].id, [{ personId: a.id, status: 'present' }]);
    await mark(c1.id, c1.sessions[1].id, [{ personId: b.id, status: 'present' }]);
    for (const s of c2.sessions.slice(0, 2)) await mark(c2.id, s.id, [{ personId: b.id, status: 'present' }]);
    const before = (await reach(lead)).directReach;

    const merged = await t.http.post(`/api/v1/people/${a.id}/merge`, { sourceIds: [b.id] });
    expect(merged.status).toBe(200);
    const roster1 = (await t.http.get(`/api/v1/classes/${c1.id}/enrolments`)).body;
    expect(roster1).toEqual([
      expect.objectContaining({
        person: expect.objectContaining({ id: a.id }),
        status: 'completed',
        attendedSessions: 2,
      }),
    ]);
    expect((await t.http.get(`/api/v1/classes/${c1.id}`)).body.enrolledCount).toBe(1);
    const roster2 = (await t.http.get(`/api/v1/classes/${c2.id}/enrolments`)).body;
    expect(roster2).toEqual([
      expect.objectContaining({ person: expect.objectContaining({ id: a.id }), status: 'completed' }),
    ]);
    // b was reached (through c2) before; now a is, once.
    expect((await reach(lead)).directReach).toBe(before);
    const [{ n }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM attendance WHERE person_id = $1`,
      [b.id],
    );
    expect(n).toBe(0);
  });

  it('takes no marks for a session not yet held, so nobody completes on tomorrow', async () => {
    // Today's session started at 08:00 (it is 10:00); tomorrow's has not.
    const c = await createClass(t.http, program, lead, communes[6], {
      sessions: sessionsFrom('2026-11-25', 3),
    });
    const learner = await createPerson(t.http, communes[6]);
    expect((await enrol(c.id, { personId: learner.id })).status).toBe(201);
    const [today, tomorrow] = c.sessions;
    expect((await mark(c.id, today.id, [{ personId: learner.id, status: 'present' }])).status).toBe(200);

    const early = await mark(c.id, tomorrow.id, [{ personId: learner.id, status: 'present' }]);
    expect([early.status, early.body.code]).toEqual([409, 'SESSION_NOT_STARTED']);
    expect(early.body.detail).toContain('Buổi 2 chưa diễn ra (bắt đầu lúc 08:00 26/11/2026)');
    const synced = await t.http.post('/api/v1/attendance/sync', {
      marks: [
        {
          clientId: randomUUID(),
          sessionId: tomorrow.id,
          personId: learner.id,
          status: 'present',
          recordedAt: clock.now().toISOString(),
        },
      ],
    });
    expect(synced.body.results).toEqual([
      expect.objectContaining({ result: 'rejected', reason: 'buổi học chưa diễn ra' }),
    ]);

    const [row] = await t.dataSource.query(
      `SELECT e.status, e.attended_sessions AS attended,
              (SELECT count(*)::int FROM certificate k WHERE k.person_id = e.person_id) AS certificates
         FROM enrolment e WHERE e.class_id = $1`,
      [c.id],
    );
    expect(row).toEqual({ status: 'enrolled', attended: 1, certificates: 0 });
  });
});
