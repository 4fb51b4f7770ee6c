import { createProgram, createTrainer } from '../support/campaign';
import { communesOf } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

/** Where a trainer stands in their commune and province, by direct reach, without seeing anyone else. */
describe('trainer standing', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t?.close());

  it('ranks by direct reach in the home commune and in the province, ties sharing a rank', async () => {
    const [a, b] = await communesOf(t, '19');
    const program = await createProgram(t.http);
    const inA: { id: string }[] = [];
    for (let i = 0; i < 3; i++) inA.push(await createTrainer(t.http, program.id, a));
    const inB: { id: string }[] = [];
    for (let i = 0; i < 2; i++) inB.push(await createTrainer(t.http, program.id, b));
    // Direct reach as the reach facts would have left it: A: 40, 25, 25; B: 90, 10.
    const reach = new Map([
      [inA[0].id, 40],
      [inA[1].id, 25],
      [inA[2].id, 25],
      [inB[0].id, 90],
      [inB[1].id, 10],
    ]);
    for (const [id, n] of reach)
      await t.dataSource.query(`UPDATE trainer SET direct_reach = $2 WHERE id = $1`, [id, n]);

    const standing = async (id: string) =>
      (await t.http.get(`/api/v1/programs/${program.id}/trainers/${id}/standing`)).body;
    const first = await standing(inA[1].id);
    expect(first.directReach).toBe(25);
    expect(first.standings.map((s: any) => [s.unit.code, s.rank, s.of])).toEqual([
      [a, 2, 3],
      ['19', 3, 5],
    ]);
    expect((await standing(inB[0].id)).standings.map((s: any) => [s.rank, s.of])).toEqual([
      [1, 2],
      [1, 5],
    ]);
    // The whole boards of those units agree with the standing: everyone there by reach, ties sharing a rank.
    const board = async (id: string, unit: string, query = '') =>
      (await t.http.get(`/api/v1/programs/${program.id}/trainers/${id}/leaderboard?unit=${unit}${query}`))
        .body;
    // Ties are listed the way Vietnamese lists of people are sorted (the people's sort keys).
    const keys: { id: string; key: string }[] = await t.dataSource.query(
      `SELECT t.id, p.sort_key AS key FROM trainer t JOIN person p ON p.id = t.person_id WHERE t.id = ANY ($1::uuid[])`,
      [[inA[1].id, inA[2].id]],
    );
    const tied = keys.sort((x, y) => (x.key < y.key ? -1 : 1)).map((k) => k.id);
    const province = await board(inA[1].id, '19');
    expect(province.total).toBe(5);
    expect(province.items.map((p: any) => [p.trainerId, p.rank, p.directReach, p.me])).toEqual([
      [inB[0].id, 1, 90, false],
      [inA[0].id, 2, 40, false],
      ...tied.map((id) => [id, 3, 25, id === inA[1].id]),
      [inB[1].id, 5, 10, false],
    ]);
    const commune = await board(inA[1].id, a);
    expect(commune.items.map((p: any) => [p.rank, p.homeUnit.code])).toEqual([
      [1, a],
      [2, a],
      [2, a],
    ]);
    // Paged, the rank stays the one in the whole board.
    const second = await board(inA[1].id, '19', '&limit=2&offset=2');
    expect([second.total, second.items.map((p: any) => p.rank)]).toEqual([5, [3, 3]]);
    // The page that holds the trainer, whatever the offset asked.
    const around = await board(inB[1].id, '19', '&limit=2&aroundMe=true');
    expect([around.offset, around.items.map((p: any) => [p.rank, p.me])]).toEqual([4, [[5, true]]]);
    // Only the units of the trainer's own standing: not a sibling commune, not another province.
    for (const unit of [b, '01']) {
      const refused = await t.http.get(
        `/api/v1/programs/${program.id}/trainers/${inA[1].id}/leaderboard?unit=${unit}`,
      );
      expect([unit, refused.status, refused.body.errors?.[0]?.field]).toEqual([unit, 400, 'unit']);
    }

    // An inactive trainer is not counted.
    await t.http.patch(`/api/v1/programs/${program.id}/trainers/${inB[1].id}`, { status: 'inactive' });
    expect((await standing(inA[0].id)).standings.map((s: any) => [s.rank, s.of])).toEqual([
      [1, 3],
      [2, 4],
    ]);
  });

  it('answers 404 for a trainer the caller cannot see and 400 for a malformed id', async () => {
    const program = await createProgram(t.http);
    const missing = await t.http.get(
      `/api/v1/programs/${program.id}/trainers/00000000-0000-4000-8000-000000000000/standing`,
    );
    expect(missing.status).toBe(404);
    expect((await t.http.get(`/api/v1/programs/${program.id}/trainers/nope/standing`)).status).toBe(400);
  });
});
