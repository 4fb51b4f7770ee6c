import { randomUUID } from 'node:crypto';
import { createClass, createPerson, createProgram, createTrainer } from '../support/campaign';
import { communesOf } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * A mark's class and person are checked by triggers, per statement (migrations/1796773000000-AttendanceKeysBySet.ts):
 * what the foreign keys refused is still refused, on whichever path a mark is written.
 */
describe('attendance keys', () => {
  let t: TestApp;
  let classes: Awaited<ReturnType<typeof createClass>>[];
  let person: string;

  beforeAll(async () => {
    t = await startTestApp();
    const [commune] = await communesOf(t, '19');
    const program = (await createProgram(t.http)).id;
    const lead = (
      await createTrainer(t.http, program, commune, { personId: (await createPerson(t.http, commune)).id })
    ).id;
    classes = [
      await createClass(t.http, program, lead, commune),
      await createClass(t.http, program, lead, commune),
    ];
    person = (await createPerson(t.http, commune)).id;
  });
  afterAll(() => t.close());

  const insert = (rows: { session: string; person: string; klass: string }[]) =>
    t.dataSource.query(
      `INSERT INTO attendance (session_id, person_id, class_id, status, method, recorded_at)
       SELECT s, p, c, 'present', 'roster', now() FROM unnest($1::uuid[], $2::uuid[], $3::uuid[]) AS k(s, p, c)`,
      [rows.map((r) => r.session), rows.map((r) => r.person), rows.map((r) => r.klass)],
    );
  const [first, second] = [0, 1];
  const mark = (k: number, s = 0, p?: string) => ({
    session: classes[k].sessions[s].id,
    person: p ?? person,
    klass: classes[k].id,
  });

  it('refuses a statement with one mark of a person who does not exist, or of a session of another class', async () => {
    await expect(insert([mark(first, 0), mark(first, 1, randomUUID())])).rejects.toMatchObject({
      code: '23503',
    });
    await expect(
      insert([mark(first, 0), { ...mark(second, 0), klass: classes[first].id }]),
    ).rejects.toMatchObject({ code: '23503' });
    expect(
      (
        await t.dataSource.query(`SELECT count(*)::int AS n FROM attendance WHERE person_id = $1`, [person])
      )[0].n,
    ).toBe(0);
  });

  it('accepts good marks, checks a mark moved by an update, and keeps a person with marks', async () => {
    await insert([mark(first, 0), mark(first, 1), mark(second, 0)]);
    // A correction that keeps the keys is not looked up; one that moves a mark to a missing person is refused.
    await t.dataSource.query(`UPDATE attendance SET status = 'late' WHERE person_id = $1`, [person]);
    await expect(
      t.dataSource.query(`UPDATE attendance SET person_id = $2 WHERE person_id = $1 AND class_id = $3`, [
        person,
        randomUUID(),
        classes[second].id,
      ]),
    ).rejects.toMatchObject({ code: '23503' });
    await expect(t.dataSource.query(`DELETE FROM person WHERE id = $1`, [person])).rejects.toMatchObject({
      code: '23503',
    });
    // Deleting a class still removes its marks (through its sessions).
    await t.dataSource.query(`DELETE FROM training_class WHERE id = $1`, [classes[second].id]);
    expect(
      (
        await t.dataSource.query(`SELECT count(*)::int AS n FROM attendance WHERE person_id = $1`, [person])
      )[0].n,
    ).toBe(2);
  });
});
