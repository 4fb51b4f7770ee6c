import { UnitSuccessionService } from '../../libs/hierarchy/src';
import { KpiFactsRepository } from '../../libs/kpi/src';
import { FixedClock } from '../../libs/platform/src';
import { createClass, createPerson, createTrainer, sessionsFrom } from '../support/campaign';
import { createUser, TestUser } from '../support/fixtures';
import { Http } from '../support/http';
import { waitForJobs } from '../support/jobs';
import { importOldLaoCai, LAO_CAI_REORGANISATION, oldUnitId } from '../support/old-map';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Plans of units that existed at the time — Yên Bái province and Văn Yên district, on the map before
 * 1 July 2025; Yên Bái is part of Lào Cai (code 15) since — and who may run and read them.
 */
describe('programs of units of the map before 1 July 2025', () => {
  const clock = new FixedClock(new Date('2026-01-15T09:00:00+07:00'));
  let t: TestApp;
  let laoCai: TestUser; // steering committee of today's Lào Cai (15)
  let thaiNguyen: TestUser; // steering committee of another province (19)
  let mauA: TestUser; // steering committee of today's commune of Mậu A (04375), formed from Văn Yên communes
  let xuanAi: TestUser; // steering committee of another commune of today's Lào Cai (04441)
  let yenBaiPilot: string;
  let vanYenPlan: string;

  const program = (http: Http, overrides: Record<string, unknown>) =>
    http.post('/api/v1/programs', {
      code: `P${Math.random().toString(36).slice(2, 8).toUpperCase()}`,
      name: 'Bình dân học AI',
      completionRule: { minSessions: 2 },
      ...overrides,
    });
  const kpi = async (http: Http, unit: string, view: 'current' | 'recorded') =>
    http.get(`/api/v1/programs/${yenBaiPilot}/kpi?unit=${unit}&period=2024&view=${view}`);
  const actual = (body: any, code: string): number =>
    body.indicators.find((d: { code: string }) => d.code === code).actual;

  beforeAll(async () => {
    t = await startTestApp({ clock, env: { RUN_JOBS: 'true', JOBS_POLL_MS: '100' } });
    await importOldLaoCai(t, { successions: false });
    laoCai = await createUser(t, [{ role: 'steering', unitCode: '15' }]);
    thaiNguyen = await createUser(t, [{ role: 'steering', unitCode: '19' }]);
    mauA = await createUser(t, [{ role: 'steering', unitCode: '04375' }]);
    xuanAi = await createUser(t, [{ role: 'steering', unitCode: '04441' }]);
  });
  afterAll(() => t.close());

  it('gives a plan to the unit that carried the code when it started, if that unit lasted the whole plan', async () => {
    const vanYen = await program(t.http, {
      ownerUnitCode: '136',
      startsOn: '2024-01-01',
      endsOn: '2024-12-31',
    });
    expect(vanYen.status).toBe(201);
    expect(vanYen.body.ownerUnit).toEqual({ code: '136', fullName: 'Huyện Văn Yên' });
    vanYenPlan = vanYen.body.id;
    const [owner] = await t.dataSource.query(`SELECT owner_unit_id AS id FROM program WHERE id = $1`, [
      vanYenPlan,
    ]);
    expect(owner.id).toBe(await oldUnitId(t, '136'));

    const pilot = await program(t.http, {
      ownerUnitCode: '15',
      startsOn: '2024-09-01',
      endsOn: '2025-03-31',
    });
    expect(pilot.body.ownerUnit).toEqual({ code: '15', fullName: 'Tỉnh Yên Bái' });
    yenBaiPilot = pilot.body.id;
    // Across 1 July 2025 the same code is today's Lào Cai, which runs the plan.
    const across = await program(t.http, {
      ownerUnitCode: '15',
      startsOn: '2025-01-01',
      endsOn: '2026-12-31',
    });
    expect(across.body.ownerUnit).toEqual({ code: '15', fullName: 'Tỉnh Lào Cai' });
    // A district cannot run a plan beyond its last day, on creation or by a later change of dates.
    const beyond = await program(t.http, {
      ownerUnitCode: '136',
      startsOn: '2024-06-01',
      endsOn: '2025-12-31',
    });
    expect(beyond.status).toBe(400);
    expect(beyond.body.errors).toEqual([
      {
        field: 'endsOn',
        reason:
          'Huyện Văn Yên (mã 136) chỉ tồn tại đến hết ngày 30/06/2025: chương trình của đơn vị này phải kết thúc trước ngày 01/07/2025, hoặc do đơn vị hiện nay quản lý',
      },
    ]);
    const moved = await t.http.patch(`/api/v1/programs/${vanYenPlan}`, { endsOn: '2025-07-01' });
    expect([moved.status, moved.body.errors?.[0]?.field]).toEqual([400, 'endsOn']);
  });

  it('before the reorganisation is recorded, an earlier unit belongs to nobody on today’s map', async () => {
    const denied = await program(laoCai.http, {
      ownerUnitCode: '136',
      startsOn: '2024-01-01',
      endsOn: '2024-12-31',
    });
    expect(denied.status).toBe(403);
    expect((await laoCai.http.patch(`/api/v1/programs/${yenBaiPilot}`, { name: 'Thí điểm' })).status).toBe(
      403,
    );
  });

  it('counts a class recorded in an old Văn Yên commune in today’s commune and province once the reorganisation is recorded', async () => {
    const trainer = await createTrainer(t.http, yenBaiPilot, '04375');
    const learner = await createPerson(t.http, '04375', { segment: 'civil_servant' });
    const cls = await createClass(t.http, yenBaiPilot, trainer.id, '04375', {
      sessions: sessionsFrom('2024-10-07', 3),
    });
    expect((await t.http.post(`/api/v1/classes/${cls.id}/enrolments`, { personId: learner.id })).status).toBe(
      201,
    );
    for (const session of cls.sessions) {
      const marked = await t.http.put(`/api/v1/classes/${cls.id}/sessions/${session.id}/attendance`, {
        marks: [{ personId: learner.id, status: 'present' }],
      });
      expect(marked.status).toBe(200);
    }
    expect((await t.http.post(`/api/v1/classes/${cls.id}/status`, { status: 'completed' })).status).toBe(200);
    // In October 2024 the place was Xã Mậu Đông of Văn Yên district, Yên Bái: the records say so, as records
    // kept on the map of the time (or imported from it) do.
    const mauDong = await oldUnitId(t, '04405');
    await t.dataSource.query(`UPDATE training_class SET unit_id = $2 WHERE id = $1`, [cls.id, mauDong]);
    await t.dataSource.query(`UPDATE person SET commune_id = $2 WHERE id = $1`, [learner.id, mauDong]);
    await t.dataSource.query(`UPDATE trainer SET home_unit_id = $2 WHERE id = $1`, [trainer.id, mauDong]);
    await t.app.get(KpiFactsRepository).rebuild(yenBaiPilot);

    // Without the reorganisation, the class belongs to a commune that no longer exists: not on today's map.
    const before = await kpi(laoCai.http, '15', 'current');
    expect(before.status).toBe(200);
    expect(actual(before.body, 'learners_reached')).toBe(0);

    const summary = await t.app
      .get(UnitSuccessionService)
      .importFile(LAO_CAI_REORGANISATION, { strict: true });
    expect(summary.predecessors).toEqual({ province: 2, district: 18, commune: 319 });
    await waitForJobs(t, 'kpi.rebuild');

    const province = await kpi(laoCai.http, '15', 'current');
    expect(actual(province.body, 'learners_reached')).toBe(1);
    expect(actual(province.body, 'completions')).toBe(1);
    expect(actual(province.body, 'civil_servants_reached')).toBe(1);
    expect(actual(province.body, 'classes_held')).toBe(1);
    const child = province.body.byChild.find((c: { unit: { code: string } }) => c.unit.code === '04375');
    expect(child.indicators.learners_reached.actual).toBe(1);
    const drill = await laoCai.http.get(
      `/api/v1/programs/${yenBaiPilot}/kpi/drilldown?unit=15&period=2024&indicator=learners_reached&view=current`,
    );
    expect(drill.body.items.map((p: { id: string }) => p.id)).toEqual([learner.id]);
    // As recorded it stays where it happened (Yên Bái, not today's Lào Cai).
    expect(actual((await kpi(laoCai.http, '15', 'recorded')).body, 'learners_reached')).toBe(0);

    // Who may read it: today's Lào Cai and today's Mậu A; not another province, not another commune.
    expect(actual((await kpi(mauA.http, '04375', 'current')).body, 'learners_reached')).toBe(1);
    expect((await kpi(thaiNguyen.http, '15', 'current')).status).toBe(403);
    expect((await kpi(xuanAi.http, '04375', 'current')).status).toBe(403);
    expect(actual((await kpi(xuanAi.http, '04441', 'current')).body, 'learners_reached')).toBe(0);
  });

  it('lets today’s steering committee run the plans of the units its territory came from, and no one else', async () => {
    expect(
      (await laoCai.http.patch(`/api/v1/programs/${yenBaiPilot}`, { name: 'Thí điểm Yên Bái' })).status,
    ).toBe(200);
    expect(
      (await thaiNguyen.http.patch(`/api/v1/programs/${yenBaiPilot}`, { name: 'Kế hoạch khác' })).status,
    ).toBe(403);
    // A commune's committee does not run the province's plan, though one of its communes is now theirs.
    expect((await mauA.http.patch(`/api/v1/programs/${yenBaiPilot}`, { name: 'Kế hoạch khác' })).status).toBe(
      403,
    );

    const plan = { ownerUnitCode: '136', startsOn: '2024-01-01', endsOn: '2024-12-31' };
    const created = await program(laoCai.http, plan);
    expect(created.status).toBe(201);
    expect(created.body.ownerUnit.fullName).toBe('Huyện Văn Yên');
    expect((await program(thaiNguyen.http, plan)).status).toBe(403);

    // Today's Lào Cai lists them; Thái Nguyên does not.
    const listed = await laoCai.http.get('/api/v1/programs?unit=15&limit=100');
    expect(listed.body.items.map((p: { id: string }) => p.id)).toEqual(
      expect.arrayContaining([yenBaiPilot, vanYenPlan, created.body.id]),
    );
    const elsewhere = await t.http.get('/api/v1/programs?unit=19&limit=100');
    expect(elsewhere.body.items.map((p: { id: string }) => p.id)).not.toContain(yenBaiPilot);
  });
});
