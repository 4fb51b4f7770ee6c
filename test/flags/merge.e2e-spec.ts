import { createProgram } from '../support/campaign';
import { communesOf } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { consistentSplit, fixture, Fixture, roster, sessionAgo, Split } from './support';

/**
 * Merging people carries the records a flag questions to the survivor: a flagged person merged into a
 * verified one leaves the survivor flagged, two people of one flag become one record, and the split of every
 * figure still adds up to the published figure at every level.
 */
describe('flags: merging people', () => {
  let t: TestApp;
  let A: string;
  let B: string;
  let program: string;
  let flagged: Fixture;
  let honest: Fixture;

  beforeAll(async () => {
    t = await startTestApp();
    [A, B] = await communesOf(t, '19');
    program = (await createProgram(t.http)).id;
    // Four learners marked in class A days after its sessions (back-filled), two in class B on time.
    flagged = await fixture(t, A, {
      programId: program,
      sessions: [sessionAgo(120), sessionAgo(100)],
      learners: 4,
    });
    honest = await fixture(t, B, {
      programId: program,
      sessions: [sessionAgo(50), sessionAgo(26)],
      learners: 2,
    });
    for (const f of [flagged, honest]) for (const s of [0, 1]) await roster(t, f, s);
  });
  afterAll(() => t.close());

  const flags = async () => {
    const res = await t.http.get(`/api/v1/flags?programId=${program}&status=open`);
    expect(res.status).toBe(200);
    const out = [];
    for (const f of res.body.items as { id: string; records: number }[]) {
      const one = await t.http.get(`/api/v1/flags/${f.id}`);
      expect(one.status).toBe(200);
      out.push({
        records: f.records,
        people: (one.body.people as { personId: string }[]).map((p) => p.personId).sort(),
      });
    }
    return out;
  };
  /** The province's split of people reached, after checking every level adds up to the published figure. */
  const reached = async () => {
    const province = await consistentSplit(t, program, [A, B]);
    const pick = (figures: Split[]) => {
      const { all, verified, flagged: open, excluded } = figures.find((f) => f.code === 'learners_reached')!;
      return { all, verified, flagged: open, excluded };
    };
    return {
      province: pick(province.figures),
      B: pick(province.children.find((c) => c.unitCode === B)!.figures),
    };
  };
  const merge = async (survivor: string, source: string) => {
    const res = await t.http.post(`/api/v1/people/${survivor}/merge`, { sourceIds: [source] });
    expect(res.status).toBe(200);
  };

  it('counts the survivor of a flagged person as flagged, not verified', async () => {
    expect(await reached()).toEqual({
      province: { all: 6, verified: 2, flagged: 4, excluded: 0 },
      B: { all: 2, verified: 2, flagged: 0, excluded: 0 },
    });
    const [survivor, source] = [honest.people[0], flagged.people[0]];
    await merge(survivor, source);
    const after = await flags();
    expect(after).toHaveLength(2);
    for (const f of after) {
      expect(f.people).toContain(survivor);
      expect(f.people).not.toContain(source);
      expect(f.records).toBe(4);
    }
    expect(await reached()).toEqual({
      province: { all: 5, verified: 1, flagged: 4, excluded: 0 },
      B: { all: 2, verified: 1, flagged: 1, excluded: 0 },
    });
  });

  it('makes two people of the same flag one record of it', async () => {
    const [survivor, source] = [flagged.people[1], flagged.people[2]];
    await merge(survivor, source);
    const after = await flags();
    expect(after).toHaveLength(2);
    for (const f of after) {
      expect(f.people).toEqual([honest.people[0], flagged.people[1], flagged.people[3]].sort());
      expect(f.records).toBe(3);
    }
    expect(await reached()).toEqual({
      province: { all: 4, verified: 1, flagged: 3, excluded: 0 },
      B: { all: 2, verified: 1, flagged: 1, excluded: 0 },
    });
    const [{ n }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM data_flag_record WHERE person_id = ANY ($1::uuid[])`,
      [[flagged.people[0], source]],
    );
    expect(n).toBe(0);
  });
});
