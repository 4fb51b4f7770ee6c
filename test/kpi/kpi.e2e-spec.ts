import { KpiFactsRepository } from '../../libs/kpi/src';
import { runMigrations } from '../../libs/platform/src';
import { MIGRATIONS } from '../../migrations/schema';
import { createPerson } from '../support/campaign';
import { communesOf, createUser } from '../support/fixtures';
import { waitForJobs } from '../support/jobs';
import { TestApp } from '../support/test-app';
import { buildKpiWorld, child, figure, KpiWorld } from './kpi-world';

/**
 * The figures of the campaign in kpi-world.ts, worked out by hand: distinct people up the hierarchy, targets
 * and their splits, drill-down, contests, merges of units and of people.
 */
describe('targets and KPI: the figures', () => {
  let w: KpiWorld;
  let t: TestApp;
  let program: KpiWorld['program'];
  let A: string;
  let B: string;
  let C: string;
  let people: KpiWorld['people'];
  const kpi: KpiWorld['kpi'] = (...args) => w.kpi(...args);
  const mark: KpiWorld['mark'] = (...args) => w.mark(...args);
  const classWith: KpiWorld['classWith'] = (...args) => w.classWith(...args);

  beforeAll(async () => {
    w = await buildKpiWorld();
    ({ t, program, A, B, C, people } = w);
  });
  afterAll(() => w?.t.close());

  it('counts distinct people up the hierarchy, never the sum of the communes', async () => {
    const province = await kpi(t.http, '19', '2026');
    const expected: Record<string, number> = {
      learners_reached: 4,
      completions: 3,
      proficient_learners: 1,
      civil_servants_reached: 1,
      working_age_reached: 3,
      enterprise_owners_reached: 1,
      classes_held: 2,
      provincial_core_trainers: 2,
      commune_core_trainers: 3,
    };
    for (const [code, value] of Object.entries(expected))
      expect([code, figure(province, code).actual]).toEqual([code, value]);
    expect(child(province, A).indicators.learners_reached.actual).toBe(2);
    expect(child(province, B).indicators.learners_reached.actual).toBe(2);
    expect(child(province, C).indicators.learners_reached.actual).toBe(1);
    expect(child(province, C).indicators.classes_held.actual).toBe(0);
    // Trend by month of first attendance: May P1, P2; June P3; July P5.
    const trend = figure(province, 'learners_reached').trend;
    expect(trend.map((p: any) => [p.month, p.value, p.cumulative]).slice(4, 7)).toEqual([
      ['2026-05', 2, 2],
      ['2026-06', 1, 3],
      ['2026-07', 1, 4],
    ]);
    // Proficiency as a share of completions: 1 of 3.
    expect(figure(province, 'proficient_learners').share).toEqual({
      of: 'completions',
      ofName: 'Người hoàn thành khóa học',
      base: 3,
      percent: 33.3,
    });
    // By segment, in the province.
    const farmers = province.bySegment.find((s: any) => s.segment === 'farmer');
    expect(farmers).toMatchObject({ reached: 2, completed: 1, proficient: 1, name: 'Nông dân' });
    // Periods cut by Vietnamese calendar: the second quarter holds May and June.
    const q2 = await kpi(t.http, '19', '2026-Q2');
    expect(figure(q2, 'learners_reached').actual).toBe(3);
    expect(figure(await kpi(t.http, '19', '2026-07'), 'learners_reached').actual).toBe(1);
  });

  it('counts certificates as they are issued and revoked, and classes as they are closed or reopened', async () => {
    const [a1]: { id: string }[] = await t.dataSource.query(
      `SELECT c.id FROM training_class c JOIN admin_unit u ON u.id = c.unit_id WHERE u.code = $1 AND c.program_id = $2`,
      [A, program.id],
    );
    const issued = await t.http.post(`/api/v1/classes/${a1.id}/certificates`, {});
    expect(issued.status).toBe(201);
    expect(issued.body).toHaveLength(2);
    let province = await kpi(t.http, '19', '2026');
    expect(figure(province, 'certificates_issued').actual).toBe(2);
    expect(child(province, A).indicators.certificates_issued.actual).toBe(2);
    // By level: every level of the curriculum is listed; the two closed classes and the two certificates
    // are of level 1.
    expect(province.byLevel.map((l: any) => l.level)).toEqual([1, 2, 3, 4, 5]);
    expect(province.byLevel[0]).toMatchObject({ level: 1, classes: 2, certificates: 2 });
    expect(province.byLevel.slice(1).every((l: any) => l.classes === 0 && l.certificates === 0)).toBe(true);
    expect(child(await kpi(t.http, A, '2026'), A)).toBeUndefined();
    expect((await kpi(t.http, A, '2026')).byLevel[0]).toMatchObject({ classes: 1, certificates: 2 });
    await t.http.post(`/api/v1/certificates/${issued.body[0].id}/revoke`, { reason: 'Sai họ tên' });
    province = await kpi(t.http, '19', '2026');
    expect(figure(province, 'certificates_issued').actual).toBe(1);
    expect(province.byLevel[0].certificates).toBe(1);
    // Reopening a class takes it out of "classes held" until it is closed again.
    expect((await t.http.post(`/api/v1/classes/${a1.id}/status`, { status: 'in_progress' })).status).toBe(
      200,
    );
    expect(figure(await kpi(t.http, '19', '2026'), 'classes_held').actual).toBe(1);
    expect((await t.http.post(`/api/v1/classes/${a1.id}/status`, { status: 'completed' })).status).toBe(200);
    expect(figure(await kpi(t.http, '19', '2026'), 'classes_held').actual).toBe(2);
  });

  it('shows % of target, and percentage targets against a population figure', async () => {
    let res = await t.http.put(`/api/v1/programs/${program.id}/targets`, {
      unit: '19',
      indicator: 'learners_reached',
      period: '2026',
      kind: 'absolute',
      value: 8,
    });
    expect(res.status).toBe(200);
    res = await t.http.put('/api/v1/units/19/population', { year: 2026, figures: { working_age: 1000 } });
    expect(res.status).toBe(200);
    res = await t.http.put(`/api/v1/programs/${program.id}/targets`, {
      unit: '19',
      indicator: 'working_age_reached',
      period: '2026',
      kind: 'percentage',
      value: 0.5,
      populationFigure: 'working_age',
    });
    expect(res.status).toBe(200);
    expect(res.body.resolvedValue).toBe(5);
    const province = await kpi(t.http, '19', '2026');
    expect(figure(province, 'learners_reached')).toMatchObject({ actual: 4, target: 8, percentOfTarget: 50 });
    // 3 of a target of 0.5% × 1,000 = 5 → 60%; 3 of 1,000 working-age people = 0.3%.
    expect(figure(province, 'working_age_reached')).toMatchObject({
      actual: 3,
      target: 5,
      percentOfTarget: 60,
    });
    expect(figure(province, 'working_age_reached').share).toEqual({
      of: 'population:working_age',
      ofName: 'Người trong độ tuổi lao động',
      base: 1000,
      percent: 0.3,
    });

    const bad = await t.http.put(`/api/v1/programs/${program.id}/targets`, {
      unit: '19',
      indicator: 'learners_reached',
      period: '2026',
      kind: 'percentage',
      value: 120,
    });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect(bad.body.errors.map((e: any) => e.field).sort()).toEqual(['populationFigure', 'value']);
  });

  it('splits a target among the communes and shows where children do not add up', async () => {
    const communes = await communesOf(t, '19');
    const put = await t.http.put(`/api/v1/programs/${program.id}/targets`, {
      unit: '19',
      indicator: 'classes_held',
      period: '2026',
      kind: 'absolute',
      value: 40,
    });
    // By population: A 3,000 and B 1,000 people, every other commune 0 → 30 and 10.
    const noFigures = await t.http.post(`/api/v1/programs/${program.id}/targets/${put.body.id}/split`, {
      method: 'population',
    });
    expect(noFigures.status).toBe(409);
    expect(noFigures.body.code).toBe('POPULATION_FIGURE_MISSING');
    await t.dataSource.query(
      `INSERT INTO population_figure (unit_id, year, figure, value)
       SELECT id, 2026, 'total', CASE code WHEN $1 THEN 3000 WHEN $2 THEN 1000 ELSE 0 END
         FROM admin_unit WHERE parent_id = (SELECT id FROM admin_unit WHERE code = '19') AND valid_to IS NULL`,
      [A, B],
    );
    // The preview shows what each commune would get, and writes nothing.
    const preview = await t.http.post(`/api/v1/programs/${program.id}/targets/${put.body.id}/split/preview`, {
      method: 'population',
    });
    expect(preview.status).toBe(200);
    expect(preview.body).toHaveLength(communes.length);
    expect(preview.body.find((s: any) => s.unit.code === A)).toMatchObject({ value: 30, currentValue: null });
    expect(preview.body.reduce((sum: number, s: any) => sum + s.value, 0)).toBe(40);
    const unwritten = await t.http.get(`/api/v1/programs/${program.id}/targets?unit=${A}&period=2026`);
    expect(unwritten.body.filter((x: any) => x.indicator === 'classes_held')).toEqual([]);
    const split = await t.http.post(`/api/v1/programs/${program.id}/targets/${put.body.id}/split`, {
      method: 'population',
    });
    expect(split.status).toBe(200);
    const again = await t.http.post(`/api/v1/programs/${program.id}/targets/${put.body.id}/split/preview`, {
      method: 'equal',
    });
    expect(again.body.find((s: any) => s.unit.code === A).currentValue).toBe(30);
    expect(split.body).toHaveLength(communes.length);
    const byCode = Object.fromEntries(split.body.map((s: any) => [s.unit.code, s.value]));
    expect([byCode[A], byCode[B], byCode[C]]).toEqual([30, 10, 0]);
    let gaps = await t.http.get(`/api/v1/programs/${program.id}/targets/consistency?unit=19&period=2026`);
    expect(gaps.body.filter((g: any) => g.parent.indicator === 'classes_held')).toEqual([]);
    // Equal split of 40 over the communes: the shares differ by at most one and add up to 40.
    const equal = await t.http.post(`/api/v1/programs/${program.id}/targets/${put.body.id}/split`, {
      method: 'equal',
    });
    const shares: number[] = equal.body.map((s: any) => s.value);
    expect(shares.reduce((a, b) => a + b, 0)).toBe(40);
    expect(Math.max(...shares) - Math.min(...shares)).toBeLessThanOrEqual(1);
    // By hand, for two communes: the other communes keep their shares and the total no longer matches.
    const manual = await t.http.post(`/api/v1/programs/${program.id}/targets/${put.body.id}/split`, {
      method: 'manual',
      shares: [
        { unit: A, value: 25 },
        { unit: B, value: 20 },
      ],
    });
    expect(manual.status).toBe(200);
    const [, , shareC] = [A, B, C].map((code) => equal.body.find((s: any) => s.unit.code === code).value);
    const expectedTotal = 40 - byShare(equal.body, A) - byShare(equal.body, B) + 25 + 20;
    gaps = await t.http.get(`/api/v1/programs/${program.id}/targets/consistency?unit=19&period=2026`);
    const gap = gaps.body.find((g: any) => g.parent.indicator === 'classes_held');
    expect(gap).toMatchObject({ childrenTotal: expectedTotal, difference: expectedTotal - 40 });
    // The commune's own figure against its target: C held no class (0 of its share).
    const province = await kpi(t.http, '19', '2026');
    expect(child(province, A).indicators.classes_held).toMatchObject({
      actual: 1,
      target: 25,
      percentOfTarget: 4,
    });
    expect(child(province, C).indicators.classes_held.target).toBe(shareC);

    const outside = await t.http.post(`/api/v1/programs/${program.id}/targets/${put.body.id}/split`, {
      method: 'manual',
      shares: [{ unit: '01', value: 1 }],
    });
    expect(outside.status).toBe(400);
    expect(outside.body.errors[0]).toMatchObject({ field: 'shares[0].unit' });
  });

  function byShare(rows: any[], code: string): number {
    return rows.find((s) => s.unit.code === code).value;
  }

  it('drills down from every figure to exactly the records behind it, masked by role', async () => {
    const viewer = await createUser(t, [{ role: 'viewer', unitCode: '19' }]);
    const province = await kpi(viewer.http, '19', '2026');
    const kinds: Record<string, string> = {};
    for (const d of province.indicators.filter((i: any) => i.source !== 'reports')) {
      const res = await viewer.http.get(
        `/api/v1/programs/${program.id}/kpi/drilldown?unit=19&period=2026&indicator=${d.code}&limit=500`,
      );
      expect([d.code, res.status, res.body.total]).toEqual([d.code, 200, d.actual]);
      expect(res.body.items).toHaveLength(d.actual);
      kinds[d.code] = res.body.kind;
    }
    // Each page says which records it holds, so a client knows their shape.
    expect(kinds).toMatchObject({
      learners_reached: 'people',
      proficient_learners: 'people',
      classes_held: 'classes',
      certificates_issued: 'certificates',
      commune_core_trainers: 'trainers',
      trainers_on_pace: 'trainers',
      materials_published: 'materials',
    });
    const reached = await viewer.http.get(
      `/api/v1/programs/${program.id}/kpi/drilldown?unit=${B}&period=2026&indicator=learners_reached`,
    );
    expect(reached.body.items.map((p: any) => p.id).sort()).toEqual([people.P1, people.P3].sort());
    // A viewer sees who, not their personal data; a steering member of the commune sees it.
    const p3 = reached.body.items.find((p: any) => p.id === people.P3);
    expect([p3.cccd, p3.phone]).toEqual([expect.stringContaining('******'), '+8491****678']);
    expect(p3.segmentName).toBe('Chủ doanh nghiệp, hợp tác xã, hộ kinh doanh');
    const steering = await createUser(t, [{ role: 'steering', unitCode: B }]);
    const full = await steering.http.get(
      `/api/v1/programs/${program.id}/kpi/drilldown?unit=${B}&period=2026&indicator=learners_reached`,
    );
    expect(full.body.items.find((p: any) => p.id === people.P3).phone).toBe('+84912345678');
    const farmers = await viewer.http.get(
      `/api/v1/programs/${program.id}/kpi/drilldown?unit=19&period=2026&indicator=learners_reached&segment=farmer`,
    );
    expect(farmers.body.total).toBe(province.bySegment.find((s: any) => s.segment === 'farmer').reached);
    const elsewhere = await createUser(t, [{ role: 'steering', unitCode: '01' }]);
    const denied = await elsewhere.http.get(
      `/api/v1/programs/${program.id}/kpi/drilldown?unit=19&period=2026&indicator=learners_reached`,
    );
    expect(denied.status).toBe(403);
  });

  it('ranks communes by % of target for the contests', async () => {
    // Both held one class: B (target 20) is at 5%, A (target 25) at 4%.
    const res = await t.http.get(
      `/api/v1/programs/${program.id}/kpi/leaderboard?unit=19&period=2026&indicator=classes_held&limit=3`,
    );
    expect(res.status).toBe(200);
    expect(
      res.body.items.slice(0, 2).map((r: any) => [r.rank, r.unit.code, r.actual, r.percentOfTarget]),
    ).toEqual([
      [1, B, 1, 5],
      [2, A, 1, 4],
    ]);
    expect(res.body.total).toBe((await communesOf(t, '19')).length);
  });

  it("re-attributes history through a merge on today's map, and keeps it as recorded", async () => {
    const merged = await t.http.post('/api/v1/units/merge', {
      sources: [C],
      into: { code: B },
      effectiveDate: '2026-08-01',
    });
    expect(merged.status).toBe(200);
    await waitForJobs(t, 'kpi.rebuild');
    const recorded = await kpi(t.http, '19', '2026', 'recorded');
    const current = await kpi(t.http, '19', '2026', 'current');
    expect(figure(recorded, 'learners_reached').actual).toBe(4);
    expect(figure(current, 'learners_reached').actual).toBe(4);
    // As recorded, C still has its learner (listed as a former commune); on today's map B has P1, P3 and P5.
    expect(child(recorded, C)).toMatchObject({ unit: { current: false } });
    expect(child(recorded, C).indicators.learners_reached.actual).toBe(1);
    expect(child(recorded, B).indicators.learners_reached.actual).toBe(2);
    expect(child(current, C)).toBeUndefined();
    expect(child(current, B).indicators.learners_reached.actual).toBe(3);
    expect(child(current, B).indicators.commune_core_trainers.actual).toBe(2);
    const drill = await t.http.get(
      `/api/v1/programs/${program.id}/kpi/drilldown?unit=${B}&period=2026&indicator=learners_reached&view=current`,
    );
    expect(drill.body.items.map((p: any) => p.id).sort()).toEqual([people.P1, people.P3, people.P5].sort());
  });

  it('counts a merged duplicate person once', async () => {
    // P6 is P1 registered twice, at a class of the other commune's trainer: counted twice until merged.
    people.P6 = (
      await createPerson(t.http, A, { segment: 'farmer', birthYear: 1990, fullName: 'Trần Văn P6' })
    ).id;
    const [lead]: { id: string }[] = await t.dataSource.query(
      `SELECT id FROM trainer WHERE program_id = $1 AND tier = 'provincial_core' ORDER BY seq LIMIT 1`,
      [program.id],
    );
    const a2 = await classWith(A, '2026-09-07', ['P6'], lead.id);
    await mark(a2.id, a2.sessions[0].id, [['P6', 'present']]);
    expect(figure(await kpi(t.http, '19', '2026'), 'learners_reached').actual).toBe(5);
    const merge = await t.http.post(`/api/v1/people/${people.P1}/merge`, { sourceIds: [people.P6] });
    expect(merge.status).toBe(200);
    const after = await kpi(t.http, '19', '2026');
    expect(figure(after, 'learners_reached').actual).toBe(4);
    expect(child(after, A).indicators.learners_reached.actual).toBe(2);
  });

  it('counts classes and certificates at their own curriculum level, on both maps', async () => {
    const level = (body: any, n: number) => body.byLevel.find((l: any) => l.level === n);
    const before = await kpi(t.http, '19', '2026');
    expect(level(before, 2)).toMatchObject({ classes: 0, certificates: 0 });
    const [lead]: { id: string }[] = await t.dataSource.query(
      `SELECT id FROM trainer WHERE program_id = $1 AND tier = 'provincial_core' ORDER BY seq LIMIT 1`,
      [program.id],
    );
    // A level-2 class in B where P3 attends every session and completes.
    const b2 = await classWith(B, '2026-10-05', ['P3'], lead.id, 2);
    for (const s of b2.sessions) await mark(b2.id, s.id, [['P3', 'present']]);
    await w.close(b2.id);
    const issued = await t.http.post(`/api/v1/classes/${b2.id}/certificates`, {});
    expect(issued.status).toBe(201);
    expect(issued.body.map((c: any) => c.level)).toEqual([2]);
    for (const view of ['recorded', 'current']) {
      const province = await kpi(t.http, '19', '2026', view);
      expect([view, level(province, 2)]).toEqual([
        view,
        expect.objectContaining({ classes: 1, certificates: 1, onlineCompletions: 0 }),
      ]);
      expect([view, level(province, 1)]).toEqual([view, level(before, 1)]);
      expect(level(await kpi(t.http, B, '2026', view), 2)).toMatchObject({ classes: 1, certificates: 1 });
      expect(level(await kpi(t.http, A, '2026', view), 2)).toMatchObject({ classes: 0, certificates: 0 });
    }
  });

  it('moves the monthly sums to levels without changing a figure: the migration undone and redone on these facts', async () => {
    const sums = async () =>
      (await t.dataSource.query(`SELECT * FROM kpi_monthly WHERE program_id = $1`, [program.id]))
        .map((r: unknown) => JSON.stringify(r))
        .sort();
    const before = {
      recorded: await kpi(t.http, '19', '2026', 'recorded'),
      current: await kpi(t.http, '19', '2026', 'current'),
      sums: await sums(),
    };
    const at = MIGRATIONS.findIndex((m) => m.name === 'KpiRecordLevel1796775000000');
    for (let i = at; i < MIGRATIONS.length; i++)
      await t.dataSource.undoLastMigration({ transaction: 'each' });
    const [column] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'kpi_monthly' AND column_name = 'level'`,
    );
    expect(column.n).toBe(0);
    expect(await runMigrations(t.dataSource)).toHaveLength(MIGRATIONS.length - at);
    expect(await sums()).toEqual(before.sums);
    expect(await kpi(t.http, '19', '2026', 'recorded')).toEqual(before.recorded);
    expect(await kpi(t.http, '19', '2026', 'current')).toEqual(before.current);
    // And they are what a rebuild from the records makes.
    await t.app.get(KpiFactsRepository).rebuildAtomically(program.id);
    expect(await sums()).toEqual(before.sums);
    expect(before.sums.some((r: string) => JSON.parse(r).level === 2)).toBe(true);
  });
});
