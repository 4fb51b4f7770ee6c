import { behindScheduleSql, isBehindSchedule } from '../../libs/trainers/src';
import { startTestApp, TestApp } from '../support/test-app';

/** The KPI counts trainers on pace in SQL; the API decides pace in code. Both must give the same answer. */
describe('the pace rule in SQL', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ template: 'empty' });
  });
  afterAll(() => t.close());

  it('agrees with the code on every edge of a grid of inputs', async () => {
    const cases: { quota: number; directReach: number; lastFourWeeks: number; daysToEnd: number }[] = [];
    for (const quota of [1, 7, 1500])
      for (const directReach of [0, 1, 6, 7, 1499, 1500, 2000])
        for (const lastFourWeeks of [0, 1, 3, 7, 21, 28, 280])
          for (const daysToEnd of [-5, 0, 1, 13, 14, 27, 28, 200])
            cases.push({ quota, directReach, lastFourWeeks, daysToEnd });
    const rows: { behind: boolean }[] = await t.dataSource.query(
      `SELECT ${behindScheduleSql('q', 'r', 'w', 'd')} AS behind
         FROM unnest($1::int[], $2::int[], $3::int[], $4::int[]) WITH ORDINALITY AS x(q, r, w, d, i) ORDER BY i`,
      [
        cases.map((c) => c.quota),
        cases.map((c) => c.directReach),
        cases.map((c) => c.lastFourWeeks),
        cases.map((c) => c.daysToEnd),
      ],
    );
    const disagreements = cases.filter((c, i) => rows[i].behind !== isBehindSchedule(c, c.daysToEnd));
    expect(disagreements).toEqual([]);
    // Both sides of the rule occur in the grid.
    expect(new Set(rows.map((r) => r.behind))).toEqual(new Set([true, false]));
  });
});
