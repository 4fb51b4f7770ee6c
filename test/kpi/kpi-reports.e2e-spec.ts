import { communesOf, createOrganisation, createUser, TestUser } from '../support/fixtures';
import { TestApp } from '../support/test-app';
import { buildKpiWorld, figure, KpiWorld } from './kpi-world';

/**
 * Progress reports on the campaign of kpi-world.ts: the review chain, frozen figures and what only a head
 * reports.
 */
describe('targets and KPI: progress reports', () => {
  let w: KpiWorld;
  let t: TestApp;
  let program: KpiWorld['program'];
  let A: string;
  let C: string;
  const kpi: KpiWorld['kpi'] = (...args) => w.kpi(...args);

  beforeAll(async () => {
    w = await buildKpiWorld();
    ({ t, program, A, C } = w);
  });
  afterAll(() => w?.t.close());

  describe('progress reports', () => {
    let communeSteering: TestUser;
    let provinceSteering: TestUser;
    let head: TestUser;
    let organisationId: string;

    beforeAll(async () => {
      communeSteering = await createUser(t, [{ role: 'steering', unitCode: A }]);
      provinceSteering = await createUser(t, [{ role: 'steering', unitCode: '19' }]);
      organisationId = await createOrganisation(t, A, 'Hội Nông dân xã');
      head = await createUser(t, [{ role: 'department_head', organisationId }]);
    });

    it('goes draft → submitted → returned → submitted → approved, locked until an audited reopen', async () => {
      const created = await communeSteering.http.post('/api/v1/reports', {
        programId: program.id,
        unit: A,
        period: '2026-Q2',
        headcount: 5000,
        trained: 120,
        proficient: 150,
        indicators: { ai_clubs: 2 },
      });
      expect(created.status).toBe(400);
      expect(created.body.errors).toEqual([
        { field: 'proficient', reason: 'không được lớn hơn số đã tập huấn' },
      ]);
      const draft = await communeSteering.http.post('/api/v1/reports', {
        programId: program.id,
        unit: A,
        period: '2026-Q2',
        headcount: 5000,
        trained: 120,
        proficient: 45,
        indicators: { ai_clubs: 2 },
        notes: 'Đã mở lớp cho cán bộ thôn, xóm.',
      });
      expect(draft.status).toBe(201);
      expect(draft.body.status).toBe('draft');
      const id = draft.body.id;
      // The commune cannot approve its own report; the province can, once submitted.
      expect((await communeSteering.http.post(`/api/v1/reports/${id}/submit`, {})).body.status).toBe(
        'submitted',
      );
      expect((await communeSteering.http.post(`/api/v1/reports/${id}/approve`, {})).status).toBe(403);
      const returned = await provinceSteering.http.post(`/api/v1/reports/${id}/return`, {
        comment: 'Đề nghị bổ sung số người thành thạo.',
      });
      expect(returned.body).toMatchObject({
        status: 'returned',
        reviewComment: 'Đề nghị bổ sung số người thành thạo.',
      });
      const edited = await communeSteering.http.patch(`/api/v1/reports/${id}`, { proficient: 60 });
      expect(edited.body).toMatchObject({ status: 'returned', proficient: 60 });
      await communeSteering.http.post(`/api/v1/reports/${id}/submit`, {});
      const approved = await provinceSteering.http.post(`/api/v1/reports/${id}/approve`, {});
      expect(approved.body).toMatchObject({ status: 'approved', locked: true });

      const locked = await communeSteering.http.patch(`/api/v1/reports/${id}`, { trained: 130 });
      expect(locked.status).toBe(409);
      expect(locked.body.code).toBe('REPORT_LOCKED');
      // Approved figures feed the reported indicators of the level above.
      const q2 = await kpi(provinceSteering.http, '19', '2026-Q2');
      expect(figure(q2, 'reported_trained').actual).toBe(120);
      expect(figure(q2, 'reported_ai_clubs').actual).toBe(2);
      const drill = await provinceSteering.http.get(
        `/api/v1/programs/${program.id}/kpi/drilldown?unit=19&period=2026-Q2&indicator=reported_trained`,
      );
      expect(drill.body.items.map((r: any) => [r.id, r.value])).toEqual([[id, 120]]);

      const reopened = await provinceSteering.http.post(`/api/v1/reports/${id}/reopen`, {
        reason: 'Xã đề nghị điều chỉnh số đã tập huấn.',
      });
      expect(reopened.body.status).toBe('returned');
      const [audit]: { before: any; after: any }[] = await t.dataSource.query(
        `SELECT before, after FROM audit_log WHERE action = 'report.reopened' AND entity_id = $1`,
        [id],
      );
      expect(audit.before.status).toBe('approved');
      expect(audit.after).toMatchObject({
        status: 'returned',
        reviewComment: 'Xã đề nghị điều chỉnh số đã tập huấn.',
      });
      expect(figure(await kpi(provinceSteering.http, '19', '2026-Q2'), 'reported_trained').actual).toBe(0);
      expect((await communeSteering.http.patch(`/api/v1/reports/${id}`, { trained: 130 })).body.trained).toBe(
        130,
      );
    });

    it('lets a department head report for the organisation, reviewed by the commune', async () => {
      const draft = await head.http.post('/api/v1/reports', {
        programId: program.id,
        organisationId,
        period: '2026-Q2',
        headcount: 40,
        trained: 40,
        proficient: 12,
      });
      expect(draft.status).toBe(201);
      expect(draft.body.organisation).toEqual({ id: organisationId, name: 'Hội Nông dân xã' });
      await head.http.post(`/api/v1/reports/${draft.body.id}/submit`, {});
      expect((await head.http.post(`/api/v1/reports/${draft.body.id}/approve`, {})).status).toBe(403);
      const approved = await communeSteering.http.post(`/api/v1/reports/${draft.body.id}/approve`, {});
      expect(approved.body.status).toBe('approved');
      const mine = await head.http.get(`/api/v1/reports?program=${program.id}`);
      expect(mine.body.items.map((r: any) => r.id)).toEqual([draft.body.id]);
      // `programId`, as in every body, names the program too; `program` stays for older clients.
      const same = await head.http.get(`/api/v1/reports?programId=${program.id}`);
      expect(same.body.items.map((r: any) => r.id)).toEqual([draft.body.id]);
      const neither = await head.http.get(`/api/v1/reports`);
      expect(neither.status).toBe(400);
      expect(neither.body.errors).toEqual([expect.objectContaining({ field: 'programId' })]);
    });

    it('lists the children that have not submitted, and overdue reports', async () => {
      const missing = await provinceSteering.http.get(
        `/api/v1/reports/missing?program=${program.id}&unit=19&period=2026-Q2`,
      );
      expect(missing.status).toBe(200);
      const communes = await communesOf(t, '19');
      expect(missing.body).toHaveLength(communes.length);
      expect(missing.body.find((m: any) => m.id === A)).toMatchObject({
        status: 'returned',
        dueOn: '2026-07-05',
        overdue: true,
      });
      const ofA = await communeSteering.http.get(
        `/api/v1/reports/missing?program=${program.id}&unit=${A}&period=2026-Q2`,
      );
      expect(ofA.body).toEqual([]);
      const ofAQ3 = await communeSteering.http.get(
        `/api/v1/reports/missing?program=${program.id}&unit=${A}&period=2026-Q3`,
      );
      expect(ofAQ3.body).toEqual([
        expect.objectContaining({
          kind: 'organisation',
          id: organisationId,
          status: 'missing',
          overdue: true,
        }),
      ]);
      // Quarters of the program (March–December 2026) due by 25/11: Q1, Q2 and Q3.
      const overdue = await communeSteering.http.get(
        `/api/v1/reports/overdue?programId=${program.id}&unit=${A}`,
      );
      expect(overdue.body.map((o: any) => o.period)).toEqual(['2026-Q1', '2026-Q3']);
    });

    it('adds up the reports of the periods inside a year: flows summed, the latest headcount, no period twice', async () => {
      const steeringC = await createUser(t, [{ role: 'steering', unitCode: C }]);
      const approve = async (period: string, figures: Record<string, unknown>) => {
        const draft = await steeringC.http.post('/api/v1/reports', {
          programId: program.id,
          unit: C,
          period,
          ...figures,
        });
        expect([period, draft.status]).toEqual([period, 201]);
        await steeringC.http.post(`/api/v1/reports/${draft.body.id}/submit`, {});
        const approved = await provinceSteering.http.post(`/api/v1/reports/${draft.body.id}/approve`, {});
        expect(approved.body.status).toBe('approved');
        return draft.body.id as string;
      };
      await approve('2026-Q2', { headcount: 300, trained: 40, proficient: 10, indicators: { ai_clubs: 1 } });
      await approve('2026-Q3', { headcount: 320, trained: 60, proficient: 25, indicators: { ai_clubs: 2 } });
      // July is inside the third quarter, which has its own report: it does not count twice.
      await approve('2026-07', { headcount: 310, trained: 15, proficient: 5 });
      const october = await approve('2026-10', { headcount: 330, trained: 5, proficient: 1 });

      const year = await kpi(provinceSteering.http, C, '2026');
      expect(
        ['reported_headcount', 'reported_trained', 'reported_proficient', 'reported_ai_clubs'].map(
          (code) => figure(year, code).actual,
        ),
      ).toEqual([330, 105, 36, 3]);
      const q3 = await kpi(provinceSteering.http, C, '2026-Q3');
      expect([figure(q3, 'reported_headcount').actual, figure(q3, 'reported_trained').actual]).toEqual([
        320, 60,
      ]);
      const drill = await provinceSteering.http.get(
        `/api/v1/programs/${program.id}/kpi/drilldown?unit=${C}&period=2026&indicator=reported_headcount`,
      );
      expect(drill.body.items.map((r: any) => [r.id, r.value])).toEqual([[october, 330]]);
      const trained = await provinceSteering.http.get(
        `/api/v1/programs/${program.id}/kpi/drilldown?unit=${C}&period=2026&indicator=reported_trained`,
      );
      expect(trained.body.items.map((r: any) => r.period).sort()).toEqual(['2026-10', '2026-Q2', '2026-Q3']);
    });
  });
});
