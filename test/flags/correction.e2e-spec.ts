import { randomUUID } from 'node:crypto';
import { createPerson, createProgram } from '../support/campaign';
import { communesOf } from '../support/fixtures';
import { drainAttendance } from '../support/jobs';
import { partnerPerson, partnerWithKey } from '../support/partners';
import { startTestApp, TestApp } from '../support/test-app';
import { fixture, flagSplit, flagsOf, offline, roster, sessionAgo, type FlagRow } from './support';

/**
 * An open flag whose evidence no longer holds once its records are corrected closes itself: status `resolved`,
 * a distinct state (never a reviewer's decision), audited with the reason; its people follow the evidence while
 * it stays open; a decided flag stays decided; a resolved flag opens again when its evidence is back. One case
 * per pattern that a correction of records can undo, on PostgreSQL, on the real clock.
 */
describe('data-honesty flags resolved by correction', () => {
  let t: TestApp;
  let A: string;
  let B: string;

  beforeAll(async () => {
    t = await startTestApp();
    [A, B] = await communesOf(t, '19');
  });
  afterAll(() => t.close());

  const only = async (programId: string, pattern: string): Promise<FlagRow> => {
    const flags = (await flagsOf(t, programId)).filter((f) => f.pattern === pattern);
    expect(flags).toHaveLength(1);
    return flags[0];
  };
  const trail = async (id: string) =>
    (
      await t.dataSource.query(
        `SELECT action, before, after FROM audit_log WHERE entity_type = 'data_flag' AND entity_id = $1 ORDER BY id`,
        [id],
      )
    ).map((r: { action: string; before: { status: string }; after: { status: string; reason: string } }) => ({
      action: r.action,
      from: r.before.status,
      to: r.after.status,
      reason: r.after.reason,
    }));
  /** The flag closed itself: resolved, with the time and reason kept, nobody named as deciding, audited. */
  const expectResolved = async (flag: FlagRow) => {
    const [row] = await t.dataSource.query(
      `SELECT status, decided_by, decided_at, decision_reason FROM data_flag WHERE id = $1`,
      [flag.id],
    );
    expect(row).toMatchObject({ status: 'resolved', decided_by: null });
    expect(row.decided_at).not.toBeNull();
    expect(row.decision_reason).toMatch(/^Tự đóng/);
    expect((await trail(flag.id)).filter((a: { action: string }) => a.action === 'flag.resolved')).toEqual([
      { action: 'flag.resolved', from: 'open', to: 'resolved', reason: row.decision_reason },
    ]);
  };

  it('back-filled marks: people follow the evidence, a correction closes it, the evidence back opens it again', async () => {
    const f = await fixture(t, A, { sessions: [sessionAgo(120), sessionAgo(100)], learners: 3 });
    await roster(t, f, 0);
    const flag = await only(f.programId, 'backfilled');
    expect(flag.records).toBe(3);

    // One back-filled presence corrected to absent: still open, its people are the two left.
    await roster(t, f, 0, [f.people[0]]);
    const fewer = await only(f.programId, 'backfilled');
    expect(fewer).toMatchObject({ id: flag.id, status: 'open', records: 2 });
    expect(fewer.people.sort()).toEqual(f.people.slice(1).sort());

    // All corrected: no back-filled presence left.
    await roster(t, f, 0, f.people);
    await expectResolved(flag);
    // The people are verified again: nobody is flagged in the program.
    const split = await flagSplit(t, f.programId, '19');
    expect(split.figures.every((x) => x.flagged === 0)).toBe(true);
    // The resolved flag is in its own queue, and no reviewer can decide on it.
    const queue = await t.http.get(`/api/v1/flags?programId=${f.programId}&status=resolved`);
    expect(queue.body.items.map((x: { id: string }) => x.id)).toEqual([flag.id]);
    expect((await t.http.get(`/api/v1/flags/${flag.id}`)).body).toMatchObject({
      status: 'resolved',
      canDecide: false,
    });
    const decided = await t.http.post(`/api/v1/flags/${flag.id}/decision`, {
      decision: 'clear',
      reason: 'Hợp lệ',
    });
    expect(decided.status).toBe(409);
    expect(decided.body.code).toBe('FLAG_RESOLVED_BY_CORRECTION');

    // Marked present again, long after: the same flag opens again, audited.
    await roster(t, f, 0);
    const back = await only(f.programId, 'backfilled');
    expect(back).toMatchObject({ id: flag.id, status: 'open', records: 3 });
    expect((await trail(flag.id)).map((a: { action: string }) => a.action)).toEqual([
      'flag.resolved',
      'flag.reraised',
    ]);
  });

  it('a reviewer’s decision stands: a cleared flag is not closed by a correction', async () => {
    const f = await fixture(t, A, { sessions: [sessionAgo(120), sessionAgo(100)], learners: 3 });
    await roster(t, f, 0);
    const flag = await only(f.programId, 'backfilled');
    const cleared = await t.http.post(`/api/v1/flags/${flag.id}/decision`, {
      decision: 'clear',
      reason: 'Đã đối chiếu sổ điểm danh giấy',
    });
    expect(cleared.status).toBe(200);
    await roster(t, f, 0, f.people);
    expect(await only(f.programId, 'backfilled')).toMatchObject({ id: flag.id, status: 'cleared' });
    expect((await trail(flag.id)).map((a: { action: string }) => a.action)).toEqual(['flag.clear']);
  });

  it('device clock: the offline marks corrected online', async () => {
    const f = await fixture(t, A, { sessions: [sessionAgo(62), sessionAgo(40)], learners: 4 });
    await offline(t, f, 0, new Date(Date.parse(f.sessions[0].startsAt) + 10 * 60_000).toISOString());
    await drainAttendance(t);
    const flag = await only(f.programId, 'device_clock');
    // The trainer corrects the session online: nobody was there.
    await roster(t, f, 0, f.people);
    await expectResolved(flag);
  });

  it('a whole class marked at once: one learner corrected to absent', async () => {
    const f = await fixture(t, A, { sessions: [sessionAgo(30), sessionAgo(5)], learners: 10 });
    await roster(t, f, 0);
    const flag = await only(f.programId, 'marked_at_once');
    await roster(t, f, 0, [f.people[9]]);
    await expectResolved(flag);
  });

  it('identical sessions: one session corrected', async () => {
    const f = await fixture(t, A, {
      sessions: [sessionAgo(50), sessionAgo(26), sessionAgo(3)],
      learners: 11,
      settings: [{ pattern: 'marked_at_once', threshold: 10, enabled: false }],
    });
    for (const s of [0, 1, 2]) await roster(t, f, s, [f.people[10]]);
    const flag = await only(f.programId, 'identical_sessions');
    await roster(t, f, 2, [f.people[10], f.people[0]]);
    await expectResolved(flag);
  });

  it('one person in two places: the duplicate presence removed', async () => {
    const programId = (await createProgram(t.http)).id;
    const slot = [sessionAgo(30), sessionAgo(6)];
    const here = await fixture(t, A, { programId, sessions: slot, learners: 2 });
    const there = await fixture(t, B, { programId, sessions: slot, learners: 2 });
    const twice = here.people[0];
    expect(
      (await t.http.post(`/api/v1/classes/${there.classId}/enrolments`, { personId: twice })).status,
    ).toBe(201);
    await roster(t, here, 0);
    const thereAll = { ...there, people: [...there.people, twice] };
    await roster(t, thereAll, 0);
    const flag = await only(programId, 'person_two_places');
    // The class where the person was not: corrected to absent there.
    await roster(t, thereAll, 0, [twice]);
    await expectResolved(flag);
  });

  it('sessions outside the program’s dates: their presences corrected', async () => {
    const yesterday = new Date(Date.now() - 30 * 3_600_000).toISOString().slice(0, 10);
    const programId = (await createProgram(t.http, { startsOn: '2026-03-01', endsOn: yesterday })).id;
    const f = await fixture(t, A, { programId, sessions: [sessionAgo(5), sessionAgo(-20)], learners: 2 });
    await roster(t, f, 0);
    const flag = await only(programId, 'session_outside_program');
    await roster(t, f, 0, f.people);
    await expectResolved(flag);
  });

  it('learners outside the segment and the commune: presences corrected below the group', async () => {
    const programId = (await createProgram(t.http)).id;
    const f = await fixture(t, A, {
      programId,
      sessions: [sessionAgo(30), sessionAgo(6)],
      learners: 0,
      klass: { targetSegment: 'civil_servant' },
      settings: [
        { pattern: 'segment_mismatch', threshold: 0.5 },
        { pattern: 'commune_mismatch', threshold: 0.5 },
      ],
    });
    const outsiders: string[] = [];
    for (let i = 0; i < 6; i++) {
      const p = await createPerson(t.http, B, { segment: 'farmer' });
      await t.http.post(`/api/v1/classes/${f.classId}/enrolments`, { personId: p.id });
      outsiders.push(p.id);
    }
    const all = { ...f, people: outsiders };
    await roster(t, all, 0);
    const flags = (await flagsOf(t, programId)).filter((x) => x.status === 'open');
    expect(flags.map((x) => x.pattern).sort()).toEqual(['commune_mismatch', 'segment_mismatch']);
    // Two of them were not there: four outside, fewer than a group.
    await roster(t, all, 0, outsiders.slice(0, 2));
    for (const flag of flags) await expectResolved(flag);
  });

  it('completions without learning: the partner pushes the lessons behind them', async () => {
    const program = await createProgram(t.http);
    const { client } = await partnerWithKey(t.http, program.id, '19');
    const ids = Array.from({ length: 12 }, (_, i) => `R-${i}-${randomUUID().slice(0, 6)}`);
    expect(
      (await client.post('/api/v1/partner/people', { people: ids.map((id) => partnerPerson(id, A)) })).status,
    ).toBe(200);
    const completions = await client.post('/api/v1/partner/completions', {
      completions: ids.map((externalId, i) => ({
        id: `C${i}`,
        externalId,
        programCode: program.code,
        level: 1,
        completedAt: '2026-11-05T20:00:00+07:00',
      })),
    });
    expect(completions.status).toBe(200);
    const flag = await only(program.id, 'completion_without_learning');
    const lessons = await client.post('/api/v1/partner/lessons', {
      lessons: ids.map((externalId, i) => ({
        id: `L${i}`,
        externalId,
        programCode: program.code,
        level: 1,
        lesson: 'Bài 1',
        completedAt: '2026-11-01T20:00:00+07:00',
      })),
    });
    expect(lessons.status).toBe(200);
    await expectResolved(flag);
  });
});
