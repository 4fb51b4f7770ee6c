import { MatrixCase, scoped, statuses } from './cases';
import { World } from './world';

const bothScopes = ['in', 'out'] as const;

/** Certificates are read like classes (their unit, or the class's own trainer) and revoked by steering members. */
const reads = (scope: 'in' | 'out') =>
  scope === 'in'
    ? statuses(200, { anonymous: 401, steeringOther: 404, departmentHead: 403 })
    : statuses(404, { anonymous: 401, admin: 200, steeringOther: 200, departmentHead: 403 });
const steers = (scope: 'in' | 'out', ok: number) =>
  scope === 'in'
    ? statuses(403, {
        anonymous: 401,
        admin: ok,
        steeringProvince: ok,
        steeringCommune: ok,
        steeringOther: 404,
      })
    : statuses(403, {
        anonymous: 401,
        admin: ok,
        steeringOther: ok,
        steeringProvince: 404,
        steeringCommune: 404,
      });

async function certificate(w: World, scope: 'in' | 'out'): Promise<{ id: string; code: string }> {
  const c = await w.freshClass(scope);
  for (const sessionId of c.sessionIds.slice(0, 2)) {
    await w.t.http.put(`/api/v1/classes/${c.id}/sessions/${sessionId}/attendance`, {
      marks: [{ personId: c.personId, status: 'present' }],
    });
  }
  const [k] = (await w.t.http.post(`/api/v1/classes/${c.id}/certificates`, {})).body;
  return { id: k.id, code: k.verifyUrl.split('/verify/')[1] };
}

export const CERTIFICATE_CASES: MatrixCase[] = [
  {
    route: 'GET /api/v1/certificates',
    request: () => ({ path: '/api/v1/certificates' }),
    expect: statuses(200, { anonymous: 401, departmentHead: 403 }),
  },
  ...bothScopes.flatMap((scope): MatrixCase[] => [
    {
      route: 'GET /api/v1/certificates/{id}',
      variant: scoped(scope),
      request: async (w) => ({ path: `/api/v1/certificates/${(await certificate(w, scope)).id}` }),
      expect: reads(scope),
    },
    {
      route: 'GET /api/v1/certificates/{id}/pdf',
      variant: scoped(scope),
      request: async (w) => ({ path: `/api/v1/certificates/${(await certificate(w, scope)).id}/pdf` }),
      expect: reads(scope),
    },
    {
      route: 'GET /api/v1/certificates/{id}/credential',
      variant: scoped(scope),
      request: async (w) => ({
        path: `/api/v1/certificates/${(await certificate(w, scope)).id}/credential`,
      }),
      expect: reads(scope),
    },
    {
      route: 'POST /api/v1/certificates/{id}/revoke',
      variant: scoped(scope),
      request: async (w) => ({
        path: `/api/v1/certificates/${(await certificate(w, scope)).id}/revoke`,
        body: { reason: 'Kiểm tra phân quyền' },
      }),
      expect: steers(scope, 200),
    },
    {
      route: 'POST /api/v1/certificates/{id}/reissue',
      variant: scoped(scope),
      request: async (w) => ({
        path: `/api/v1/certificates/${(await certificate(w, scope)).id}/reissue`,
        body: {},
      }),
      expect: steers(scope, 201),
    },
    {
      route: 'POST /api/v1/classes/{id}/certificates',
      variant: scoped(scope),
      request: async (w) => ({
        path: `/api/v1/classes/${(await w.freshClass(scope)).id}/certificates`,
        body: {},
      }),
      expect:
        scope === 'in'
          ? statuses(201, { anonymous: 401, steeringOther: 404, viewer: 403, departmentHead: 403 })
          : statuses(404, {
              anonymous: 401,
              admin: 201,
              steeringOther: 201,
              viewer: 403,
              departmentHead: 403,
            }),
    },
    {
      route: 'POST /api/v1/classes/{id}/certificates/pdf',
      variant: scoped(scope),
      request: (w) => ({ path: `/api/v1/classes/${w.classes[scope].id}/certificates/pdf` }),
      expect: reads(scope),
    },
  ]),
  // Who signs certificates for a unit: its steering committee (or one above it) and administrators.
  {
    route: 'GET /api/v1/programs/{id}/certificate-signers',
    request: (w) => ({ path: `/api/v1/programs/${w.program}/certificate-signers` }),
    expect: statuses(403, {
      anonymous: 401,
      admin: 200,
      steeringProvince: 200,
      steeringCommune: 200,
      steeringOther: 200,
    }),
  },
  ...bothScopes.flatMap((scope): MatrixCase[] => {
    const unit = (w: World) => (scope === 'in' ? w.units.commune : w.units.otherCommune);
    const covered = (ok: number) =>
      scope === 'in'
        ? statuses(403, { anonymous: 401, admin: ok, steeringProvince: ok, steeringCommune: ok })
        : statuses(403, { anonymous: 401, admin: ok, steeringOther: ok });
    return [
      {
        route: 'PUT /api/v1/programs/{id}/certificate-signers/{unitCode}',
        variant: scoped(scope),
        request: (w) => ({
          path: `/api/v1/programs/${w.program}/certificate-signers/${unit(w)}`,
          body: { signerTitle: 'Trưởng Ban Chỉ đạo', signerName: 'Người ký kiểm tra phân quyền' },
        }),
        expect: covered(200),
      },
      {
        route: 'GET /api/v1/programs/{id}/certificate-signers/{unitCode}/seal',
        variant: scoped(scope),
        // No seal was uploaded: those who may see it are told so; the others are refused first.
        request: (w) => ({ path: `/api/v1/programs/${w.program}/certificate-signers/${unit(w)}/seal` }),
        expect: covered(404),
      },
    ];
  }),
  // Public verification, for everyone; an unknown code is "not found" for everyone.
  {
    route: 'GET /api/v1/certificates/verify/{code}',
    request: async (w) => ({ path: `/api/v1/certificates/verify/${(await certificate(w, 'in')).code}` }),
    expect: statuses(200),
  },
  {
    route: 'GET /verify/{code}',
    request: () => ({ path: `/verify/${'A'.repeat(32)}` }),
    expect: statuses(404),
  },
  {
    route: 'GET /verify/{code}/credential',
    request: () => ({ path: `/verify/${'A'.repeat(32)}/credential` }),
    expect: statuses(404),
  },
  // Checking an Open Badges credential: the form, the page and the API are public, and so is what they use.
  { route: 'GET /verify', request: () => ({ path: '/verify' }), expect: statuses(200) },
  { route: 'POST /verify', request: () => ({ path: '/verify', body: {} }), expect: statuses(200) },
  {
    route: 'POST /api/v1/credentials/verify',
    request: () => ({ path: '/api/v1/credentials/verify', body: {} }),
    expect: statuses(400),
  },
  {
    route: 'GET /.well-known/jwks.json',
    request: () => ({ path: '/.well-known/jwks.json' }),
    expect: statuses(200),
  },
  {
    route: 'GET /api/v1/credentials/status/{programId}/{year}',
    request: (w) => ({ path: `/api/v1/credentials/status/${w.program}/2026` }),
    expect: statuses(200),
  },
  {
    route: 'GET /api/v1/credentials/issuers/{unitCode}',
    request: () => ({ path: '/api/v1/credentials/issuers/19' }),
    expect: statuses(200),
  },
  // Everyone signed in lists their own jobs (administrators every job).
  {
    route: 'GET /api/v1/jobs',
    request: () => ({ path: '/api/v1/jobs?status=queued' }),
    expect: statuses(200, { anonymous: 401 }),
  },
  // A job is seen by whoever queued it (here the administrator), and by administrators.
  {
    route: 'GET /api/v1/jobs/{id}',
    request: (w) => ({ path: `/api/v1/jobs/${w.job}` }),
    expect: statuses(404, { anonymous: 401, admin: 200 }),
  },
  {
    route: 'GET /api/v1/jobs/{id}/file',
    request: (w) => ({ path: `/api/v1/jobs/${w.job}/file` }),
    expect: statuses(404, { anonymous: 401, admin: 409 }),
  },
];
