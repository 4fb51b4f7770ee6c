import { ReachChange, ReachRepository } from '../../libs/trainers/src';
import { FixedClock } from '../../libs/platform/src';
import { createPerson, createProgram, createTrainer } from '../support/campaign';
import { communesOf } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

describe('the trainer cascade and reach', () => {
  const clock = new FixedClock(new Date('2026-06-01T10:00:00+07:00'));
  let t: TestApp;
  let communes: string[];
  let program: string;
  let reach: ReachRepository;
  /** root → a → (a1, a2); root → b; c is outside the tree. */
  const tree: Record<'root' | 'a' | 'a1' | 'a2' | 'b' | 'c', string> = {} as never;

  /** Completions inserted through the repository layer, as the classes module will. */
  const complete = (changes: ReachChange[]) => t.dataSource.transaction((m) => reach.apply(m, changes));
  const reachOf = async (trainer: string) =>
    (await t.http.get(`/api/v1/programs/${program}/trainers/${trainer}/reach`)).body;
  /** Every trainer's cascade facts are the distinct people of its subtree's reach facts, with their counts. */
  const expectCascadesKept = async () => {
    const rows: { id: string; kept: number; via: number; people: number; facts: number }[] =
      await t.dataSource.query(
        `SELECT a.id,
                (SELECT count(*)::int FROM cascade_reach_fact c WHERE c.trainer_id = a.id) AS kept,
                (SELECT coalesce(sum(c.via), 0)::int FROM cascade_reach_fact c WHERE c.trainer_id = a.id) AS via,
                (SELECT count(DISTINCT f.person_id)::int FROM trainer d JOIN reach_fact f ON f.trainer_id = d.id
                  WHERE d.program_id = a.program_id AND d.lineage_path LIKE a.lineage_path || '%') AS people,
                (SELECT count(*)::int FROM trainer d JOIN reach_fact f ON f.trainer_id = d.id
                  WHERE d.program_id = a.program_id AND d.lineage_path LIKE a.lineage_path || '%') AS facts
           FROM trainer a WHERE a.program_id = $1 ORDER BY a.id`,
        [program],
      );
    expect(rows.map((r) => [r.id, r.kept, r.via])).toEqual(rows.map((r) => [r.id, r.people, r.facts]));
  };

  beforeAll(async () => {
    t = await startTestApp({ clock });
    reach = t.app.get(ReachRepository);
    communes = await communesOf(t, '19');
    program = (
      await createProgram(t.http, { startsOn: '2026-03-01', endsOn: '2026-12-31', defaultQuota: 1500 })
    ).id;
    tree.root = (await createTrainer(t.http, program, communes[0], { tier: 'provincial_core' })).id;
    tree.a = (await createTrainer(t.http, program, communes[1], { trainedById: tree.root })).id;
    tree.b = (await createTrainer(t.http, program, communes[2], { trainedById: tree.root })).id;
    tree.a1 = (await createTrainer(t.http, program, communes[3], { trainedById: tree.a })).id;
    tree.a2 = (await createTrainer(t.http, program, communes[3], { trainedById: tree.a, quota: 100 })).id;
    tree.c = (await createTrainer(t.http, program, communes[4], { tier: 'provincial_core' })).id;
  });
  afterAll(() => t.close());

  it('answers lineage upward, direct trainees, and the downstream subtree with depth', async () => {
    const lineage = await t.http.get(`/api/v1/programs/${program}/trainers/${tree.a1}/lineage`);
    expect(lineage.body.map((x: { id: string }) => x.id)).toEqual([tree.root, tree.a]);
    const trainees = await t.http.get(`/api/v1/programs/${program}/trainers/${tree.root}/trainees`);
    expect(trainees.body.items.map((x: { id: string }) => x.id).sort()).toEqual([tree.a, tree.b].sort());
    const downstream = await t.http.get(`/api/v1/programs/${program}/trainers/${tree.root}/downstream`);
    expect(downstream.body.total).toBe(4);
    expect(downstream.body.items.map((x: { relativeDepth: number }) => x.relativeDepth)).toEqual([
      1, 1, 2, 2,
    ]);
    const shallow = await t.http.get(
      `/api/v1/programs/${program}/trainers/${tree.root}/downstream?maxDepth=1`,
    );
    expect(shallow.body.total).toBe(2);
    const paged = await t.http.get(
      `/api/v1/programs/${program}/trainers/${tree.root}/downstream?limit=3&offset=3`,
    );
    expect(paged.body).toMatchObject({ total: 4, items: [expect.objectContaining({ relativeDepth: 2 })] });
  });

  it('rejects cycles: nobody is trained by themselves or by their own trainees', async () => {
    for (const trainedById of [tree.a, tree.a1, tree.root]) {
      const res = await t.http.patch(`/api/v1/programs/${program}/trainers/${tree.root}`, { trainedById });
      expect([res.status, res.body.code]).toEqual([409, 'TRAINER_CYCLE']);
    }
    // Moving a subtree is fine, and the paths follow: b now trains under c.
    const moved = await t.http.patch(`/api/v1/programs/${program}/trainers/${tree.b}`, {
      trainedById: tree.c,
    });
    expect(moved.body).toMatchObject({ trainedBy: { id: tree.c }, generation: 1 });
    expect((await t.http.get(`/api/v1/programs/${program}/trainers/${tree.c}/downstream`)).body.total).toBe(
      1,
    );
    await t.http.patch(`/api/v1/programs/${program}/trainers/${tree.b}`, { trainedById: tree.root });
  });

  it('counts direct reach and cascade reach by distinct people', async () => {
    const people = [];
    for (let i = 0; i < 6; i++) people.push((await createPerson(t.http, communes[5])).id);
    const [p1, p2, p3, p4, p5, p6] = people;
    await complete([
      { trainerId: tree.a, personId: p1, reachedOn: '2026-05-10' },
      { trainerId: tree.a, personId: p2, reachedOn: '2026-05-11' },
      { trainerId: tree.a1, personId: p2, reachedOn: '2026-05-12' }, // p2 reached twice in the subtree
      { trainerId: tree.a1, personId: p3, reachedOn: '2026-05-20' },
      { trainerId: tree.a2, personId: p3, reachedOn: '2026-05-21' }, // p3 too
      { trainerId: tree.b, personId: p4, reachedOn: '2026-05-25' },
      { trainerId: tree.c, personId: p5, reachedOn: '2026-05-26' }, // outside root's tree
      { trainerId: tree.c, personId: p1, reachedOn: '2026-05-26' },
    ]);
    // Sending the same completions again changes nothing.
    await complete([{ trainerId: tree.a, personId: p1, reachedOn: '2026-05-10' }]);
    expect(await reachOf(tree.a)).toMatchObject({ directReach: 2, cascadeReach: 3, downstreamTrainers: 2 });
    expect(await reachOf(tree.a1)).toMatchObject({ directReach: 2, cascadeReach: 2 });
    expect(await reachOf(tree.root)).toMatchObject({
      directReach: 0,
      cascadeReach: 4,
      downstreamTrainers: 4,
    });
    expect(await reachOf(tree.c)).toMatchObject({ directReach: 2, cascadeReach: 2 });

    // A corrected completion takes the person out again; an earlier completion moves the day.
    await complete([
      { trainerId: tree.a1, personId: p2, reachedOn: null },
      { trainerId: tree.a, personId: p6, reachedOn: '2026-05-30' },
    ]);
    expect(await reachOf(tree.a1)).toMatchObject({ directReach: 1, cascadeReach: 1 });
    expect(await reachOf(tree.a)).toMatchObject({ directReach: 3, cascadeReach: 4 });
    const counters = await t.dataSource.query(
      `SELECT t.id, t.direct_reach AS direct, (SELECT count(*)::int FROM reach_fact f WHERE f.trainer_id = t.id) AS facts,
              coalesce((SELECT sum(reached)::int FROM trainer_reach_daily d WHERE d.trainer_id = t.id), 0) AS daily
         FROM trainer t WHERE t.program_id = $1`,
      [program],
    );
    for (const row of counters) expect([row.direct, row.daily]).toEqual([row.facts, row.facts]);
    await expectCascadesKept();
  });

  it('computes quota progress, the pace needed and the projected date on the clock', async () => {
    const d = (await createTrainer(t.http, program, communes[6], { trainedById: tree.b, quota: 100 })).id;
    const people = [];
    for (let i = 0; i < 40; i++) people.push((await createPerson(t.http, communes[6])).id);
    // Quota 100: 40 people, 28 of them in the last 4 weeks (up to 1 June): 7 a week.
    await complete(
      people.map((personId, i) => ({
        trainerId: d,
        personId,
        reachedOn: i < 12 ? '2026-04-01' : '2026-05-20',
      })),
    );
    const pace = await reachOf(d);
    expect(pace).toMatchObject({
      quota: 100,
      directReach: 40,
      quotaProgress: 0.4,
      remaining: 60,
      currentPacePerWeek: 7,
      // 214 days from 1 June to 31 December: 60 × 7 / 214.
      neededPacePerWeek: 2,
      // 1 a day (28 in 28 days): 60 days after 1 June.
      projectedCompletionDate: '2026-07-31',
      behindSchedule: false,
      asOf: '2026-06-01',
    });
    // Six months later nothing more happened: the pace is zero and the trainer is behind.
    clock.set(new Date('2026-12-01T10:00:00+07:00'));
    await t.reauthenticate();
    expect(await reachOf(d)).toMatchObject({
      currentPacePerWeek: 0,
      projectedCompletionDate: null,
      behindSchedule: true,
    });
    clock.set(new Date('2026-06-01T10:00:00+07:00'));
    await t.reauthenticate();
  });

  it('ranks trainers in a unit by reach, by share of quota and by pace', async () => {
    const board = async (sort: string) =>
      (await t.http.get(`/api/v1/programs/${program}/leaderboard?unit=19&sort=${sort}`)).body.items.map(
        (e: { trainer: { id: string } }) => e.trainer.id,
      );
    // The trainer with quota 100 leads on reach (40) and share of quota (40%); a2 (3 of 100) is second by share.
    const byReach = await board('reach');
    const byQuota = await board('quota');
    expect(byQuota.indexOf(tree.a2)).toBe(1);
    expect(byReach[0]).toBe(byQuota[0]);
    expect(byReach.indexOf(tree.a)).toBeLessThan(byReach.indexOf(tree.root));
    expect((await board('pace'))[0]).toBe(byReach[0]);
    const res = await t.http.get(`/api/v1/programs/${program}/leaderboard?unit=${communes[1]}`);
    expect(res.body.items.map((e: { trainer: { id: string } }) => e.trainer.id)).toEqual([tree.a]);
    expect(res.body.items[0]).toMatchObject({ rank: 1, pace: { directReach: 3, quota: 1500 } });
    // Who is behind pace: exactly the trainers whose pace says so, decided in SQL by the same rule.
    const all = (await t.http.get(`/api/v1/programs/${program}/leaderboard?unit=19&limit=500`)).body.items;
    const behind = (await t.http.get(`/api/v1/programs/${program}/leaderboard?unit=19&behind=true&limit=500`))
      .body;
    const expected = all.filter((e: any) => e.pace.behindSchedule).map((e: any) => e.trainer.id);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(all.length);
    expect(behind.items.map((e: any) => e.trainer.id).sort()).toEqual([...expected].sort());
    expect(behind.total).toBe(expected.length);
    expect(behind.items.every((e: any) => e.pace.behindSchedule)).toBe(true);
    // The pace is the same whether the order needed it for every trainer (pace) or only for the page (reach).
    const paceOf = (items: any[]) => Object.fromEntries(items.map((e) => [e.trainer.id, e.pace]));
    const byPace = (await t.http.get(`/api/v1/programs/${program}/leaderboard?unit=19&sort=pace&limit=500`))
      .body;
    expect(byPace.total).toBe(all.length);
    expect(paceOf(byPace.items)).toEqual(paceOf(all));
  });

  it('merging two records of one person moves the trainer role and reach, counting the person once', async () => {
    const learnerA = await createPerson(t.http, communes[7], { fullName: 'Triệu Văn Lâm', birthYear: 1980 });
    const learnerB = await createPerson(t.http, communes[7], { fullName: 'Triệu Văn Lâm', birthYear: 1980 });
    await complete([
      { trainerId: tree.b, personId: learnerA.id, reachedOn: '2026-05-28' },
      { trainerId: tree.b, personId: learnerB.id, reachedOn: '2026-05-02' },
      { trainerId: tree.c, personId: learnerB.id, reachedOn: '2026-05-03' },
    ]);
    const bBefore = await reachOf(tree.b);
    const cBefore = await reachOf(tree.c);
    const rootBefore = await reachOf(tree.root);
    const trainerPerson = await createPerson(t.http, communes[7], {
      fullName: 'Triệu Thị Hoa',
      birthYear: 1985,
      gender: 'female',
    });
    const twin = await createPerson(t.http, communes[7], {
      fullName: 'Triệu Thị Hoa',
      birthYear: 1985,
      gender: 'female',
    });
    const role = await createTrainer(t.http, program, communes[7], {
      personId: twin.id,
      trainedById: tree.b,
    });

    const merged = await t.http.post(`/api/v1/people/${learnerA.id}/merge`, { sourceIds: [learnerB.id] });
    expect(merged.status).toBe(200);
    expect(await reachOf(tree.b)).toMatchObject({
      directReach: bBefore.directReach - 1,
      cascadeReach: bBefore.cascadeReach - 1,
    });
    expect((await reachOf(tree.c)).directReach).toBe(cBefore.directReach);
    expect((await reachOf(tree.root)).cascadeReach).toBe(rootBefore.cascadeReach - 1);
    const [fact] = await t.dataSource.query(
      `SELECT reached_on FROM reach_fact WHERE trainer_id = $1 AND person_id = $2`,
      [tree.b, learnerA.id],
    );
    expect(fact.reached_on).toBe('2026-05-02');
    expect((await t.http.get(`/api/v1/people/${learnerB.id}`)).body.mergedIntoId).toBe(learnerA.id);

    const roleMerge = await t.http.post(`/api/v1/people/${trainerPerson.id}/merge`, { sourceIds: [twin.id] });
    expect(roleMerge.status).toBe(200);
    const trainer = await t.http.get(`/api/v1/programs/${program}/trainers/${role.id}`);
    expect(trainer.body.person.id).toBe(trainerPerson.id);
    const audit = await t.http.get(
      `/api/v1/audit?entityType=person&entityId=${learnerA.id}&action=person.merged`,
    );
    expect(audit.body.items[0].after.moved).toEqual({
      trainers: 2,
      classes: 0,
      certificates: 0,
      partners: 0,
      contests: 0,
      flags: 0,
    });
    expect(audit.body.items[0].before.sources[0].id).toBe(learnerB.id);
    await expectCascadesKept();
  });

  it("moves a subtree's people from the cascades it leaves to those it joins", async () => {
    const [only, shared] = [
      (await createPerson(t.http, communes[8])).id,
      (await createPerson(t.http, communes[8])).id,
    ];
    await complete([
      { trainerId: tree.a1, personId: only, reachedOn: '2026-05-15' },
      { trainerId: tree.a1, personId: shared, reachedOn: '2026-05-15' },
      { trainerId: tree.a, personId: shared, reachedOn: '2026-05-16' },
    ]);
    const before = { a: await reachOf(tree.a), b: await reachOf(tree.b), root: await reachOf(tree.root) };
    const a1 = (await reachOf(tree.a1)).cascadeReach;
    // a1 (and whatever is below it) leaves a for b: within root's tree, root counts the same people.
    expect(
      (await t.http.patch(`/api/v1/programs/${program}/trainers/${tree.a1}`, { trainedById: tree.b })).status,
    ).toBe(200);
    expect((await reachOf(tree.root)).cascadeReach).toBe(before.root.cascadeReach);
    expect((await reachOf(tree.b)).cascadeReach).toBe(before.b.cascadeReach + a1);
    expect((await reachOf(tree.a)).cascadeReach).toBeLessThan(before.a.cascadeReach);
    await expectCascadesKept();
    // Out of root's tree altogether, then back under a.
    expect(
      (await t.http.patch(`/api/v1/programs/${program}/trainers/${tree.a1}`, { trainedById: null })).status,
    ).toBe(200);
    expect((await reachOf(tree.root)).cascadeReach).toBeLessThan(before.root.cascadeReach);
    await expectCascadesKept();
    expect(
      (await t.http.patch(`/api/v1/programs/${program}/trainers/${tree.a1}`, { trainedById: tree.a })).status,
    ).toBe(200);
    expect(await reachOf(tree.a)).toMatchObject({ cascadeReach: before.a.cascadeReach });
    await expectCascadesKept();
  });
});
