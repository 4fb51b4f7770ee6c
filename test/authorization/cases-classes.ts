import { randomUUID } from 'node:crypto';
import { MatrixCase, scoped, statuses, steering } from './cases';

const bothScopes = ['in', 'out'] as const;

/** Who reads a class: admins, steering and viewers of its unit, and its own trainer; others are told it does not exist. */
const reads = (scope: 'in' | 'out') =>
  scope === 'in'
    ? statuses(200, { anonymous: 401, steeringOther: 404, departmentHead: 403 })
    : statuses(404, { anonymous: 401, admin: 200, steeringOther: 200, departmentHead: 403 });

/** Who runs a class: admins, steering members of its unit and its own trainer (viewers only watch). */
const runs = (scope: 'in' | 'out', ok: number) =>
  scope === 'in'
    ? statuses(ok, { anonymous: 401, steeringOther: 404, viewer: 403, departmentHead: 403 })
    : statuses(404, { anonymous: 401, admin: ok, steeringOther: ok, viewer: 403, departmentHead: 403 });

/** Classes, enrolments, attendance (roster, QR, offline sync, Excel) and printable sheets. */
export const CLASS_CASES: MatrixCase[] = [
  {
    route: 'GET /api/v1/classes',
    request: () => ({ path: '/api/v1/classes' }),
    // A department head lists the classes its organisation's people attend (none here).
    expect: statuses(200, { anonymous: 401 }),
  },
  ...bothScopes.flatMap((scope): MatrixCase[] => [
    {
      route: 'POST /api/v1/classes',
      variant: scoped(scope),
      request: (w) => ({
        path: '/api/v1/classes',
        body: {
          programId: w.program,
          level: 1,
          kind: 'citizen',
          title: 'Lớp thử ma trận',
          leadTrainerId: scope === 'in' ? w.trainers.self : w.trainers.out,
          unitCode: scope === 'in' ? w.units.commune : w.units.otherCommune,
          venueType: 'library',
          mode: 'in_person',
          capacity: 30,
          sessions: [
            { startsAt: '2026-12-10T08:00:00+07:00', endsAt: '2026-12-10T09:30:00+07:00' },
            { startsAt: '2026-12-11T08:00:00+07:00', endsAt: '2026-12-11T09:30:00+07:00' },
          ],
        },
      }),
      // A trainer opens classes they lead themselves.
      expect: { ...steering(201, 403, scope), trainer: scope === 'in' ? 201 : 403 },
    },
    ...(
      [
        '',
        '/enrolments',
        '/attendance',
        '/attendance/conflicts',
        '/attendance-sheet.xlsx',
        '/attendance-sheet.pdf',
      ] as const
    ).map((suffix): MatrixCase => ({
      route: `GET /api/v1/classes/{id}${suffix}`,
      variant: scoped(scope),
      request: (w) => ({ path: `/api/v1/classes/${w.classes[scope].id}${suffix}` }),
      // A department head reads only the classes its people attend: for others it is told they do not exist.
      expect: suffix === '' ? { ...reads(scope), departmentHead: 404 } : reads(scope),
    })),
    {
      route: 'PATCH /api/v1/classes/{id}',
      variant: scoped(scope),
      request: (w) => ({
        path: `/api/v1/classes/${w.classes[scope].id}`,
        body: { venueAddress: 'Nhà văn hóa thôn' },
      }),
      expect: runs(scope, 200),
    },
    {
      route: 'POST /api/v1/classes/{id}/status',
      variant: scoped(scope),
      request: async (w) => ({
        path: `/api/v1/classes/${(await w.freshClass(scope)).id}/status`,
        body: { status: 'cancelled' },
      }),
      expect: runs(scope, 200),
    },
    {
      route: 'POST /api/v1/classes/{id}/enrolments',
      variant: scoped(scope),
      request: async (w) => ({
        path: `/api/v1/classes/${w.classes[scope].id}/enrolments`,
        body: { personId: await w.person(scope) },
      }),
      expect: runs(scope, 201),
    },
    {
      route: 'PATCH /api/v1/classes/{id}/enrolments/{enrolmentId}',
      variant: scoped(scope),
      request: async (w) => {
        const c = await w.freshClass(scope);
        return {
          path: `/api/v1/classes/${c.id}/enrolments/${c.enrolmentId}`,
          body: { canApplyAiTool: true },
        };
      },
      expect: runs(scope, 200),
    },
    {
      route: 'POST /api/v1/classes/{id}/graduations',
      variant: scoped(scope),
      request: async (w) => ({
        path: `/api/v1/classes/${(await w.freshClass(scope, 'training_of_trainers')).id}/graduations`,
        body: {},
      }),
      expect: runs(scope, 201),
    },
    {
      route: 'PUT /api/v1/classes/{id}/sessions/{sessionId}/attendance',
      variant: scoped(scope),
      request: (w) => ({
        path: `/api/v1/classes/${w.classes[scope].id}/sessions/${w.classes[scope].sessionId}/attendance`,
        body: { marks: [{ personId: w.classes[scope].personId, status: 'present' }] },
      }),
      expect: runs(scope, 200),
    },
    {
      route: 'GET /api/v1/classes/{id}/sessions/{sessionId}/checkin',
      variant: scoped(scope),
      request: (w) => ({
        path: `/api/v1/classes/${w.classes[scope].id}/sessions/${w.classes[scope].sessionId}/checkin`,
      }),
      expect: runs(scope, 200),
    },
    {
      route: 'GET /api/v1/classes/{id}/attendance/template',
      variant: scoped(scope),
      request: (w) => ({ path: `/api/v1/classes/${w.classes[scope].id}/attendance/template` }),
      expect: runs(scope, 200),
    },
    {
      // Sent without a file: a 400 shows the caller got past the scope check.
      route: 'POST /api/v1/classes/{id}/attendance/import',
      variant: scoped(scope),
      request: (w) => ({ path: `/api/v1/classes/${w.classes[scope].id}/attendance/import` }),
      expect: runs(scope, 400),
    },
  ]),
  {
    // The batch is accepted by everyone who may mark attendance; each mark is then judged on its own.
    route: 'POST /api/v1/attendance/sync',
    request: (w) => ({
      path: '/api/v1/attendance/sync',
      body: {
        marks: [
          {
            clientId: randomUUID(),
            sessionId: w.classes.in.sessionId,
            personId: w.classes.in.personId,
            status: 'present',
            recordedAt: '2026-11-20T08:10:00+07:00',
          },
        ],
      },
    }),
    expect: statuses(200, { anonymous: 401, viewer: 403, departmentHead: 403 }),
  },
  // The public check-in page: no login; an unknown code is a 404 page for everyone.
  {
    route: 'GET /checkin/{token}',
    request: () => ({ path: `/checkin/${'0'.repeat(72)}` }),
    expect: statuses(404),
  },
  {
    route: 'POST /checkin/{token}',
    request: () => ({
      path: `/checkin/${'0'.repeat(72)}`,
      body: { identifier: '0912345678', birthYear: '1990' },
    }),
    expect: statuses(404),
  },
];
