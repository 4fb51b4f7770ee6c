import { FixedClock } from '../../libs/platform/src';
import { createClass, createPerson, createProgram, createTrainer, sessionsFrom } from '../support/campaign';
import { communesOf } from '../support/fixtures';
import { waitForJobs } from '../support/jobs';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Figures and targets through merges and splits of communes: the merged commune's target follows (summed, or
 * the province's target split again), a split commune's target is shared, and an ended commune still opens
 * and drills down as recorded.
 *
 *   A: 2 learners, target 10 · B: 2 learners, target 5 · C: 1 learner, target 3 (and 2 for 2025, ended)
 *   C merges into B on 01/08/2026; D merges into E with the province's target split again; F splits in two.
 */
describe('targets and figures through reorganisations', () => {
  const clock = new FixedClock(new Date('2026-11-25T10:00:00+07:00'));
  let t: TestApp;
  let program: { id: string };
  let communes: string[];
  let A: string, B: string, C: string, D: string, E: string, F: string;

  const kpi = async (unit: string, view: string, extra = '') => {
    const res = await t.http.get(
      `/api/v1/programs/${program.id}/kpi?unit=${unit}&period=2026&view=${view}${extra}`,
    );
    expect([unit, res.status]).toEqual([unit, 200]);
    return res.body;
  };
  const target = async (unit: string, indicator = 'learners_reached', period = '2026') =>
    (await t.http.get(`/api/v1/programs/${program.id}/targets?unit=${unit}&period=${period}`)).body.find(
      (x: any) => x.unit.code === unit && x.indicator === indicator,
    );
  const put = async (unit: string, value: number, period = '2026', extra: Record<string, unknown> = {}) => {
    const res = await t.http.put(`/api/v1/programs/${program.id}/targets`, {
      unit,
      indicator: 'learners_reached',
      period,
      kind: 'absolute',
      value,
      ...extra,
    });
    expect(res.status).toBe(200);
    return res.body;
  };

  async function learners(unit: string, lead: string, count: number) {
    const c = await createClass(t.http, program.id, lead, unit, { sessions: sessionsFrom('2026-06-01', 3) });
    const marks = [];
    for (let i = 0; i < count; i++) {
      const person = (await createPerson(t.http, unit)).id;
      expect((await t.http.post(`/api/v1/classes/${c.id}/enrolments`, { personId: person })).status).toBe(
        201,
      );
      marks.push({ personId: person, status: 'present' });
    }
    const res = await t.http.put(`/api/v1/classes/${c.id}/sessions/${c.sessions[0].id}/attendance`, {
      marks,
    });
    expect(res.status).toBe(200);
  }

  beforeAll(async () => {
    t = await startTestApp({ clock, env: { RUN_JOBS: 'true', JOBS_POLL_MS: '100' } });
    communes = await communesOf(t, '19');
    [A, B, C, D, E, F] = communes;
    program = await createProgram(t.http, { startsOn: '2025-01-01' });
    const lead = (await createTrainer(t.http, program.id, A, { tier: 'provincial_core' })).id;
    await learners(A, lead, 2);
    await learners(B, lead, 2);
    await learners(C, lead, 1);
    await put(A, 10);
    await put(B, 5);
    await put(C, 3);
    await put(C, 2, '2025');
  });
  afterAll(() => t.close());

  it("gives the commune that remains the sum of the merged communes' targets", async () => {
    const merged = await t.http.post('/api/v1/units/merge', {
      sources: [C],
      into: { code: B },
      effectiveDate: '2026-08-01',
    });
    expect(merged.status).toBe(200);
    await waitForJobs(t, 'kpi.rebuild');
    // On today's map B holds C's learner too, against 5 + 3: not 60 % of its own target alone.
    const current = await kpi('19', 'current');
    const b = current.byChild.find((c: any) => c.unit.code === B).indicators.learners_reached;
    expect(b).toEqual({ actual: 3, target: 8, percentOfTarget: 37.5 });
    // A target of a period that ended before the merge stays with the commune that had it.
    expect(await target(B, 'learners_reached', '2025')).toBeUndefined();
    expect((await target(C, 'learners_reached', '2025')).value).toBe(2);
    const audit = (await t.http.get('/api/v1/audit?action=target.followed_reorganisation')).body.items;
    expect(audit[0].after).toMatchObject({ kind: 'merge', rule: 'sum', effectiveDate: '2026-08-01' });
  });

  it('opens an ended commune as recorded and drills down to its people', async () => {
    const recorded = await kpi('19', 'recorded');
    const row = recorded.byChild.find((c: any) => c.unit.code === C);
    expect(row.unit).toMatchObject({ current: false, validTo: '2026-08-01' });
    expect(row.indicators.learners_reached).toMatchObject({ actual: 1, target: 3 });
    // Its own page: by its code, or by the day it carried it.
    for (const extra of ['', '&unitAsOf=2026-07-31']) {
      const own = await kpi(C, 'recorded', extra);
      expect(own.unit.code).toBe(C);
      expect(own.indicators.find((i: any) => i.code === 'learners_reached')).toMatchObject({
        actual: 1,
        target: 3,
      });
    }
    const drill = await t.http.get(
      `/api/v1/programs/${program.id}/kpi/drilldown?unit=${C}&unitAsOf=2026-07-31&period=2026&indicator=learners_reached`,
    );
    expect(drill.status).toBe(200);
    expect(drill.body.total).toBe(1);
    // Before it existed, no unit carried the code.
    const before = await t.http.get(
      `/api/v1/programs/${program.id}/kpi?unit=${C}&unitAsOf=1990-01-01&period=2026`,
    );
    expect(before.status).toBe(404);
  });

  it("splits the province's target again among its communes when the user chooses so", async () => {
    const province = await put('19', 920, '2027');
    const split = await t.http.post(`/api/v1/programs/${program.id}/targets/${province.id}/split`, {
      method: 'equal',
    });
    expect(split.status).toBe(200);
    expect(split.body.find((s: any) => s.unit.code === D)).toBeDefined();
    const res = await t.http.post('/api/v1/units/merge', {
      sources: [D],
      into: { code: E },
      effectiveDate: '2026-09-01',
      targets: 'resplit',
    });
    expect(res.status).toBe(200);
    // The province's 920 goes again to today's communes, D no longer among them (no population figures: equally).
    // D keeps the share it had, as recorded; today's communes share the whole target.
    const shares = (
      await t.http.get(`/api/v1/programs/${program.id}/targets?unit=19&period=2027`)
    ).body.filter((x: any) => x.unit.code !== '19' && x.unit.code !== D);
    const current = (await t.http.get('/api/v1/units?parent=19&limit=500')).body.items.map(
      (u: any) => u.code,
    );
    expect(shares.map((s: any) => s.unit.code).sort()).toEqual([...current].sort());
    expect(shares.reduce((sum: number, s: any) => sum + s.value, 0)).toBe(920);
    expect(shares.every((s: any) => s.splitFromId === province.id)).toBe(true);
  });

  it("shares a split commune's target among the new communes", async () => {
    await put(F, 11);
    const res = await t.http.post(`/api/v1/units/${F}/split`, {
      parts: [
        { code: '99001', name: 'Tân Một', fullName: 'Xã Tân Một', type: 'Xã' },
        { code: '99002', name: 'Tân Hai', fullName: 'Xã Tân Hai', type: 'Xã' },
      ],
      effectiveDate: '2026-10-01',
      targets: 'equal',
    });
    expect(res.status).toBe(200);
    expect([(await target('99001')).value, (await target('99002')).value]).toEqual([6, 5]);
  });
});
