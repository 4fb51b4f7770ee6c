import { FixedClock } from '../../libs/platform/src';
import { createClass, createPerson, createProgram, createTrainer } from '../support/campaign';
import { communesOf, createOrganisation, createUser, TestUser } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Contests of a program: the province's contest (2026-Q4, three prizes, two weighted criteria) with entries
 * by a learner, a trainer and an organisation of commune A and a class of commune B, scored by two judges;
 * commune A's own contest (November 2026, one prize). Entries and winners count as KPI figures at the
 * entrant's unit, rank communes on the leaderboard and drill down to the entries behind them.
 *
 *   criteria: "Tính ứng dụng thực tế" weight 60, out of 10; "Trình bày" weight 40, out of 5.
 *   learner P1 (A):     judge 1 gives 8 and 4, judge 2 gives 10 and 5 → (60·0.9 + 40·0.9) = 90
 *   trainer (A):        both judges give 10 and 5                        → 100
 *   class Y (B):        judge 1 gives 5 and 5                           → 60·0.5 + 40·1 = 70
 *   organisation (A):   judge 1 gives 9 and 2                           → 60·0.9 + 40·0.4 = 70
 *   ranks: trainer 1, P1 2, class Y and the organisation share 3 — all four within three prizes.
 */
describe('contests', () => {
  const clock = new FixedClock(new Date('2026-11-25T10:00:00+07:00'));
  let t: TestApp;
  let program: { id: string };
  let A: string;
  let B: string;
  let judge1: TestUser;
  let judge2: TestUser;
  let steeringA: TestUser;
  let steeringB: TestUser;
  let viewer: TestUser;
  const ids: Record<string, string> = {};
  let contestId: string;
  let criteria: { id: string; name: string }[];
  const entries: Record<string, string> = {};

  const criteriaInput = [
    { name: 'Tính ứng dụng thực tế', weight: 60, maxPoints: 10 },
    { name: 'Trình bày', weight: 40, maxPoints: 5 },
  ];
  const kpi = async (period: string, unit = '19') => {
    const res = await t.http.get(`/api/v1/programs/${program.id}/kpi?unit=${unit}&period=${period}`);
    expect(res.status).toBe(200);
    const of = (code: string) => res.body.indicators.find((d: any) => d.code === code).actual;
    return { entries: of('contest_entries'), winners: of('contest_winners'), body: res.body };
  };
  const score = (who: TestUser, entry: string, points: [number, number], contest = contestId) =>
    who.http.put(`/api/v1/contests/${contest}/entries/${entries[entry]}/scores`, {
      scores: criteria.map((c, i) => ({ criterionId: c.id, points: points[i] })),
    });

  beforeAll(async () => {
    t = await startTestApp({ clock });
    [A, B] = await communesOf(t, '19');
    program = await createProgram(t.http);
    const lead = await createTrainer(t.http, program.id, A, { tier: 'provincial_core' });
    ids.trainer = lead.id;
    const p1 = await createPerson(t.http, A, { fullName: 'Hoàng Thị Mai' });
    const p2 = await createPerson(t.http, B);
    ids.P1 = p1.id;
    ids.P2 = p2.id;
    ids.P3 = (await createPerson(t.http, A)).id;
    const x = await createClass(t.http, program.id, lead.id, A);
    const y = await createClass(t.http, program.id, lead.id, B, { title: 'Lớp AI cho hội nông dân xã' });
    ids.classY = y.id;
    for (const [c, p] of [
      [x.id, p1.id],
      [y.id, p2.id],
    ]) {
      expect((await t.http.post(`/api/v1/classes/${c}/enrolments`, { personId: p })).status).toBe(201);
    }
    ids.organisation = await createOrganisation(t, A, 'Hợp tác xã chè Tân Cương');
    judge1 = await createUser(t, [{ role: 'steering', unitCode: '19' }]);
    judge2 = await createUser(t, [{ role: 'steering', unitCode: '19' }]);
    steeringA = await createUser(t, [{ role: 'steering', unitCode: A }]);
    steeringB = await createUser(t, [{ role: 'steering', unitCode: B }]);
    viewer = await createUser(t, [{ role: 'viewer', unitCode: '19' }]);
  });
  afterAll(() => t.close());

  it('creates a contest for a unit and period with weighted criteria, refusing bad input and other units', async () => {
    const body = {
      programId: program.id,
      unit: '19',
      name: 'Hội thi "Bình dân học AI" quý IV năm 2026',
      period: '2026-Q4',
      winners: 3,
      criteria: criteriaInput,
    };
    const bad = await judge1.http.post('/api/v1/contests', {
      ...body,
      period: 'quý 4',
      criteria: [{ name: 'Trình bày', weight: 0, maxPoints: 5 }],
    });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    expect(bad.body.errors.map((e: any) => e.field).sort()).toEqual(['criteria[0].weight', 'period']);
    const none = await judge1.http.post('/api/v1/contests', { ...body, criteria: [] });
    expect([none.status, none.body.errors[0].field]).toEqual([400, 'criteria']);
    const twice = await judge1.http.post('/api/v1/contests', {
      ...body,
      criteria: [criteriaInput[0], { ...criteriaInput[1], name: 'tính ứng dụng thực tế' }],
    });
    expect([twice.status, twice.body.errors]).toEqual([
      400,
      [{ field: 'criteria[1].name', reason: 'tiêu chí bị trùng tên' }],
    ]);
    // A commune's steering member cannot hold the province's contest; a viewer holds none.
    const outOfScope = await steeringA.http.post('/api/v1/contests', body);
    expect([outOfScope.status, outOfScope.body.code]).toEqual([403, 'OUT_OF_SCOPE']);
    expect((await viewer.http.post('/api/v1/contests', body)).status).toBe(403);

    const created = await judge1.http.post('/api/v1/contests', body);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      unit: { code: '19' },
      period: '2026-Q4',
      periodLabel: 'quý IV năm 2026',
      startsOn: '2026-10-01',
      endsOn: '2026-12-31',
      winners: 3,
      status: 'open',
      entries: [],
      canJudge: true,
    });
    expect(created.body.criteria.map((c: any) => [c.position, c.name, c.weight, c.maxPoints])).toEqual([
      [1, 'Tính ứng dụng thực tế', 60, 10],
      [2, 'Trình bày', 40, 5],
    ]);
    contestId = created.body.id;
    criteria = created.body.criteria;
  });

  it('takes entries by people, trainers, classes and organisations of the contest area and program only', async () => {
    for (const [key, kind, subject] of [
      ['P1', 'person', ids.P1],
      ['trainer', 'trainer', ids.trainer],
      ['classY', 'class', ids.classY],
      ['organisation', 'organisation', ids.organisation],
    ]) {
      const res = await judge1.http.post(`/api/v1/contests/${contestId}/entries`, {
        kind,
        subjectId: subject,
      });
      expect([key, res.status]).toEqual([key, 201]);
      entries[key] = res.body.id;
    }
    const names = (await judge1.http.get(`/api/v1/contests/${contestId}`)).body.entries.map((e: any) => [
      e.kind,
      e.name,
      e.unit.code,
    ]);
    expect(names).toEqual(
      expect.arrayContaining([
        ['person', 'Hoàng Thị Mai', A],
        ['class', 'Lớp AI cho hội nông dân xã', B],
        ['organisation', 'Hợp tác xã chè Tân Cương', A],
      ]),
    );
    // Someone who never enrolled in the program's classes is not one of its learners.
    const outsider = await judge1.http.post(`/api/v1/contests/${contestId}/entries`, {
      kind: 'person',
      subjectId: ids.P3,
    });
    expect([outsider.status, outsider.body.errors]).toEqual([
      400,
      [{ field: 'subjectId', reason: 'không có người học này trong chương trình' }],
    ]);
    const twice = await judge1.http.post(`/api/v1/contests/${contestId}/entries`, {
      kind: 'person',
      subjectId: ids.P1,
    });
    expect([twice.status, twice.body.code, twice.body.entryId]).toEqual([
      409,
      'CONTEST_ENTRY_EXISTS',
      entries.P1,
    ]);
    const kind = await judge1.http.post(`/api/v1/contests/${contestId}/entries`, {
      kind: 'team',
      subjectId: ids.P1,
    });
    expect([kind.status, kind.body.errors[0].field]).toEqual([400, 'kind']);
    // Candidates are those of the area not entered yet.
    const candidates = await judge1.http.get(`/api/v1/contests/${contestId}/candidates?kind=person`);
    expect(candidates.status).toBe(200);
    expect(candidates.body.map((c: any) => c.id)).toEqual([ids.P2]);
  });

  it('is read only within scope: the commune below sees nothing of the province contest', async () => {
    expect((await steeringB.http.get(`/api/v1/contests/${contestId}`)).body.code).toBe('CONTEST_NOT_FOUND');
    const list = await steeringB.http.get(`/api/v1/contests?programId=${program.id}`);
    expect([list.status, list.body.total]).toEqual([200, 0]);
    const seen = await viewer.http.get(`/api/v1/contests/${contestId}`);
    expect([seen.status, seen.body.canJudge]).toEqual([200, false]);
    const add = await steeringB.http.post(`/api/v1/contests/${contestId}/entries`, {
      kind: 'person',
      subjectId: ids.P2,
    });
    expect(add.status).toBe(404);
  });

  it('scores by criteria per judge, refusing points over the maximum and non-judges', async () => {
    const over = await score(judge1, 'P1', [11, 4]);
    expect([over.status, over.body.errors]).toEqual([
      400,
      [{ field: 'scores[0].points', reason: 'tối đa 10 điểm' }],
    ]);
    const viewerScore = await score(viewer, 'P1', [8, 4]);
    expect(viewerScore.status).toBe(403);
    expect((await score(judge1, 'P1', [8, 4])).body).toMatchObject({ total: 80, judges: 1, scored: true });
    const second = await score(judge2, 'P1', [10, 5]);
    expect(second.body).toMatchObject({ total: 90, judges: 2, myScores: { [criteria[0].id]: 10 } });
    await score(judge1, 'trainer', [10, 5]);
    await score(judge2, 'trainer', [10, 5]);
    await score(judge1, 'classY', [5, 5]);
    // Results cannot be published while an entry lacks points; entries count before results are out.
    const early = await judge1.http.post(`/api/v1/contests/${contestId}/publish`, {});
    expect([early.status, early.body.code, early.body.entries]).toEqual([
      409,
      'CONTEST_UNSCORED',
      ['Hợp tác xã chè Tân Cương'],
    ]);
    expect(await kpi('2026')).toMatchObject({ entries: 4, winners: 0 });
    await score(judge1, 'organisation', [9, 2]);
  });

  it('publishes totals and ranks (ties share a rank), then locks the contest', async () => {
    const published = await judge2.http.post(`/api/v1/contests/${contestId}/publish`, {});
    expect(published.status).toBe(200);
    expect(published.body.status).toBe('published');
    expect(published.body.entries.map((e: any) => [e.name, e.total, e.rank, e.winner])).toEqual([
      [expect.any(String), 100, 1, true],
      ['Hoàng Thị Mai', 90, 2, true],
      ['Hợp tác xã chè Tân Cương', 70, 3, true],
      ['Lớp AI cho hội nông dân xã', 70, 3, true],
    ]);
    expect((await score(judge1, 'P1', [1, 1])).body.code).toBe('CONTEST_PUBLISHED');
    const late = await judge1.http.post(`/api/v1/contests/${contestId}/entries`, {
      kind: 'person',
      subjectId: ids.P2,
    });
    expect([late.status, late.body.code]).toEqual([409, 'CONTEST_PUBLISHED']);
    const audit = await t.dataSource.query(
      `SELECT action FROM audit_log WHERE entity_id = $1 AND action LIKE 'contest.%' ORDER BY id`,
      [contestId],
    );
    expect(audit.map((a: any) => a.action)).toEqual([
      'contest.created',
      ...Array(4).fill('contest.entry_added'),
      'contest.published',
    ]);
  });

  it("a commune's own contest takes only its own area's entries", async () => {
    const created = await steeringA.http.post('/api/v1/contests', {
      programId: program.id,
      unit: A,
      name: 'Hội thi tìm hiểu AI cấp xã',
      period: '2026-11',
      winners: 1,
      criteria: [{ name: 'Kiến thức', weight: 100, maxPoints: 100 }],
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    const other = await steeringA.http.post(`/api/v1/contests/${id}/entries`, {
      kind: 'person',
      subjectId: ids.P2,
    });
    expect([other.status, other.body.errors]).toEqual([
      400,
      [{ field: 'subjectId', reason: 'người học không thuộc địa bàn của hội thi' }],
    ]);
    const entry = await steeringA.http.post(`/api/v1/contests/${id}/entries`, {
      kind: 'person',
      subjectId: ids.P1,
    });
    expect(entry.status).toBe(201);
    const scored = await steeringA.http.put(`/api/v1/contests/${id}/entries/${entry.body.id}/scores`, {
      scores: [{ criterionId: created.body.criteria[0].id, points: 75.5 }],
    });
    expect(scored.body.total).toBe(75.5);
    expect((await steeringA.http.post(`/api/v1/contests/${id}/publish`, {})).body.entries[0]).toMatchObject({
      rank: 1,
      winner: true,
    });
    // The province sees the commune's contest in its list.
    const list = await judge1.http.get(`/api/v1/contests?programId=${program.id}`);
    expect(list.body.items.map((c: any) => c.name)).toEqual([
      'Hội thi "Bình dân học AI" quý IV năm 2026',
      'Hội thi tìm hiểu AI cấp xã',
    ]);
  });

  it('counts entries and winners as KPI figures at the entrant unit, on the leaderboard and in drill-downs', async () => {
    const province = await kpi('2026');
    expect([province.entries, province.winners]).toEqual([5, 5]);
    expect(await kpi('2026-11', A)).toMatchObject({ entries: 1, winners: 1 });
    expect(await kpi('2026-Q4', A)).toMatchObject({ entries: 4, winners: 4 });
    expect(await kpi('2026-Q4', B)).toMatchObject({ entries: 1, winners: 1 });
    expect(await kpi('2026-Q3')).toMatchObject({ entries: 0, winners: 0 });
    const byChild = province.body.byChild.find((c: any) => c.unit.code === A);
    expect(byChild.indicators.contest_winners.actual).toBe(4);
    const board = await viewer.http.get(
      `/api/v1/programs/${program.id}/kpi/leaderboard?unit=19&period=2026&indicator=contest_winners&sort=actual&limit=2`,
    );
    expect(board.status).toBe(200);
    expect(board.body.items.map((r: any) => [r.rank, r.unit.code, r.actual])).toEqual([
      [1, A, 4],
      [2, B, 1],
    ]);
    const drill = await viewer.http.get(
      `/api/v1/programs/${program.id}/kpi/drilldown?unit=${B}&period=2026&indicator=contest_winners`,
    );
    expect(drill.body).toMatchObject({ kind: 'contest_entries', total: 1 });
    expect(drill.body.items[0]).toMatchObject({
      name: 'Lớp AI cho hội nông dân xã',
      total: 70,
      rank: 3,
      winner: true,
    });
  });

  it("a merged person's entries become the survivor's, and the figures stay", async () => {
    const merged = await t.http.post(`/api/v1/people/${ids.P3}/merge`, { sourceIds: [ids.P1] });
    expect(merged.status).toBe(200);
    const contest = await judge1.http.get(`/api/v1/contests/${contestId}`);
    expect(contest.body.entries.find((e: any) => e.id === entries.P1).subjectId).toBe(ids.P3);
    expect(await kpi('2026')).toMatchObject({ entries: 5, winners: 5 });
  });
});
