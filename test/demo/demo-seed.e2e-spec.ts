import { DemoSeedService } from '../../libs/demo/src';
import { startTestApp, TestApp } from '../support/test-app';

describe('the demo campaign', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { DEMO_PASSWORD: 'Demo-Password-123' } });
  });
  afterAll(() => t.close());

  it('creates a realistic Thái Nguyên campaign once, with working demo accounts', async () => {
    const summary = await t.app.get(DemoSeedService).seedIfAbsent();
    expect(summary).toMatchObject({ provincialTrainers: 30, communeTrainers: 300, learners: 3000 });
    expect(await t.app.get(DemoSeedService).seedIfAbsent()).toBeNull();

    const [counts] = await t.dataSource.query(
      `SELECT (SELECT count(*)::int FROM trainer WHERE depth = 0) AS roots,
              (SELECT count(*)::int FROM trainer WHERE depth = 1) AS generation1,
              (SELECT count(DISTINCT home_unit_id)::int FROM trainer WHERE depth = 1) AS communes,
              (SELECT count(*)::int FROM person) AS people,
              (SELECT count(DISTINCT person_id)::int FROM reach_fact) AS reached,
              (SELECT count(*)::int FROM person WHERE full_name !~ '^[[:alpha:]]+( [[:alpha:]]+)+$') AS odd_names`,
    );
    expect(counts).toMatchObject({ roots: 30, generation1: 300, communes: 92, people: 3330, odd_names: 0 });
    // Reach is what the classes produced: distinct people with a completed citizen class.
    const [truth] = await t.dataSource.query(
      `SELECT count(DISTINCT e.person_id)::int AS n FROM enrolment e JOIN training_class c ON c.id = e.class_id
        WHERE e.status = 'completed' AND c.kind = 'citizen'`,
    );
    expect(counts.reached).toBe(truth.n);
    expect(counts.reached).toBeGreaterThan(2000);
    expect(summary!.classes).toBeGreaterThan(230);
    const [classes] = await t.dataSource.query(
      `SELECT count(*) FILTER (WHERE kind = 'training_of_trainers')::int AS tot,
              count(*) FILTER (WHERE status = 'scheduled')::int AS upcoming,
              (SELECT count(*)::int FROM enrolment e JOIN training_class c ON c.id = e.class_id
                WHERE c.kind = 'training_of_trainers' AND e.status = 'completed') AS graduates
         FROM training_class`,
    );
    expect(classes.tot).toBe(30);
    expect(classes.graduates).toBe(300);
    expect(classes.upcoming).toBeGreaterThan(0);
    // Every completer holds one certificate per level (the demo program issues them automatically).
    const [certificates] = await t.dataSource.query(
      `SELECT (SELECT count(*)::int FROM certificate WHERE status = 'valid') AS issued,
              (SELECT count(*)::int FROM (SELECT DISTINCT e.person_id, c.level FROM enrolment e
                 JOIN training_class c ON c.id = e.class_id WHERE e.status = 'completed') x) AS expected,
              (SELECT max(serial_number) FROM certificate) AS last`,
    );
    expect(certificates.issued).toBe(certificates.expected);
    expect(certificates.last).toBe(certificates.issued);

    const steering = await t.login('bcd.thainguyen@lantoa.vn', 'Demo-Password-123');
    const programs = await steering.get('/api/v1/programs?unit=19');
    expect(programs.body.items).toEqual([expect.objectContaining({ code: 'TN', materialCount: 8 })]);
    const board = await steering.get(`/api/v1/programs/${summary!.programId}/leaderboard?unit=19&limit=5`);
    expect(board.body.total).toBe(330);
    expect(board.body.items[0].pace.directReach).toBeGreaterThan(10);
    const root = (
      await steering.get(`/api/v1/programs/${summary!.programId}/trainers?tier=provincial_core&limit=1`)
    ).body.items[0];
    const reach = await steering.get(`/api/v1/programs/${summary!.programId}/trainers/${root.id}/reach`);
    expect(reach.body.cascadeReach).toBeGreaterThan(0);
    expect(reach.body.downstreamTrainers).toBe(10);
    const population = await steering.get('/api/v1/units/19/population?year=2026');
    expect(population.body.figures.total).toBeGreaterThan(900_000);

    // The province's KPI shows plan vs actual at once: distinct people reached in 2026 against the target.
    const kpi = await steering.get(`/api/v1/programs/${summary!.programId}/kpi?unit=19&period=2026`);
    expect(kpi.status).toBe(200);
    const [reached] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM (
         SELECT a.person_id FROM attendance a JOIN class_session s ON s.id = a.session_id
           JOIN training_class c ON c.id = a.class_id
          WHERE c.kind = 'citizen' AND a.status IN ('present', 'late')
          GROUP BY a.person_id HAVING min(((s.starts_at AT TIME ZONE 'UTC') + interval '7 hours')::date) < '2027-01-01') x`,
    );
    const learners = kpi.body.indicators.find((d: { code: string }) => d.code === 'learners_reached');
    expect(learners).toMatchObject({ actual: reached.n, target: 2500 });
    expect(learners.percentOfTarget).toBe(Math.round((reached.n / 2500) * 1000) / 10);
    expect(
      kpi.body.byChild.filter((c: any) => c.indicators.learners_reached.target > 0).length,
    ).toBeGreaterThan(80);
    const reports = await steering.get(`/api/v1/reports?program=${summary!.programId}`);
    expect(reports.body.items.map((r: { status: string }) => r.status).sort()).toEqual([
      'approved',
      'returned',
      'submitted',
      'submitted',
    ]);

    const trainer = await t.login('giangvien.tn@lantoa.vn', 'Demo-Password-123');
    const own = await trainer.get(`/api/v1/programs/${summary!.programId}/trainers`);
    // A provincial trainer sees themselves and the ten commune trainers they trained.
    expect(own.body.total).toBe(11);
  });
});
