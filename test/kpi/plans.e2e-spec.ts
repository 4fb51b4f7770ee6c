import { FixedClock } from '../../libs/platform/src';
import { createClass, createPerson, createProgram, createTrainer, sessionsFrom } from '../support/campaign';
import { communesOf } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Plans as provinces write them: periods of any length (spans, "by 2030", a program's phases), core members,
 * targets that are a rate of another figure, targets per segment, and population figures a plan names.
 *
 *   class X (commune A): sessions 30/05, 31/05, 01/06 2026. P1 attends the first two (completes 31/05, can
 *                        apply AI), P2 the last two (first attends 31/05, completes 01/06).
 *   class Y (commune B): sessions 20/06, 21/06, 22/06. P3 attends the first two (completes 21/06).
 *   class Z (commune B): sessions 10/11, 11/11, 12/11. P4 attends the first (reached, not completed).
 *
 *   P1 farmer · P2 civil servant · P3 civil servant · P4 youth. Today is 25/11/2026.
 *   Phases: P1 "Chuẩn bị" 01/03–14/05, P2 "Đào tạo nòng cốt" 15/05–10/06, P3 "Triển khai đại trà" 11/06–31/12.
 */
describe('plans: periods, phases, rates and segments', () => {
  const clock = new FixedClock(new Date('2026-11-25T10:00:00+07:00'));
  let t: TestApp;
  let program: { id: string };
  const people: Record<string, string> = {};

  const kpi = async (period: string, unit = '19') => {
    const res = await t.http.get(`/api/v1/programs/${program.id}/kpi?unit=${unit}&period=${period}`);
    expect([period, res.status]).toEqual([period, 200]);
    return res.body;
  };
  const actual = (body: any, code: string) => body.indicators.find((d: any) => d.code === code).actual;
  const target = (body: any, code: string) => body.indicators.find((d: any) => d.code === code);
  const putTarget = (body: Record<string, unknown>) =>
    t.http.put(`/api/v1/programs/${program.id}/targets`, { unit: '19', ...body });

  async function attend(classId: string, sessionId: string, who: string[]) {
    const res = await t.http.put(`/api/v1/classes/${classId}/sessions/${sessionId}/attendance`, {
      marks: who.map((p) => ({ personId: people[p], status: 'present' })),
    });
    expect(res.status).toBe(200);
  }

  async function classOf(unit: string, lead: string, firstDay: string, learners: string[]) {
    const c = await createClass(t.http, program.id, lead, unit, { sessions: sessionsFrom(firstDay, 3) });
    const enrolments: Record<string, string> = {};
    for (const p of learners) {
      const res = await t.http.post(`/api/v1/classes/${c.id}/enrolments`, { personId: people[p] });
      expect(res.status).toBe(201);
      enrolments[p] = res.body.id;
    }
    return { ...c, enrolments };
  }

  beforeAll(async () => {
    t = await startTestApp({ clock });
    const [A, B] = await communesOf(t, '19');
    program = await createProgram(t.http, {
      phases: [
        { name: 'Chuẩn bị', startsOn: '2026-03-01', endsOn: '2026-05-14' },
        { name: 'Đào tạo nòng cốt', startsOn: '2026-05-15', endsOn: '2026-06-10' },
        { name: 'Triển khai đại trà', startsOn: '2026-06-11', endsOn: '2026-12-31' },
      ],
    });
    const lead = (await createTrainer(t.http, program.id, A, { tier: 'provincial_core' })).id;
    await createTrainer(t.http, program.id, A, { trainedById: lead });
    await createTrainer(t.http, program.id, B, { trainedById: lead });
    for (const [name, segment] of [
      ['P1', 'farmer'],
      ['P2', 'civil_servant'],
      ['P3', 'civil_servant'],
      ['P4', 'youth'],
    ]) {
      people[name] = (await createPerson(t.http, name === 'P1' || name === 'P2' ? A : B, { segment })).id;
    }
    const x = await classOf(A, lead, '2026-05-30', ['P1', 'P2']);
    await attend(x.id, x.sessions[0].id, ['P1']);
    await attend(x.id, x.sessions[1].id, ['P1', 'P2']);
    await attend(x.id, x.sessions[2].id, ['P2']);
    const outcome = await t.http.patch(`/api/v1/classes/${x.id}/enrolments/${x.enrolments.P1}`, {
      canApplyAiTool: true,
    });
    expect(outcome.status).toBe(200);
    const y = await classOf(B, lead, '2026-06-20', ['P3']);
    await attend(y.id, y.sessions[0].id, ['P3']);
    await attend(y.id, y.sessions[1].id, ['P3']);
    const z = await classOf(B, lead, '2026-11-10', ['P4']);
    await attend(z.id, z.sessions[0].id, ['P4']);
  });
  afterAll(() => t.close());

  it('counts any span of days exactly, the partial months read from the facts', async () => {
    // 31/05–01/06: P2 first attends 31/05; P1 completes 31/05 and P2 01/06.
    const twoDays = await kpi('2026-05-31..2026-06-01');
    expect(twoDays.period).toMatchObject({ from: '2026-05-31', to: '2026-06-02' });
    expect([actual(twoDays, 'learners_reached'), actual(twoDays, 'completions')]).toEqual([1, 2]);
    expect(actual(twoDays, 'proficient_learners')).toBe(1);
    // The phase "Đào tạo nòng cốt", 15/05–10/06: P1 and P2 reached and completed; P3 came after.
    const phase = await kpi('P2');
    expect(phase.period.label).toBe('giai đoạn 2: Đào tạo nòng cốt (15/05/2026 – 10/06/2026)');
    expect([actual(phase, 'learners_reached'), actual(phase, 'completions')]).toEqual([2, 2]);
    // Cumulative from the program's start to 31/05: P1 and P2 reached, only P1 completed.
    const soFar = await kpi('..2026-05-31');
    expect([actual(soFar, 'learners_reached'), actual(soFar, 'completions')]).toEqual([2, 1]);
    // Whole months come from the monthly sums, with the same answer as the days.
    const months = await kpi('2026-05..2026-06');
    expect([actual(months, 'learners_reached'), actual(months, 'completions')]).toEqual([3, 3]);
    // Flows add up: the days of May and June, one by one, give the two months' figures.
    let reached = 0;
    let completed = 0;
    for (let day = Date.parse('2026-05-28'); day <= Date.parse('2026-06-23'); day += 86_400_000) {
      const d = new Date(day).toISOString().slice(0, 10);
      const one = await kpi(`${d}..${d}`);
      reached += actual(one, 'learners_reached');
      completed += actual(one, 'completions');
    }
    expect([reached, completed]).toEqual([3, 3]);
    // And the people behind a two-day figure are exactly those.
    const drill = await t.http.get(
      `/api/v1/programs/${program.id}/kpi/drilldown?unit=19&period=2026-05-31..2026-06-01&indicator=completions`,
    );
    expect(drill.status).toBe(200);
    expect(drill.body.items.map((p: any) => p.id).sort()).toEqual([people.P1, people.P2].sort());
  });

  it('counts core members as the provincial and commune core trainers together', async () => {
    const year = await kpi('2026');
    expect(actual(year, 'core_members')).toBe(
      actual(year, 'provincial_core_trainers') + actual(year, 'commune_core_trainers'),
    );
    expect(actual(year, 'core_members')).toBe(3);
    const drill = await t.http.get(
      `/api/v1/programs/${program.id}/kpi/drilldown?unit=19&period=2026&indicator=core_members&limit=50`,
    );
    expect(drill.body.total).toBe(3);
  });

  it('refuses periods the program does not have, naming the field', async () => {
    for (const [period, reason] of [
      ['P4', 'chương trình không có giai đoạn 4'],
      ['..2025', 'kỳ lũy kế kết thúc trước khi chương trình bắt đầu'],
      ['2026-02-30..2026-03-01', 'không có ngày 2026-02-30'],
    ]) {
      const res = await t.http.get(`/api/v1/programs/${program.id}/kpi?unit=19&period=${period}`);
      expect([period, res.status, res.body.errors]).toEqual([period, 400, [{ field: 'period', reason }]]);
      const put = await putTarget({ indicator: 'learners_reached', period, kind: 'absolute', value: 5 });
      expect([period, put.status, put.body.errors]).toEqual([period, 400, [{ field: 'period', reason }]]);
    }
  });

  it('takes a target as a rate of another indicator', async () => {
    // 80 % of the people who completed should apply a tool: 3 completed in 2026, so the target is 2 (2.4).
    const put = await putTarget({
      indicator: 'proficient_learners',
      period: '2026',
      kind: 'rate',
      value: 80,
      baseIndicator: 'completions',
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ kind: 'rate', baseIndicator: 'completions', resolvedValue: null });
    const year = await kpi('2026');
    expect(target(year, 'proficient_learners')).toMatchObject({
      actual: 1,
      target: 2,
      percentOfTarget: 50,
      targetBasis: { kind: 'rate', percent: 80, of: 'completions', base: 3 },
    });
    const bad = await putTarget({
      indicator: 'proficient_learners',
      period: '2026',
      kind: 'rate',
      value: 80,
    });
    expect(bad.body.errors).toEqual([
      { field: 'baseIndicator', reason: 'bắt buộc với chỉ tiêu là tỷ lệ của chỉ tiêu khác' },
    ]);
  });

  it('sets outcome and completion targets per segment, against any named population figure', async () => {
    // 100 % of the province's civil servants apply AI (4 civil servants in the population figures).
    expect(
      (await t.http.put('/api/v1/units/19/population', { year: 2026, figures: { civil_servants: 4 } }))
        .status,
    ).toBe(200);
    let res = await putTarget({
      indicator: 'proficient_learners',
      segment: 'civil_servant',
      period: '2026',
      kind: 'percentage',
      value: 100,
      populationFigure: 'civil_servants',
    });
    expect(res.status).toBe(200);
    res = await putTarget({
      indicator: 'completions',
      segment: 'civil_servant',
      period: '2026',
      kind: 'absolute',
      value: 4,
    });
    expect(res.status).toBe(200);
    // A figure the plan names: 75 % of adults with a smartphone reached.
    res = await putTarget({
      indicator: 'learners_reached',
      period: '2026',
      kind: 'percentage',
      value: 75,
      populationFigure: 'adults_with_smartphone',
    });
    expect(res.body.errors[0]).toMatchObject({ field: 'populationFigure' });
    res = await t.http.put('/api/v1/population-figures/adults_with_smartphone', {
      name: 'Người trưởng thành có điện thoại thông minh',
    });
    expect(res.status).toBe(200);
    expect(
      (
        await t.http.put('/api/v1/units/19/population', {
          year: 2026,
          figures: { adults_with_smartphone: 10 },
        })
      ).status,
    ).toBe(200);
    res = await putTarget({
      indicator: 'learners_reached',
      period: '2026',
      kind: 'percentage',
      value: 75,
      populationFigure: 'adults_with_smartphone',
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      populationFigureName: 'Người trưởng thành có điện thoại thông minh',
      resolvedValue: 8,
    });
    // A segment target on an indicator that has no segments is refused.
    res = await putTarget({
      indicator: 'classes_held',
      segment: 'farmer',
      period: '2026',
      kind: 'absolute',
      value: 1,
    });
    expect(res.body.errors[0]).toMatchObject({ field: 'segment' });

    const year = await kpi('2026');
    // P2 and P3 are civil servants: both completed, P1 (a farmer) is the only one who can apply AI.
    const servants = year.bySegment.find((s: any) => s.segment === 'civil_servant');
    expect(servants).toMatchObject({ reached: 2, completed: 2, proficient: 0 });
    expect(servants.targets).toEqual([
      {
        indicator: 'completions',
        indicatorName: 'Người hoàn thành khóa học',
        actual: 2,
        target: 4,
        percentOfTarget: 50,
        targetBasis: null,
      },
      {
        indicator: 'proficient_learners',
        indicatorName: 'Người ứng dụng được ít nhất một công cụ AI',
        actual: 0,
        target: 4,
        percentOfTarget: 0,
        targetBasis: {
          kind: 'percentage',
          percent: 100,
          of: 'population:civil_servants',
          ofName: 'Cán bộ, công chức, viên chức',
          base: 4,
        },
      },
    ]);
    expect(target(year, 'learners_reached')).toMatchObject({ actual: 4, target: 8, percentOfTarget: 50 });
    const names = (await t.http.get('/api/v1/population-figures')).body;
    expect(names.map((n: any) => n.code)).toEqual([
      'total',
      'working_age',
      'civil_servants',
      'enterprise_owners',
      'adults_with_smartphone',
    ]);
  });

  it('tracks a yearly and a cumulative target on the same indicator, with the pace each implies', async () => {
    await putTarget({ indicator: 'learners_reached', period: '2027', kind: 'absolute', value: 10 });
    await putTarget({ indicator: 'learners_reached', period: '..2027', kind: 'absolute', value: 20 });
    await putTarget({ indicator: 'completions', period: 'P2', kind: 'absolute', value: 2 });
    await putTarget({ indicator: 'classes_held', period: 'P2', kind: 'absolute', value: 1 });
    const res = await t.http.get(`/api/v1/programs/${program.id}/plan?unit=19`);
    expect(res.status).toBe(200);
    const line = (indicator: string, period: string, segment: string | null = null) =>
      res.body.lines.find(
        (l: any) => l.indicator === indicator && l.period.code === period && l.segment === segment,
      );
    // The phase's completions were met; its classes held were not, and the phase is over.
    expect(line('completions', 'P2')).toMatchObject({ actual: 2, target: 2, status: 'achieved', pace: null });
    expect(line('classes_held', 'P2')).toMatchObject({ actual: 0, target: 1, status: 'missed', pace: null });
    // By the end of 2027, from the program's start: 4 reached so far, 16 to go in 402 days (16 × 7 / 402 =
    // 0.28 a week needed); the last four weeks reached one person (P4 on 10/11): 0.25 a week — behind, though
    // both round to 0.3.
    expect(line('learners_reached', '..2027')).toMatchObject({
      actual: 4,
      target: 20,
      percentOfTarget: 20,
      status: 'behind',
      pace: { remaining: 16, daysLeft: 402, neededPerWeek: 0.3, recentPerWeek: 0.3 },
    });
    // 2027 has not started: its pace is the whole year's.
    expect(line('learners_reached', '2027')).toMatchObject({
      actual: 0,
      target: 10,
      status: 'upcoming',
      pace: { remaining: 10, daysLeft: 365, neededPerWeek: 0.2 },
    });
    // This year's 75 % of adults with a smartphone (8): 4 reached, 4 to go in 37 days — behind.
    expect(line('learners_reached', '2026')).toMatchObject({
      target: 8,
      actual: 4,
      status: 'behind',
      pace: { remaining: 4, daysLeft: 37, neededPerWeek: 0.8, recentPerWeek: 0.3 },
    });
    // A rate has no pace of its own; a segment target has.
    expect(line('proficient_learners', '2026')).toMatchObject({ status: 'in_progress', pace: null });
    expect(line('completions', '2026', 'civil_servant')).toMatchObject({
      segmentName: 'Cán bộ, công chức, viên chức',
      status: 'behind',
    });
    // Lines come in the order of their periods.
    const starts = res.body.lines.map((l: any) => l.period.from);
    expect([...starts].sort()).toEqual(starts);
  });
});
