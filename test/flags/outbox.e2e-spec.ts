import { FlagDetector } from '../../libs/flags/src';
import { communesOf } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { fixture, Fixture, flagsOf, sessionAgo } from './support';

/**
 * Flags are raised by the detector's job, out of the request: a roster stores its marks and one outbox row,
 * and the job evaluates every pattern over the rows waiting. Nothing written is left unexamined if the job
 * dies mid-pass, and many rosters are one evaluation.
 */
describe('data-honesty flags: the detector outbox', () => {
  let t: TestApp;
  let A: string;
  let embedded = false;

  beforeAll(async () => {
    t = await startTestApp();
    embedded = (await t.dataSource.query(`SELECT version() LIKE '%PGlite%' AS embedded`))[0].embedded;
    [A] = await communesOf(t, '19');
  });
  afterAll(() => t.close());

  const outbox = async () =>
    (await t.dataSource.query(`SELECT count(*)::int AS n FROM data_flag_outbox`))[0].n as number;
  const stored = async (programId: string) =>
    (
      await t.dataSource.query(`SELECT count(*)::int AS n FROM data_flag WHERE program_id = $1`, [programId])
    )[0].n as number;
  /** Every learner present at the session (received now, days after it ended: back-filled). */
  const markAll = async (f: Fixture, session: number) => {
    const res = await t.http.put(
      `/api/v1/classes/${f.classId}/sessions/${f.sessions[session].id}/attendance`,
      {
        marks: f.people.map((personId) => ({ personId, status: 'present' })),
      },
    );
    expect(res.status).toBe(200);
  };

  it('a roster leaves one outbox row and no flag yet; the job raises it; a pass that dies leaves the row', async () => {
    const f = await fixture(t, A, { sessions: [sessionAgo(120), sessionAgo(100)], learners: 4 });
    expect(await outbox()).toBe(0);
    await markAll(f, 0);
    expect(await outbox()).toBe(1);
    expect(await stored(f.programId)).toBe(0);
    // A job is queued for it, in the roster's transaction.
    const [job]: { n: number }[] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM job WHERE kind = 'flags.detect' AND status = 'queued'`,
    );
    expect(job.n).toBe(1);

    // The pass's connection is cut as it writes the flags, as when the worker is killed (the embedded
    // database has one connection: there the statement fails instead). Nothing of the pass stays; the row
    // waits. A trigger does it, so the fault is the database's, not a stand-in.
    await t.dataSource.query(`
      CREATE FUNCTION test_cut_flag_pass() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        ${embedded ? '' : 'PERFORM pg_terminate_backend(pg_backend_pid());'}
        RAISE EXCEPTION 'connection lost';
      END $$`);
    await t.dataSource.query(
      `CREATE TRIGGER test_cut_flag_pass AFTER INSERT ON data_flag FOR EACH STATEMENT EXECUTE FUNCTION test_cut_flag_pass()`,
    );
    await expect(t.app.get(FlagDetector).drain()).rejects.toThrow();
    await t.dataSource.query(`DROP TRIGGER test_cut_flag_pass ON data_flag`);
    await t.dataSource.query(`DROP FUNCTION test_cut_flag_pass()`);
    expect(await outbox()).toBe(1);
    expect(await stored(f.programId)).toBe(0);

    expect(await t.app.get(FlagDetector).drain()).toEqual({ rows: 1, pairs: 4 });
    expect(await outbox()).toBe(0);
    const flags = await flagsOf(t, f.programId);
    expect(flags.map((x) => [x.pattern, x.records])).toEqual([['backfilled', 4]]);
    expect(flags[0].evidence).toMatchObject({ sessionId: f.sessions[0].id, marks: 4 });
  });

  it('many rosters are one pass over their distinct pairs, and raise what each roster alone would', async () => {
    const classes = [];
    for (let k = 0; k < 3; k++)
      classes.push(await fixture(t, A, { sessions: [sessionAgo(120), sessionAgo(100)], learners: 3 }));
    for (const f of classes) await markAll(f, 0);
    // The same session marked again: the same pairs, coalesced.
    await markAll(classes[0], 0);
    expect(await outbox()).toBe(4);
    expect(await t.app.get(FlagDetector).drain()).toEqual({ rows: 4, pairs: 9 });
    for (const f of classes) {
      const flags = await flagsOf(t, f.programId);
      expect(flags.map((x) => [x.pattern, x.records, x.classId])).toEqual([['backfilled', 3, f.classId]]);
    }
  });
});
