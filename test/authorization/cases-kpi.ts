import { MatrixCase, scoped, statuses } from './cases';
import { World } from './world';

/** KPI figures of a unit are read by steering members and viewers over it (and administrators). */
const reads = (scope: 'in' | 'out') =>
  scope === 'in'
    ? statuses(403, { anonymous: 401, admin: 200, steeringProvince: 200, viewer: 200 })
    : statuses(403, { anonymous: 401, admin: 200, steeringOther: 200 });

/** Report periods nobody else uses: each request writes a report of its own. */
let periods = 0;
const freshPeriod = () => {
  const n = periods++;
  return `${2030 + Math.floor(n / 12)}-${String((n % 12) + 1).padStart(2, '0')}`;
};

async function report(w: World, status: 'draft' | 'submitted' | 'approved'): Promise<string> {
  const created = await w.t.http.post('/api/v1/reports', {
    programId: w.program,
    unit: w.units.commune,
    period: freshPeriod(),
    headcount: 100,
    trained: 80,
    proficient: 20,
  });
  const id: string = created.body.id;
  if (status !== 'draft') await w.t.http.post(`/api/v1/reports/${id}/submit`, {});
  if (status === 'approved') await w.t.http.post(`/api/v1/reports/${id}/approve`, {});
  return id;
}

const target = async (w: World, unit: string): Promise<string> =>
  (
    await w.t.http.put(`/api/v1/programs/${w.program}/targets`, {
      unit,
      indicator: 'learners_reached',
      period: '2026',
      kind: 'absolute',
      value: 1500,
    })
  ).body.id;

/** An export job queued by the administrator (the matrix app runs no jobs, so it stays queued). */
async function exportJob(w: World): Promise<string> {
  const [{ id }]: { id: string }[] = await w.t.dataSource.query(
    `INSERT INTO job (kind, params, created_by) VALUES ('kpi.export', '{}', $1) RETURNING id`,
    [(await w.t.http.get('/api/v1/auth/me')).body.id],
  );
  return id;
}

/** A commune's contest (one criterion out of 10), created by the administrator; with one entry if asked. */
async function contest(
  w: World,
  withEntry = false,
): Promise<{ id: string; criterion: string; entry?: string }> {
  const created = await w.t.http.post('/api/v1/contests', {
    programId: w.program,
    unit: w.units.commune,
    name: 'Hội thi ứng dụng AI cấp xã',
    period: '2026',
    criteria: [{ name: 'Ứng dụng', weight: 100, maxPoints: 10 }],
  });
  const id: string = created.body.id;
  const criterion: string = created.body.criteria[0].id;
  if (!withEntry) return { id, criterion };
  const entry = await w.t.http.post(`/api/v1/contests/${id}/entries`, {
    kind: 'person',
    subjectId: w.classes.in.personId,
  });
  return { id, criterion, entry: entry.body.id };
}

/** Organisers and judges of a commune's contest: steering members of the commune and above. */
const organisers = (status: number) =>
  statuses(403, {
    anonymous: 401,
    admin: status,
    steeringProvince: status,
    steeringCommune: status,
    steeringOther: 404,
  });

const kpiQuery = (w: World, scope: 'in' | 'out') =>
  `unit=${scope === 'in' ? w.units.province : w.units.otherProvince}&period=2026`;
const bothScopes = ['in', 'out'] as const;

/** Authors of a commune's report: its steering members and those above; reviewers: those above only. */
const authors = statuses(403, {
  anonymous: 401,
  admin: 200,
  steeringProvince: 200,
  steeringCommune: 200,
  steeringOther: 404,
  departmentHead: 404,
});
const reviewers = statuses(403, { anonymous: 401, admin: 200, steeringProvince: 200, steeringOther: 404 });

export const KPI_CASES: MatrixCase[] = [
  ...bothScopes.flatMap((scope): MatrixCase[] => [
    {
      route: 'GET /api/v1/programs/{id}/targets',
      variant: scoped(scope),
      request: (w) => ({ path: `/api/v1/programs/${w.program}/targets?${kpiQuery(w, scope)}` }),
      expect: reads(scope),
    },
    {
      route: 'GET /api/v1/programs/{id}/targets/consistency',
      variant: scoped(scope),
      request: (w) => ({ path: `/api/v1/programs/${w.program}/targets/consistency?${kpiQuery(w, scope)}` }),
      expect: reads(scope),
    },
    {
      route: 'GET /api/v1/programs/{id}/kpi',
      variant: scoped(scope),
      request: (w) => ({ path: `/api/v1/programs/${w.program}/kpi?${kpiQuery(w, scope)}` }),
      expect: reads(scope),
    },
    {
      route: 'GET /api/v1/programs/{id}/plan',
      variant: scoped(scope),
      request: (w) => ({
        path: `/api/v1/programs/${w.program}/plan?unit=${scope === 'in' ? w.units.province : w.units.otherProvince}`,
      }),
      expect: reads(scope),
    },
    {
      route: 'GET /api/v1/programs/{id}/kpi/drilldown',
      variant: scoped(scope),
      request: (w) => ({
        path: `/api/v1/programs/${w.program}/kpi/drilldown?${kpiQuery(w, scope)}&indicator=learners_reached`,
      }),
      expect: reads(scope),
    },
    {
      route: 'GET /api/v1/programs/{id}/kpi/leaderboard',
      variant: scoped(scope),
      request: (w) => ({ path: `/api/v1/programs/${w.program}/kpi/leaderboard?${kpiQuery(w, scope)}` }),
      expect: reads(scope),
    },
    {
      route: 'GET /api/v1/programs/{id}/kpi/pdf',
      variant: scoped(scope),
      request: (w) => ({ path: `/api/v1/programs/${w.program}/kpi/pdf?${kpiQuery(w, scope)}` }),
      expect: reads(scope),
    },
    {
      route: 'POST /api/v1/exports',
      variant: scoped(scope),
      request: (w) => ({
        path: '/api/v1/exports',
        body: {
          programId: w.program,
          unit: scope === 'in' ? w.units.province : w.units.otherProvince,
          period: '2026',
          sheets: ['summary'],
        },
      }),
      expect: reads(scope),
    },
    {
      route: 'POST /api/v1/programs/{id}/targets/batch',
      variant: scoped(scope),
      request: (w) => ({
        path: `/api/v1/programs/${w.program}/targets/batch`,
        body: {
          targets: [
            {
              unit: scope === 'in' ? w.units.commune : w.units.otherCommune,
              indicator: 'classes_held',
              period: '..2026',
              kind: 'absolute',
              value: 12,
            },
          ],
        },
      }),
      expect:
        scope === 'in'
          ? statuses(403, { anonymous: 401, admin: 200, steeringProvince: 200, steeringCommune: 200 })
          : statuses(403, { anonymous: 401, admin: 200, steeringOther: 200 }),
    },
    {
      route: 'PUT /api/v1/programs/{id}/targets',
      variant: scoped(scope),
      request: (w) => ({
        path: `/api/v1/programs/${w.program}/targets`,
        body: {
          unit: scope === 'in' ? w.units.commune : w.units.otherCommune,
          indicator: 'classes_held',
          period: '2026',
          kind: 'absolute',
          value: 12,
        },
      }),
      expect:
        scope === 'in'
          ? statuses(403, { anonymous: 401, admin: 200, steeringProvince: 200, steeringCommune: 200 })
          : statuses(403, { anonymous: 401, admin: 200, steeringOther: 200 }),
    },
  ]),
  {
    route: 'POST /api/v1/programs/{id}/targets/{targetId}/split',
    request: async (w) => ({
      path: `/api/v1/programs/${w.program}/targets/${await target(w, w.units.province)}/split`,
      body: { method: 'equal' },
    }),
    expect: statuses(403, { anonymous: 401, admin: 200, steeringProvince: 200 }),
  },
  {
    route: 'POST /api/v1/programs/{id}/targets/{targetId}/split/preview',
    request: async (w) => ({
      path: `/api/v1/programs/${w.program}/targets/${await target(w, w.units.province)}/split/preview`,
      body: { method: 'equal' },
    }),
    expect: statuses(403, { anonymous: 401, admin: 200, steeringProvince: 200 }),
  },
  {
    route: 'DELETE /api/v1/programs/{id}/targets/{targetId}',
    request: async (w) => ({
      path: `/api/v1/programs/${w.program}/targets/${await target(w, w.units.commune)}`,
    }),
    expect: statuses(403, { anonymous: 401, admin: 204, steeringProvince: 204, steeringCommune: 204 }),
  },
  {
    route: 'POST /api/v1/reports',
    variant: 'in scope',
    request: (w) => ({
      path: '/api/v1/reports',
      body: { programId: w.program, unit: w.units.commune, period: freshPeriod() },
    }),
    expect: statuses(403, { anonymous: 401, admin: 201, steeringProvince: 201, steeringCommune: 201 }),
  },
  {
    route: 'POST /api/v1/reports',
    variant: 'out of scope',
    request: (w) => ({
      path: '/api/v1/reports',
      body: { programId: w.program, organisationId: w.organisation, period: freshPeriod() },
    }),
    // An organisation's report is its head's (and the administrator's) to write.
    expect: statuses(403, { anonymous: 401, admin: 201, departmentHead: 201 }),
  },
  {
    route: 'GET /api/v1/reports',
    request: (w) => ({ path: `/api/v1/reports?program=${w.program}` }),
    expect: statuses(200, { anonymous: 401, trainer: 403 }),
  },
  // An organisation's own figures: its head, and steering members and viewers over its unit.
  {
    route: 'GET /api/v1/organisations/{id}/figures',
    variant: 'in scope',
    request: (w) => ({ path: `/api/v1/organisations/${w.organisation}/figures?programId=${w.program}` }),
    expect: statuses(200, { anonymous: 401, trainer: 403, steeringOther: 403 }),
  },
  {
    route: 'GET /api/v1/organisations/{id}/figures',
    variant: 'out of scope',
    request: (w) => ({ path: `/api/v1/organisations/${w.otherOrganisation}/figures?programId=${w.program}` }),
    expect: statuses(403, { anonymous: 401, admin: 200, steeringOther: 200 }),
  },
  {
    route: 'GET /api/v1/reports/missing',
    request: (w) => ({
      path: `/api/v1/reports/missing?program=${w.program}&unit=${w.units.province}&period=2026-Q2`,
    }),
    expect: reads('in'),
  },
  {
    route: 'GET /api/v1/reports/consolidated/pdf',
    request: (w) => ({
      path: `/api/v1/reports/consolidated/pdf?programId=${w.program}&unit=${w.units.province}&period=2026-Q2`,
    }),
    expect: reads('in'),
  },
  {
    route: 'GET /api/v1/reports/overdue',
    request: (w) => ({ path: `/api/v1/reports/overdue?program=${w.program}&unit=${w.units.province}` }),
    expect: reads('in'),
  },
  {
    route: 'GET /api/v1/reports/{id}',
    request: async (w) => ({ path: `/api/v1/reports/${await report(w, 'draft')}` }),
    expect: statuses(200, { anonymous: 401, trainer: 403, steeringOther: 404, departmentHead: 404 }),
  },
  {
    route: 'GET /api/v1/reports/{id}/pdf',
    request: async (w) => ({ path: `/api/v1/reports/${await report(w, 'draft')}/pdf` }),
    expect: statuses(200, { anonymous: 401, trainer: 403, steeringOther: 404, departmentHead: 404 }),
  },
  {
    route: 'PATCH /api/v1/reports/{id}',
    request: async (w) => ({ path: `/api/v1/reports/${await report(w, 'draft')}`, body: { trained: 90 } }),
    expect: authors,
  },
  {
    route: 'POST /api/v1/reports/{id}/submit',
    request: async (w) => ({ path: `/api/v1/reports/${await report(w, 'draft')}/submit`, body: {} }),
    expect: authors,
  },
  {
    route: 'POST /api/v1/reports/{id}/approve',
    request: async (w) => ({ path: `/api/v1/reports/${await report(w, 'submitted')}/approve`, body: {} }),
    expect: reviewers,
  },
  {
    route: 'POST /api/v1/reports/{id}/return',
    request: async (w) => ({
      path: `/api/v1/reports/${await report(w, 'submitted')}/return`,
      body: { comment: 'Đề nghị bổ sung số liệu.' },
    }),
    expect: reviewers,
  },
  {
    route: 'POST /api/v1/reports/{id}/reopen',
    request: async (w) => ({
      path: `/api/v1/reports/${await report(w, 'approved')}/reopen`,
      body: { reason: 'Điều chỉnh số liệu.' },
    }),
    expect: reviewers,
  },
  {
    route: 'GET /api/v1/exports/{id}',
    request: async (w) => ({ path: `/api/v1/exports/${await exportJob(w)}` }),
    expect: statuses(404, { anonymous: 401, admin: 200, trainer: 403, departmentHead: 403 }),
  },
  {
    route: 'GET /api/v1/exports/{id}/file',
    request: async (w) => ({ path: `/api/v1/exports/${await exportJob(w)}/file` }),
    expect: statuses(404, { anonymous: 401, admin: 409, trainer: 403, departmentHead: 403 }),
  },
  {
    route: 'POST /api/v1/contests',
    request: (w) => ({
      path: '/api/v1/contests',
      body: {
        programId: w.program,
        unit: w.units.commune,
        name: 'Hội thi thử',
        period: '2026-Q4',
        criteria: [{ name: 'Ứng dụng', weight: 100, maxPoints: 10 }],
      },
    }),
    expect: statuses(403, { anonymous: 401, admin: 201, steeringProvince: 201, steeringCommune: 201 }),
  },
  {
    route: 'GET /api/v1/contests',
    request: (w) => ({ path: `/api/v1/contests?programId=${w.program}` }),
    expect: statuses(200, { anonymous: 401, trainer: 403, departmentHead: 403 }),
  },
  {
    route: 'GET /api/v1/contests/{id}',
    request: async (w) => ({ path: `/api/v1/contests/${(await contest(w)).id}` }),
    expect: statuses(200, { anonymous: 401, steeringOther: 404, trainer: 403, departmentHead: 403 }),
  },
  {
    route: 'GET /api/v1/contests/{id}/candidates',
    request: async (w) => ({ path: `/api/v1/contests/${(await contest(w)).id}/candidates?kind=person` }),
    expect: organisers(200),
  },
  {
    route: 'POST /api/v1/contests/{id}/entries',
    // Someone of the commune who never enrolled in the program: refused as input once past authorisation.
    request: async (w) => ({
      path: `/api/v1/contests/${(await contest(w)).id}/entries`,
      body: { kind: 'person', subjectId: w.people.in },
    }),
    expect: organisers(400),
  },
  {
    route: 'PUT /api/v1/contests/{id}/entries/{entryId}/scores',
    request: async (w) => {
      const c = await contest(w, true);
      return {
        path: `/api/v1/contests/${c.id}/entries/${c.entry}/scores`,
        body: { scores: [{ criterionId: c.criterion, points: 7 }] },
      };
    },
    expect: organisers(200),
  },
  {
    route: 'POST /api/v1/contests/{id}/publish',
    request: async (w) => ({ path: `/api/v1/contests/${(await contest(w)).id}/publish`, body: {} }),
    expect: organisers(409),
  },
];
