import { FixedClock } from '../../libs/platform/src';
import { createClass, createPerson, createProgram, createTrainer, sessionsFrom } from '../support/campaign';
import { communesOf } from '../support/fixtures';
import { waitForJobs } from '../support/jobs';
import { startTestApp, TestApp } from '../support/test-app';

const INDICATORS = {
  learnersReached: 'learners_reached',
  completions: 'completions',
  proficientLearners: 'proficient_learners',
  classesHeld: 'classes_held',
  certificatesIssued: 'certificates_issued',
} as const;

/**
 * The preview of a merge, a split and a move of units shows the figures each unit would have, and what it shows
 * is what applying the change gives: the dashboard read after the change (and its KPI rebuild) has the same
 * figures, as recorded and on today's map. The preview itself writes nothing.
 *
 *   A: 3 learners (2 completed) · B: 2 learners · C: 1 learner — C merges into B; A splits; D moves to province 20.
 */
describe('previews of reorganisations', () => {
  const clock = new FixedClock(new Date('2026-11-25T10:00:00+07:00'));
  let t: TestApp;
  let program: { id: string };
  let A: string, B: string, C: string, D: string;

  async function learners(unit: string, lead: string, count: number, completed: number) {
    const c = await createClass(t.http, program.id, lead, unit, { sessions: sessionsFrom('2026-06-01', 3) });
    const people: string[] = [];
    for (let i = 0; i < count; i++) {
      const person = (await createPerson(t.http, unit)).id;
      expect((await t.http.post(`/api/v1/classes/${c.id}/enrolments`, { personId: person })).status).toBe(
        201,
      );
      people.push(person);
    }
    for (const [session, who] of [
      [0, people],
      [1, people.slice(0, completed)],
    ] as const) {
      if (!who.length) continue;
      const res = await t.http.put(`/api/v1/classes/${c.id}/sessions/${c.sessions[session].id}/attendance`, {
        marks: who.map((personId) => ({ personId, status: 'present' })),
      });
      expect(res.status).toBe(200);
    }
  }

  /** What the dashboard shows for a unit (an ended one by the day before it ended). */
  async function dashboard(code: string, view: string, asOf?: string) {
    const res = await t.http.get(
      `/api/v1/programs/${program.id}/kpi?unit=${code}&period=2026&view=${view}${asOf ? `&unitAsOf=${asOf}` : ''}`,
    );
    expect([code, res.status]).toEqual([code, 200]);
    const actual = (c: string) => res.body.indicators.find((i: any) => i.code === c).actual;
    return Object.fromEntries(Object.entries(INDICATORS).map(([k, c]) => [k, actual(c)]));
  }

  /** The preview's "after" figures of this program, unit by unit and view by view. */
  const afterOf = (preview: any) =>
    preview.units.map((u: any) => ({
      code: u.code,
      views: Object.fromEntries(
        u.after.kpi
          .filter((k: any) => k.programId === program.id)
          .map((k: any) => [k.view, Object.fromEntries(Object.keys(INDICATORS).map((i) => [i, k[i]]))]),
      ),
    }));

  /** After applying: the dashboard of every unit of the preview equals the preview's "after". */
  async function expectApplied(preview: any, dayBefore: string) {
    await waitForJobs(t, 'kpi.rebuild');
    for (const unit of afterOf(preview)) {
      const asOf = preview.units.find((u: any) => u.code === unit.code).after.current ? undefined : dayBefore;
      for (const view of ['recorded', 'current']) {
        expect({ code: unit.code, view, figures: await dashboard(unit.code, view, asOf) }).toEqual({
          code: unit.code,
          view,
          figures: unit.views[view],
        });
      }
    }
  }

  const kpiOf = (state: any, view: string) =>
    state.kpi.find((k: any) => k.programId === program.id && k.view === view);

  beforeAll(async () => {
    t = await startTestApp({ clock, env: { RUN_JOBS: 'true', JOBS_POLL_MS: '100' } });
    [A, B, C, D] = await communesOf(t, '19');
    program = await createProgram(t.http, { startsOn: '2025-01-01' });
    const lead = (await createTrainer(t.http, program.id, D, { tier: 'provincial_core' })).id;
    await learners(A, lead, 3, 2);
    await learners(B, lead, 2, 0);
    await learners(C, lead, 1, 1);
  });
  afterAll(() => t.close());

  it('previews a merge without writing anything, and applying it gives the figures it showed', async () => {
    const body = { sources: [C], into: { code: B }, effectiveDate: '2026-08-01' };
    const jobsBefore = (await t.dataSource.query(`SELECT count(*)::int AS n FROM job`))[0].n;
    const res = await t.http.post('/api/v1/units/merge/preview', body);
    expect(res.status).toBe(200);
    const preview = res.body;
    expect(preview.units.map((u: any) => [u.code, u.named])).toEqual([
      [C, true],
      [B, true],
      ['19', false],
    ]);
    const [c, b, province] = preview.units;
    // On today's map C's learner, person and class go to B; as recorded they stay with C.
    expect([kpiOf(b.before, 'current').learnersReached, kpiOf(b.after, 'current').learnersReached]).toEqual([
      2, 3,
    ]);
    expect([kpiOf(c.before, 'current').learnersReached, kpiOf(c.after, 'current').learnersReached]).toEqual([
      1, 0,
    ]);
    expect(kpiOf(c.after, 'recorded')).toEqual(kpiOf(c.before, 'recorded'));
    expect(kpiOf(b.after, 'current').completions).toBe(1);
    expect([b.before.people, b.after.people, c.before.people, c.after.people]).toEqual([2, 3, 1, 0]);
    expect([b.before.classes, b.after.classes, c.after.classes]).toEqual([1, 2, 0]);
    expect([c.before.current, c.after.current, c.after.parentCode]).toEqual([true, false, '19']);
    // The province's totals do not move.
    expect(kpiOf(province.after, 'current')).toEqual(kpiOf(province.before, 'current'));
    expect(kpiOf(province.after, 'current')).toMatchObject({ learnersReached: 6, completions: 3 });
    expect(province.after.people).toBe(province.before.people);

    // Nothing was written: C is still current, no job queued, the dashboard unchanged.
    expect((await t.http.get(`/api/v1/units/${C}`)).body.validTo).toBeNull();
    expect((await t.dataSource.query(`SELECT count(*)::int AS n FROM job`))[0].n).toBe(jobsBefore);
    expect((await dashboard(B, 'current')).learnersReached).toBe(2);

    expect((await t.http.post('/api/v1/units/merge', body)).status).toBe(200);
    await expectApplied(preview, '2026-07-31');
  });

  it('previews a split and a move the same way', async () => {
    const split = {
      parts: [
        { code: '99001', name: 'Tân Một', fullName: 'Xã Tân Một', type: 'Xã' },
        { code: '99002', name: 'Tân Hai', fullName: 'Xã Tân Hai', type: 'Xã' },
      ],
      effectiveDate: '2026-10-01',
    };
    const res = await t.http.post(`/api/v1/units/${A}/split/preview`, split);
    expect(res.status).toBe(200);
    const [a, one, two] = res.body.units;
    expect([a.code, one.code, two.code]).toEqual([A, '99001', '99002']);
    expect(one.before).toBeNull();
    // Today's map gives the old commune's records to the new commune with the lowest code.
    expect(kpiOf(one.after, 'current')).toMatchObject({ learnersReached: 3, completions: 2 });
    expect(kpiOf(two.after, 'current')).toMatchObject({ learnersReached: 0 });
    expect((await t.http.post(`/api/v1/units/${A}/split`, split)).status).toBe(200);
    await expectApplied(res.body, '2026-09-30');

    const move = { parentCode: '20', effectiveDate: '2026-11-01' };
    const moved = await t.http.post(`/api/v1/units/${B}/reparent/preview`, move);
    expect(moved.status).toBe(200);
    expect(moved.body.units.map((u: any) => u.code)).toEqual([B, '20', '19']);
    const [, to, from] = moved.body.units;
    expect(kpiOf(to.after, 'current').learnersReached - kpiOf(to.before, 'current').learnersReached).toBe(3);
    expect(kpiOf(from.before, 'current').learnersReached - kpiOf(from.after, 'current').learnersReached).toBe(
      3,
    );
    expect((await t.http.post(`/api/v1/units/${B}/reparent`, move)).status).toBe(200);
    await expectApplied(moved.body, '2026-10-31');
  });

  it('refuses a change that cannot be applied, as applying would', async () => {
    const body = { sources: [B], into: { code: '19' }, effectiveDate: '2026-12-01' };
    const res = await t.http.post('/api/v1/units/merge/preview', body);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const applied = await t.http.post('/api/v1/units/merge', body);
    expect([res.status, res.body.code]).toEqual([applied.status, applied.body.code]);
    expect(res.status).toBeGreaterThanOrEqual(400);
  });
});
