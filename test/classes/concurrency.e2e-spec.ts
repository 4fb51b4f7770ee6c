import { FixedClock } from '../../libs/platform/src';
import { createClass, createPerson, createProgram, createTrainer, sessionsFrom } from '../support/campaign';
import { communesOf } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Many requests on one class at the same moment — the start of a session, the end of a course — must each
 * give the answer they would give alone, and leave the class's figures exact.
 */
describe('classes under concurrent requests', () => {
  // 10 minutes into the second session of a class that started yesterday (08:00–09:30 Vietnam time).
  const clock = new FixedClock(new Date('2026-11-25T08:10:00+07:00'));
  let t: TestApp;
  let communes: string[];
  let program: string;
  let lead: string;

  const enrol = (classId: string, personId: string) =>
    t.http.post(`/api/v1/classes/${classId}/enrolments`, { personId });
  const withdraw = (classId: string, enrolmentId: string) =>
    t.http.patch(`/api/v1/classes/${classId}/enrolments/${enrolmentId}`, { status: 'withdrawn' });
  const mark = (classId: string, sessionId: string, personIds: string[]) =>
    t.http.put(`/api/v1/classes/${classId}/sessions/${sessionId}/attendance`, {
      marks: personIds.map((personId) => ({ personId, status: 'present' })),
    });

  /** The seat counter and the live enrolments it stands for. */
  async function seats(classId: string): Promise<{ counted: number; live: number; capacity: number }> {
    const [row] = await t.dataSource.query(
      `SELECT c.enrolled_count AS counted, c.capacity,
              (SELECT count(*)::int FROM enrolment e WHERE e.class_id = c.id AND e.status <> 'withdrawn') AS live
         FROM training_class c WHERE c.id = $1`,
      [classId],
    );
    return row;
  }

  async function people(count: number, commune: string, phone?: (i: number) => string) {
    const made: { id: string }[] = [];
    for (let i = 0; i < count; i += 10) {
      made.push(
        ...(await Promise.all(
          Array.from({ length: Math.min(10, count - i) }, (_, j) =>
            createPerson(t.http, commune, phone ? { phone: phone(i + j), birthYear: 1980 } : {}),
          ),
        )),
      );
    }
    return made;
  }

  beforeAll(async () => {
    t = await startTestApp({ clock });
    communes = await communesOf(t, '19');
    program = (await createProgram(t.http, { completionRule: { minSessions: 2 } })).id;
    lead = (await createTrainer(t.http, program, communes[0])).id;
  });
  afterAll(() => t.close());

  it('frees one seat however many times the same learner is withdrawn at once', async () => {
    const c = await createClass(t.http, program, lead, communes[0], { capacity: 3 });
    const [a, ...rest] = await people(3, communes[0]);
    const enrolment = (await enrol(c.id, a.id)).body.id;
    for (const p of rest) expect((await enrol(c.id, p.id)).status).toBe(201);

    const answers = await Promise.all(Array.from({ length: 10 }, () => withdraw(c.id, enrolment)));
    expect(answers.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(answers.every((r) => r.body.status === 'withdrawn')).toBe(true);
    expect(await seats(c.id)).toEqual({ counted: 2, live: 2, capacity: 3 });

    // One seat was freed, so of five newcomers at once exactly one gets it.
    const newcomers = await people(5, communes[0]);
    const tries = await Promise.all(newcomers.map((p) => enrol(c.id, p.id)));
    expect(tries.filter((r) => r.status === 201)).toHaveLength(1);
    expect(tries.filter((r) => r.status === 409).map((r) => r.body.code)).toEqual(
      Array(4).fill('CLASS_FULL'),
    );
    expect(await seats(c.id)).toEqual({ counted: 3, live: 3, capacity: 3 });
  });

  it('holds the capacity under any mix of concurrent enrolments and withdrawals', async () => {
    const c = await createClass(t.http, program, lead, communes[1], { capacity: 4 });
    const first = await people(4, communes[1]);
    const enrolments = await Promise.all(first.map(async (p) => (await enrol(c.id, p.id)).body.id as string));
    const others = await people(8, communes[1]);
    const answers = await Promise.all([
      ...enrolments.flatMap((id) => [withdraw(c.id, id), withdraw(c.id, id)]),
      ...others.map((p) => enrol(c.id, p.id)),
    ]);
    expect(answers.map((r) => r.status).filter((s) => s >= 500)).toEqual([]);
    const after = await seats(c.id);
    expect(after.counted).toBe(after.live);
    expect(after.live).toBeLessThanOrEqual(4);
    // Every withdrawal answered as itself; every enrolment either got a seat or was told the class is full.
    expect(answers.slice(0, 8).every((r) => r.status === 200)).toBe(true);
    const admitted = answers.slice(8).filter((r) => r.status === 201).length;
    expect(after.live).toBe(admitted);
  });

  it('completes thirty learners marked at the same moment, without a deadlock', async () => {
    const c = await createClass(t.http, program, lead, communes[2], {
      sessions: sessionsFrom('2026-11-20', 3),
    });
    const learners = await people(30, communes[2]);
    for (const p of learners) expect((await enrol(c.id, p.id)).status).toBe(201);
    expect(
      (
        await mark(
          c.id,
          c.sessions[0].id,
          learners.map((p) => p.id),
        )
      ).status,
    ).toBe(200);

    // The second session completes each of them (two sessions are required): thirty rosters at once.
    const answers = await Promise.all(learners.map((p) => mark(c.id, c.sessions[1].id, [p.id])));
    expect(answers.map((r) => r.status)).toEqual(Array(30).fill(200));
    const [done] = await t.dataSource.query(
      `SELECT count(*)::int AS completed FROM enrolment WHERE class_id = $1 AND status = 'completed'`,
      [c.id],
    );
    expect(done.completed).toBe(30);
    const reach = await t.http.get(`/api/v1/programs/${program}/trainers/${lead}/reach`);
    expect(reach.body.directReach).toBe(30);
  });

  it('takes a hundred QR check-ins to one session at once', async () => {
    const c = await createClass(t.http, program, lead, communes[3], {
      capacity: 120,
      sessions: sessionsFrom('2026-11-24', 3),
    });
    const phone = (i: number) => `0912${String(100_000 + i).padStart(6, '0')}`;
    const learners = await people(100, communes[3], phone);
    for (const p of learners) expect((await enrol(c.id, p.id)).status).toBe(201);
    // Yesterday's session attended, so today's check-in completes each learner as it arrives.
    expect(
      (
        await mark(
          c.id,
          c.sessions[0].id,
          learners.map((p) => p.id),
        )
      ).status,
    ).toBe(200);
    const token = (await t.http.get(`/api/v1/classes/${c.id}/sessions/${c.sessions[1].id}/checkin`)).body
      .token;

    const answers = await Promise.all(
      learners.map((_, i) =>
        fetch(`${t.baseUrl}/checkin/${token}`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ identifier: phone(i), birthYear: '1980' }),
        }).then((r) => r.status),
      ),
    );
    expect(answers).toEqual(Array(100).fill(200));
    const [row] = await t.dataSource.query(
      `SELECT (SELECT count(*)::int FROM attendance WHERE session_id = $2 AND method = 'qr') AS checked,
              (SELECT count(*)::int FROM enrolment WHERE class_id = $1 AND status = 'completed') AS completed`,
      [c.id, c.sessions[1].id],
    );
    expect(row).toEqual({ checked: 100, completed: 100 });
  });
});
