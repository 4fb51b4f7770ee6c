import { MatrixCase, provinceOnly, scoped, signedIn, statuses, steering } from './cases';

const bothScopes = ['in', 'out'] as const;

/** Programs, organisations, population figures, people, trainers and reach. */
export const CAMPAIGN_CASES: MatrixCase[] = [
  // Programs: read by everyone signed in, run by administrators and steering members of the owning unit.
  { route: 'GET /api/v1/programs', request: () => ({ path: '/api/v1/programs' }), expect: signedIn(200) },
  ...bothScopes.map((scope): MatrixCase => ({
    route: 'POST /api/v1/programs',
    variant: scoped(scope),
    request: (w) => ({
      path: '/api/v1/programs',
      body: {
        code: `M${Math.random().toString(36).slice(2, 8).toUpperCase()}`,
        name: 'Chương trình thử ma trận',
        ownerUnitCode: scope === 'in' ? w.units.commune : w.units.otherCommune,
        startsOn: '2026-03-01',
        endsOn: '2026-12-31',
        completionRule: { minSessions: 2 },
      },
    }),
    expect: steering(201, 403, scope),
  })),
  {
    route: 'GET /api/v1/programs/{id}',
    request: (w) => ({ path: `/api/v1/programs/${w.program}` }),
    expect: signedIn(200),
  },
  {
    route: 'PATCH /api/v1/programs/{id}',
    request: (w) => ({ path: `/api/v1/programs/${w.program}`, body: { defaultQuota: 1500 } }),
    expect: provinceOnly(200),
  },
  {
    route: 'GET /api/v1/programs/{id}/materials',
    request: (w) => ({ path: `/api/v1/programs/${w.program}/materials` }),
    expect: signedIn(200),
  },
  {
    route: 'POST /api/v1/programs/{id}/materials',
    request: (w) => ({
      path: `/api/v1/programs/${w.program}/materials`,
      body: { level: 1, title: 'Video bài 1', kind: 'video', url: 'https://example.org/1.mp4' },
    }),
    expect: provinceOnly(201),
  },

  // Organisations: read where a role covers their unit (or by their head), run by steering members.
  {
    route: 'GET /api/v1/organisations',
    request: () => ({ path: '/api/v1/organisations' }),
    expect: signedIn(200),
  },
  ...bothScopes.flatMap((scope): MatrixCase[] => [
    {
      route: 'POST /api/v1/organisations',
      variant: scoped(scope),
      request: (w) => ({
        path: '/api/v1/organisations',
        body: {
          unitCode: scope === 'in' ? w.units.commune : w.units.otherCommune,
          name: 'Hợp tác xã chè',
          kind: 'cooperative',
        },
      }),
      expect: steering(201, 403, scope),
    },
    {
      route: 'GET /api/v1/organisations/{id}',
      variant: scoped(scope),
      request: (w) => ({
        path: `/api/v1/organisations/${scope === 'in' ? w.organisation : w.otherOrganisation}`,
      }),
      expect:
        scope === 'in'
          ? statuses(200, { anonymous: 401, steeringOther: 404 })
          : statuses(404, { anonymous: 401, admin: 200, steeringOther: 200 }),
    },
    {
      route: 'PATCH /api/v1/organisations/{id}',
      variant: scoped(scope),
      request: (w) => ({
        path: `/api/v1/organisations/${scope === 'in' ? w.organisation : w.otherOrganisation}`,
        body: { kind: 'mass_organisation' },
      }),
      expect: steering(200, 404, scope),
    },
  ]),

  // Population figures, and the names of the figures plans use as denominators (one list for everybody).
  {
    route: 'GET /api/v1/population-figures',
    request: () => ({ path: '/api/v1/population-figures' }),
    expect: signedIn(200),
  },
  {
    route: 'PUT /api/v1/population-figures/{code}',
    request: () => ({
      path: '/api/v1/population-figures/adults_with_smartphone',
      body: { name: 'Người trưởng thành có điện thoại thông minh' },
    }),
    expect: steering(200, 200, 'in'),
  },
  {
    route: 'GET /api/v1/units/{code}/population',
    request: (w) => ({ path: `/api/v1/units/${w.units.commune}/population` }),
    expect: signedIn(200),
  },
  {
    route: 'GET /api/v1/units/{code}/population/template',
    request: (w) => ({ path: `/api/v1/units/${w.units.commune}/population/template` }),
    expect: steering(200, 200, 'in'),
  },
  ...bothScopes.flatMap((scope): MatrixCase[] => [
    {
      route: 'PUT /api/v1/units/{code}/population',
      variant: scoped(scope),
      request: (w) => ({
        path: `/api/v1/units/${scope === 'in' ? w.units.commune : w.units.otherCommune}/population`,
        body: { year: 2026, figures: { total: 12000 } },
      }),
      expect: steering(200, 403, scope),
    },
    {
      // Sent without a file: a 400 shows the caller got past the scope check.
      route: 'POST /api/v1/units/{code}/population/import',
      variant: scoped(scope),
      request: (w) => ({
        path: `/api/v1/units/${scope === 'in' ? w.units.commune : w.units.otherCommune}/population/import`,
      }),
      expect: steering(400, 403, scope),
    },
  ]),

  // Administrative units from Excel: administrators only (without a file: 400 past the role check).
  {
    route: 'GET /api/v1/units/import/template',
    request: () => ({ path: '/api/v1/units/import/template' }),
    expect: statuses(403, { anonymous: 401, admin: 200 }),
  },
  {
    route: 'POST /api/v1/units/import',
    request: () => ({ path: '/api/v1/units/import?dryRun=true' }),
    expect: statuses(403, { anonymous: 401, admin: 400 }),
  },

  // People: scoped like everything else; trainers may register anyone (walk-ins) and see whom they registered.
  ...bothScopes.flatMap((scope): MatrixCase[] => [
    {
      route: 'POST /api/v1/people',
      variant: scoped(scope),
      request: (w) => ({
        path: '/api/v1/people',
        body: {
          fullName: 'Hoàng Văn Thưởng',
          birthYear: 1988,
          gender: 'male',
          communeCode: scope === 'in' ? w.units.commune : w.units.otherCommune,
          segment: 'farmer',
        },
      }),
      expect: { ...steering(201, 403, scope), trainer: 201 },
    },
    {
      route: 'GET /api/v1/people/{id}',
      variant: scoped(scope),
      request: (w) => ({ path: `/api/v1/people/${scope === 'in' ? w.people.in : w.people.out}` }),
      expect:
        scope === 'in'
          ? statuses(404, {
              anonymous: 401,
              admin: 200,
              steeringProvince: 200,
              steeringCommune: 200,
              viewer: 200,
            })
          : statuses(404, { anonymous: 401, admin: 200, steeringOther: 200 }),
    },
    {
      route: 'PATCH /api/v1/people/{id}',
      variant: scoped(scope),
      request: (w) => ({
        path: `/api/v1/people/${scope === 'in' ? w.people.in : w.people.out}`,
        body: { segment: 'farmer' },
      }),
      expect: { ...steering(200, 404, scope), trainer: 404 },
    },
    {
      route: 'POST /api/v1/people/duplicates/{duplicateId}/dismiss',
      variant: scoped(scope),
      request: async (w) => ({
        path: `/api/v1/people/duplicates/${(await w.duplicatePair(scope)).duplicateId}/dismiss`,
      }),
      expect: steering(204, 404, scope),
    },
    {
      route: 'POST /api/v1/people/{id}/merge',
      variant: scoped(scope),
      request: async (w) => {
        const { ids } = await w.duplicatePair(scope);
        return { path: `/api/v1/people/${ids[0]}/merge`, body: { sourceIds: [ids[1]] } };
      },
      expect: steering(200, 404, scope),
    },
  ]),
  { route: 'GET /api/v1/people', request: () => ({ path: '/api/v1/people' }), expect: signedIn(200) },
  {
    route: 'GET /api/v1/people/duplicates',
    request: () => ({ path: '/api/v1/people/duplicates' }),
    expect: steering(200, 200, 'in'),
  },
  {
    route: 'GET /api/v1/people/import/template',
    request: () => ({ path: '/api/v1/people/import/template' }),
    expect: steering(200, 200, 'in'),
  },
  {
    // Without a file: steering members reach the file check (400); the rows' communes are checked per row.
    route: 'POST /api/v1/people/import',
    request: () => ({ path: '/api/v1/people/import?dryRun=true' }),
    expect: steering(400, 400, 'in'),
  },
  // A department head's staff import: their own organisation; steering members over its unit.
  ...bothScopes.map((scope): MatrixCase => ({
    route: 'GET /api/v1/organisations/{id}/staff/import/template',
    variant: scoped(scope),
    request: (w) => ({
      path: `/api/v1/organisations/${scope === 'in' ? w.organisation : w.otherOrganisation}/staff/import/template`,
    }),
    expect:
      scope === 'in'
        ? statuses(403, {
            anonymous: 401,
            admin: 200,
            steeringProvince: 200,
            steeringCommune: 200,
            departmentHead: 200,
          })
        : statuses(403, { anonymous: 401, admin: 200, steeringOther: 200 }),
  })),
  ...bothScopes.map((scope): MatrixCase => ({
    // Without a file: those who may import reach the file check (400).
    route: 'POST /api/v1/organisations/{id}/staff/import',
    variant: scoped(scope),
    request: (w) => ({
      path: `/api/v1/organisations/${scope === 'in' ? w.organisation : w.otherOrganisation}/staff/import?dryRun=true`,
    }),
    expect:
      scope === 'in'
        ? statuses(403, {
            anonymous: 401,
            admin: 400,
            steeringProvince: 400,
            steeringCommune: 400,
            departmentHead: 400,
          })
        : statuses(403, { anonymous: 401, admin: 400, steeringOther: 400 }),
  })),

  // Trainers and reach: steering members and viewers by home unit; a trainer sees their own cascade.
  {
    route: 'GET /api/v1/programs/{id}/trainers',
    request: (w) => ({ path: `/api/v1/programs/${w.program}/trainers` }),
    expect: statuses(200, { anonymous: 401, departmentHead: 403 }),
  },
  {
    route: 'GET /api/v1/programs/{id}/leaderboard',
    request: (w) => ({ path: `/api/v1/programs/${w.program}/leaderboard?unit=19` }),
    expect: statuses(200, { anonymous: 401, departmentHead: 403 }),
  },
  ...bothScopes.flatMap((scope): MatrixCase[] => [
    {
      route: 'POST /api/v1/programs/{id}/trainers',
      variant: scoped(scope),
      request: async (w) => ({
        path: `/api/v1/programs/${w.program}/trainers`,
        body: {
          personId: await w.person(scope),
          tier: 'commune_core',
          homeUnitCode: scope === 'in' ? w.units.commune : w.units.otherCommune,
        },
      }),
      expect: steering(201, 403, scope),
    },
    {
      route: 'PATCH /api/v1/programs/{id}/trainers/{trainerId}',
      variant: scoped(scope),
      request: (w) => ({
        path: `/api/v1/programs/${w.program}/trainers/${w.trainers[scope]}`,
        body: { quota: 1600 },
      }),
      expect: steering(200, 404, scope),
    },
    ...(['', '/lineage', '/trainees', '/downstream', '/reach', '/standing'] as const).map(
      (suffix): MatrixCase => ({
        route: `GET /api/v1/programs/{id}/trainers/{trainerId}${suffix}`,
        variant: scoped(scope),
        request: (w) => ({ path: `/api/v1/programs/${w.program}/trainers/${w.trainers[scope]}${suffix}` }),
        expect:
          scope === 'in'
            ? statuses(200, { anonymous: 401, steeringOther: 404, departmentHead: 403 })
            : statuses(404, { anonymous: 401, admin: 200, steeringOther: 200, departmentHead: 403 }),
      }),
    ),
    {
      // The whole board of the trainer's own province (a unit of their standing), seen as their standing is.
      route: 'GET /api/v1/programs/{id}/trainers/{trainerId}/leaderboard',
      variant: scoped(scope),
      request: (w) => ({
        path: `/api/v1/programs/${w.program}/trainers/${w.trainers[scope]}/leaderboard?unit=${scope === 'in' ? '19' : '01'}`,
      }),
      expect:
        scope === 'in'
          ? statuses(200, { anonymous: 401, steeringOther: 404, departmentHead: 403 })
          : statuses(404, { anonymous: 401, admin: 200, steeringOther: 200, departmentHead: 403 }),
    },
  ]),
];
