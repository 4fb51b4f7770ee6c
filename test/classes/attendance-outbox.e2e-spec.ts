import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { AttendanceDerivedWork, AttendanceRepository, CompletionService } from '../../libs/classes/src';
import { KpiFactsRepository } from '../../libs/kpi/src';
import { FixedClock } from '../../libs/platform/src';
import { createClass, createPerson, createProgram, createTrainer } from '../support/campaign';
import { communesOf } from '../support/fixtures';
import { drainAttendance } from '../support/jobs';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Offline sync stores marks and an outbox row; the worker's pass derives completion, reach, certificates and
 * KPI facts from them. The figures it leaves must be exactly what a recomputation from scratch gives, and a
 * pass or a sync that dies half-way must lose nothing that was acknowledged.
 */
describe('offline sync: the outbox of derived work', () => {
  const clock = new FixedClock(new Date('2026-11-25T10:00:00+07:00'));
  let t: TestApp;
  let program: string;
  let lead: string;
  let classes: Awaited<ReturnType<typeof createClass>>[];
  let people: string[][];
  /** When set, the next pass dies here, inside its transaction (after completion and reach were written). */
  let failure: ((m: EntityManager) => Promise<void>) | null = null;
  let embedded = false;

  beforeAll(async () => {
    t = await startTestApp({ clock });
    embedded = (await t.dataSource.query(`SELECT version() LIKE '%PGlite%' AS embedded`))[0].embedded;
    const communes = await communesOf(t, '19');
    program = (await createProgram(t.http)).id;
    const leadPerson = await createPerson(t.http, communes[0]);
    lead = (await createTrainer(t.http, program, communes[0], { personId: leadPerson.id })).id;
    classes = [];
    people = [];
    for (let k = 0; k < 3; k++) {
      const c = await createClass(t.http, program, lead, communes[k]);
      const enrolled: string[] = [];
      for (let i = 0; i < 5; i++) {
        const p = await createPerson(t.http, communes[k]);
        await t.http.post(`/api/v1/classes/${c.id}/enrolments`, { personId: p.id });
        enrolled.push(p.id);
      }
      classes.push(c);
      people.push(enrolled);
    }
    t.app.get(CompletionService).listen({
      completionChanged: async (m) => {
        const fail = failure;
        failure = null;
        if (fail) await fail(m);
      },
    });
  });
  afterAll(() => t.close());

  /**
   * The connection of the transaction in progress is cut, as when its process is killed or the server goes
   * away. The embedded database has one connection, which cannot be killed without ending the test: there
   * the transaction fails instead, which PostgreSQL treats the same way (rolled back, nothing kept).
   */
  const cutConnection = async (m: EntityManager) => {
    if (embedded) throw new Error('connection lost');
    await m.query(`SELECT pg_terminate_backend(pg_backend_pid())`);
  };
  const sync = (marks: unknown[]) => t.http.post('/api/v1/attendance/sync', { marks });
  /** Every session of class k marked for its learners (present unless said otherwise). */
  const batch = (k: number, status = 'present') =>
    classes[k].sessions.flatMap((s, j) =>
      people[k].map((personId) => ({
        clientId: randomUUID(),
        sessionId: s.id,
        personId,
        status,
        recordedAt: new Date(Date.parse(s.startsAt) + (j + 1) * 60_000).toISOString(),
      })),
    );
  const outbox = async () =>
    (await t.dataSource.query(`SELECT count(*)::int AS n FROM attendance_outbox`))[0].n as number;
  const completed = async () =>
    (
      await t.dataSource.query(
        `SELECT count(*)::int AS n FROM enrolment e JOIN training_class c ON c.id = e.class_id
          WHERE c.program_id = $1 AND e.status = 'completed'`,
        [program],
      )
    )[0].n as number;
  const reached = async () =>
    (await t.http.get(`/api/v1/programs/${program}/kpi?unit=19&period=2026`)).body.indicators.find(
      (d: { code: string }) => d.code === 'learners_reached',
    ).actual as number;

  /**
   * What the derived tables hold, then what a recomputation from scratch makes of the same marks (completion
   * of every enrolment, reach from completions, every KPI fact rebuilt), rolled back.
   */
  async function derivedAndFromScratch(): Promise<{ derived: unknown; scratch: unknown }> {
    const rows = (list: unknown[]) => list.map((r) => JSON.stringify(r)).sort();
    const snapshot = async (m: EntityManager) => ({
      enrolments: await m.query(
        `SELECT e.id, e.status, e.attended_sessions, e.completed_at FROM enrolment e
           JOIN training_class c ON c.id = e.class_id WHERE c.program_id = $1 ORDER BY e.id`,
        [program],
      ),
      reach: rows(
        await m.query(
          `SELECT trainer_id AS "trainerId", person_id AS "personId", reached_on::text AS "reachedOn"
             FROM reach_fact WHERE program_id = $1`,
          [program],
        ),
      ),
      directReach: rows(
        await m.query(
          `SELECT t.id, (SELECT count(*)::int FROM reach_fact f WHERE f.trainer_id = t.id) AS n
             FROM trainer t WHERE t.program_id = $1`,
          [program],
        ),
      ),
      personFacts: rows(await m.query(`SELECT * FROM kpi_person_fact WHERE program_id = $1`, [program])),
      recordFacts: rows(await m.query(`SELECT * FROM kpi_record_fact WHERE program_id = $1`, [program])),
      // Sums that fell back to zero are the same figures as no row.
      monthly: rows(
        await m.query(
          `SELECT * FROM kpi_monthly WHERE program_id = $1
              AND reached + completed + proficient + classes_held + certificates_issued <> 0`,
          [program],
        ),
      ),
    });
    const runner = t.dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      const m = runner.manager;
      const derived = await snapshot(m);
      const attendance = t.app.get(AttendanceRepository);
      const ids: { id: string }[] = await m.query(
        `SELECT e.id FROM enrolment e JOIN training_class c ON c.id = e.class_id WHERE c.program_id = $1`,
        [program],
      );
      const decided = await attendance.recomputeCompletion(
        m,
        ids.map((r) => r.id),
      );
      const reach = await attendance.reachDays(
        m,
        decided
          .filter((d) => d.kind === 'citizen')
          .map((d) => ({ trainerId: d.leadTrainerId, personId: d.personId })),
      );
      await t.app.get(KpiFactsRepository).rebuild(program, m);
      const scratch = await snapshot(m);
      const fresh = [
        ...new Map(reach.filter((r) => r.reachedOn !== null).map((r) => [JSON.stringify(r), r])).values(),
      ];
      scratch.reach = rows(fresh);
      scratch.directReach = rows(
        derived.directReach.map((json) => {
          const { id } = JSON.parse(json) as { id: string };
          return { id, n: fresh.filter((r) => r.trainerId === id).length };
        }),
      );
      // The stored counter agrees with the facts.
      const counters: { id: string; n: number }[] = await m.query(
        `SELECT id, direct_reach AS n FROM trainer WHERE program_id = $1`,
        [program],
      );
      return {
        derived: { ...derived, counters: rows(counters) },
        scratch: { ...scratch, counters: derived.directReach },
      };
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  }

  it('acknowledges a batch with its marks and one outbox row; the pass brings the figures, exactly', async () => {
    const before = await reached();
    const res = await sync(batch(0));
    expect(res.status).toBe(200);
    expect(new Set(res.body.results.map((r: { result: string }) => r.result))).toEqual(new Set(['applied']));
    const [row] = await t.dataSource.query(
      `SELECT cardinality(class_ids) AS n, cardinality(person_ids) AS m FROM attendance_outbox`,
    );
    // One row per batch, naming the (class, person) pair of each mark written.
    expect(row).toEqual({ n: 15, m: 15 });
    expect(await completed()).toBe(0);
    // A job is queued for the worker to do it.
    const [job] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM job WHERE kind = 'attendance.derive' AND status = 'queued'`,
    );
    expect(job.n).toBe(1);
    // Until the pass runs, the figures lag the marks (and the check below would see it).
    const lagging = await derivedAndFromScratch();
    expect(lagging.derived).not.toEqual(lagging.scratch);

    expect(await t.app.get(AttendanceDerivedWork).drain()).toEqual({ rows: 1, pairs: 5 });
    expect(await outbox()).toBe(0);
    expect(await completed()).toBe(5);
    expect(await reached()).toBe(before + 5);
    const { derived, scratch } = await derivedAndFromScratch();
    expect(derived).toEqual(scratch);
  });

  it('coalesces: many batches for the same people are one pass of distinct pairs', async () => {
    // The same learners corrected three times (absent, then present again, then one absent).
    expect((await sync(batch(1, 'absent'))).status).toBe(200);
    expect((await sync(batch(1, 'present'))).status).toBe(200);
    const last = batch(1, 'present').map((k, i) => (i === 0 ? { ...k, status: 'absent' } : k));
    expect((await sync(last)).status).toBe(200);
    expect(await outbox()).toBe(3);
    expect(await t.app.get(AttendanceDerivedWork).pass(3)).toEqual({ rows: 3, pairs: 5 });
    const { derived, scratch } = await derivedAndFromScratch();
    expect(derived).toEqual(scratch);
  });

  it('a batch over several classes is audited once per class, in one statement, each with its own marks', async () => {
    const marks = [...batch(1, 'late'), ...batch(2, 'excused')];
    expect((await sync(marks)).status).toBe(200);
    const entries: { entity_id: string; n: number; paths: string[] }[] = await t.dataSource.query(
      `SELECT entity_id, jsonb_array_length(after -> 'marks')::int AS n, scope_paths AS paths FROM audit_log
        WHERE action = 'attendance.synced' AND entity_id = ANY ($1::text[]) ORDER BY id DESC LIMIT 2`,
      [[classes[1].id, classes[2].id]],
    );
    const [unit1, unit2] = await Promise.all(
      [classes[1], classes[2]].map(
        async (c) =>
          (
            await t.dataSource.query(
              `SELECT u.path FROM training_class c JOIN admin_unit u ON u.id = c.unit_id WHERE c.id = $1`,
              [c.id],
            )
          )[0].path as string,
      ),
    );
    const byClass = (a: { entity_id: string }, b: { entity_id: string }) =>
      a.entity_id.localeCompare(b.entity_id);
    expect(entries.sort(byClass)).toEqual(
      [
        { entity_id: classes[1].id, n: 15, paths: [unit1] },
        { entity_id: classes[2].id, n: 15, paths: [unit2] },
      ].sort(byClass),
    );
    await drainAttendance(t);
  });

  it('a pass that dies mid-batch (its connection killed, as when the worker is) leaves its rows; the next converges', async () => {
    const completedBefore = await completed();
    const reachedBefore = await reached();
    expect((await sync(batch(2))).status).toBe(200);
    expect((await sync(batch(0, 'absent'))).status).toBe(200);
    expect(await outbox()).toBe(2);

    // The worker's connection is cut after completion and reach were written, before the KPI facts.
    failure = async (m) => {
      await cutConnection(m);
    };
    await expect(t.app.get(AttendanceDerivedWork).pass()).rejects.toThrow();
    expect(await outbox()).toBe(2);
    expect(await completed()).toBe(completedBefore);
    expect(await reached()).toBe(reachedBefore);

    // An error thrown half-way (a bug, a deadlock victim) is the same: nothing of the pass stays.
    failure = async () => {
      throw new Error('stopped');
    };
    await expect(t.app.get(AttendanceDerivedWork).pass()).rejects.toThrow('stopped');
    expect(await outbox()).toBe(2);

    await drainAttendance(t);
    expect(await outbox()).toBe(0);
    // Class 2's learners completed; class 0's were marked absent everywhere and no longer complete.
    expect(await completed()).toBe(completedBefore + 5 - 5);
    const { derived, scratch } = await derivedAndFromScratch();
    expect(derived).toEqual(scratch);
  });

  it('a sync whose transaction dies is not acknowledged and leaves nothing half-done; acknowledged ones stay', async () => {
    const base = await completed();
    const acknowledged = batch(2, 'late');
    expect((await sync(acknowledged)).status).toBe(200);
    // The next batch's connection dies as it records its derived work, before commit.
    const derivedWork = t.app.get(AttendanceDerivedWork);
    const spy = jest.spyOn(derivedWork, 'record').mockImplementationOnce(async (m) => {
      await cutConnection(m);
    });
    const lost = batch(0, 'present');
    const failed = await sync(lost);
    spy.mockRestore();
    // A lost connection is "retry later" (503); the embedded stand-in is an unexpected error.
    expect(failed.status).toBe(embedded ? 500 : 503);
    // Nothing of it was stored, not even its client ids: sending it again is applied, not a duplicate.
    const [{ n }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM sync_mark WHERE client_id = ANY ($1::uuid[])`,
      [lost.map((k) => k.clientId)],
    );
    expect(n).toBe(0);
    // The acknowledged batch kept its marks and its outbox row.
    const [kept] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM attendance WHERE class_id = $1 AND status = 'late'`,
      [classes[2].id],
    );
    expect(kept.n).toBe(15);
    expect(await outbox()).toBe(1);

    const again = await sync(lost);
    expect(again.status).toBe(200);
    // Class 0 was marked absent at the same device times: these marks replace them.
    expect(new Set(again.body.results.map((r: { result: string }) => r.result))).toEqual(
      new Set(['applied_over']),
    );
    await drainAttendance(t);
    expect(await completed()).toBe(base + 5);
    const { derived, scratch } = await derivedAndFromScratch();
    expect(derived).toEqual(scratch);
  });
});
