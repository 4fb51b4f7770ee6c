import { Http } from '../support/http';
import { Actor, World } from './world';

export interface MatrixRequest {
  path: string;
  body?: unknown;
  /** Use this client instead of the actor's usual one (e.g. a fresh session). */
  client?: Http;
}

export interface MatrixCase {
  /** `METHOD /path/{param}` exactly as the OpenAPI document names the operation. */
  route: string;
  variant?: 'in scope' | 'out of scope' | 'sibling commune';
  request: (w: World, actor: Actor) => Promise<MatrixRequest> | MatrixRequest;
  expect: Record<Actor, number>;
}

/** Builds the expected statuses: `rest` for every actor not listed. */
export function statuses(rest: number, specific: Partial<Record<Actor, number>> = {}): Record<Actor, number> {
  return {
    anonymous: rest,
    admin: rest,
    steeringProvince: rest,
    steeringCommune: rest,
    steeringOther: rest,
    viewer: rest,
    trainer: rest,
    departmentHead: rest,
    ...specific,
  };
}

export const signedIn = (status: number) => statuses(status, { anonymous: 401 });
export const adminOnly = (status: number) => statuses(403, { anonymous: 401, admin: status });
/** admin and steering members pass the role check; the scope decides the rest. */
export const steering = (inScope: number, outOfScope: number, variant: 'in' | 'out') =>
  statuses(403, {
    anonymous: 401,
    admin: inScope,
    steeringProvince: variant === 'in' ? inScope : outOfScope,
    steeringCommune: variant === 'in' ? inScope : outOfScope,
    steeringOther: variant === 'in' ? outOfScope : inScope,
  });

/** Only administrators and the provincial steering member cover a program owned by the province. */
export const provinceOnly = (status: number) =>
  statuses(403, { anonymous: 401, admin: status, steeringProvince: status });

export const scoped = (name: 'in' | 'out'): 'in scope' | 'out of scope' =>
  name === 'in' ? 'in scope' : 'out of scope';

/**
 * Every operation of the API × every kind of caller. Authorised calls to operations that would change shared
 * state are sent with an invalid body: a 400 shows the caller got past authorisation.
 */
export const CASES: MatrixCase[] = [
  { route: 'GET /health', request: () => ({ path: '/health' }), expect: statuses(200) },
  // Operators' metrics answer only to METRICS_TOKEN (unset here): no user's session opens them.
  { route: 'GET /metrics', request: () => ({ path: '/metrics' }), expect: statuses(404) },

  // Administrative units: reading is for every signed-in user, reorganising for administrators.
  { route: 'GET /api/v1/units', request: () => ({ path: '/api/v1/units?parent=19' }), expect: signedIn(200) },
  {
    route: 'GET /api/v1/units/search',
    request: () => ({ path: '/api/v1/units/search?q=thai' }),
    expect: signedIn(200),
  },
  { route: 'GET /api/v1/units/{code}', request: () => ({ path: '/api/v1/units/19' }), expect: signedIn(200) },
  {
    route: 'POST /api/v1/units/merge',
    request: () => ({ path: '/api/v1/units/merge', body: {} }),
    expect: adminOnly(400),
  },
  ...(['split', 'rename', 'reparent'] as const).map((op): MatrixCase => ({
    route: `POST /api/v1/units/{code}/${op}`,
    request: (w) => ({ path: `/api/v1/units/${w.units.commune}/${op}`, body: {} }),
    expect: adminOnly(400),
  })),
  // Previews of merge, split and re-parent: as the change itself, writing nothing.
  {
    route: 'POST /api/v1/units/merge/preview',
    request: () => ({ path: '/api/v1/units/merge/preview', body: {} }),
    expect: adminOnly(400),
  },
  ...(['split', 'reparent'] as const).map((op): MatrixCase => ({
    route: `POST /api/v1/units/{code}/${op}/preview`,
    request: (w) => ({ path: `/api/v1/units/${w.units.commune}/${op}/preview`, body: {} }),
    expect: adminOnly(400),
  })),

  // Authentication.
  {
    route: 'POST /api/v1/auth/login',
    request: () => ({ path: '/api/v1/auth/login', body: { login: '' } }),
    expect: statuses(400),
  },
  {
    route: 'POST /api/v1/auth/refresh',
    request: () => ({ path: '/api/v1/auth/refresh', body: { refreshToken: 'not-a-token' } }),
    expect: statuses(401),
  },
  // The web app's cookie session: public routes; without the cookie (and its CSRF token) nothing opens.
  {
    route: 'POST /api/v1/auth/session',
    request: () => ({ path: '/api/v1/auth/session', body: { login: '' } }),
    expect: statuses(400),
  },
  {
    route: 'POST /api/v1/auth/session/refresh',
    request: () => ({ path: '/api/v1/auth/session/refresh' }),
    expect: statuses(401),
  },
  {
    route: 'DELETE /api/v1/auth/session',
    request: () => ({ path: '/api/v1/auth/session' }),
    expect: statuses(401),
  },
  {
    route: 'POST /api/v1/auth/logout',
    request: async (w, actor) => ({ path: '/api/v1/auth/logout', client: await w.freshClient(actor) }),
    expect: signedIn(204),
  },
  { route: 'GET /api/v1/auth/me', request: () => ({ path: '/api/v1/auth/me' }), expect: signedIn(200) },
  {
    route: 'POST /api/v1/auth/password',
    request: () => ({
      path: '/api/v1/auth/password',
      body: { currentPassword: 'certainly-not-it', newPassword: 'Another-Password-1' },
    }),
    expect: signedIn(400),
  },

  // Users: administrators and steering members, within their subtree; outside it a user "does not exist".
  {
    route: 'GET /api/v1/users',
    request: () => ({ path: '/api/v1/users' }),
    expect: steering(200, 200, 'in'),
  },
  ...(['in', 'out'] as const).flatMap((scope): MatrixCase[] => [
    {
      route: 'POST /api/v1/users',
      variant: scoped(scope),
      request: (w, actor) => ({
        path: '/api/v1/users',
        body: {
          login: `matrix.${actor}.${scope}.${Math.random().toString(36).slice(2)}@test.lantoa.vn`,
          displayName: 'Người Thử Ma Trận',
          password: 'Matrix-Password-1',
          assignments: [
            { role: 'steering', unitCode: scope === 'in' ? w.units.commune : w.units.otherCommune },
          ],
        },
      }),
      expect: steering(201, 403, scope),
    },
    {
      route: 'GET /api/v1/users/{id}',
      variant: scoped(scope),
      request: async (w) => ({ path: `/api/v1/users/${(await w.account(scope)).id}` }),
      expect: steering(200, 404, scope),
    },
    {
      route: 'PATCH /api/v1/users/{id}',
      variant: scoped(scope),
      request: async (w) => ({
        path: `/api/v1/users/${(await w.account(scope)).id}`,
        body: { displayName: 'Đổi Tên' },
      }),
      expect: steering(200, 404, scope),
    },
    {
      route: 'POST /api/v1/users/{id}/assignments',
      variant: scoped(scope),
      request: async (w) => ({
        path: `/api/v1/users/${(await w.account(scope)).id}/assignments`,
        body: { role: 'steering', unitCode: scope === 'in' ? w.units.commune : w.units.otherCommune },
      }),
      expect: steering(201, 404, scope),
    },
    {
      route: 'DELETE /api/v1/users/{id}/assignments/{assignmentId}',
      variant: scoped(scope),
      request: async (w) => {
        const account = await w.account(scope);
        return { path: `/api/v1/users/${account.id}/assignments/${account.assignmentIds[1]}` };
      },
      expect: steering(200, 404, scope),
    },
    {
      route: 'POST /api/v1/users/{id}/password',
      variant: scoped(scope),
      request: async (w) => ({
        path: `/api/v1/users/${(await w.account(scope)).id}/password`,
        body: { newPassword: 'Reset-By-Matrix-1' },
      }),
      expect: steering(201, 404, scope),
    },
  ]),
  {
    route: 'GET /api/v1/users/{id}',
    variant: 'sibling commune',
    request: async (w) => {
      const account = await w.t.http.post('/api/v1/users', {
        login: `matrix.sibling.${Math.random().toString(36).slice(2)}@test.lantoa.vn`,
        displayName: 'Người Xã Bên',
        password: 'Matrix-Password-1',
        assignments: [{ role: 'trainer', unitCode: w.units.sibling }],
      });
      return { path: `/api/v1/users/${account.body.id}` };
    },
    expect: statuses(403, {
      anonymous: 401,
      admin: 200,
      steeringProvince: 200,
      steeringCommune: 404,
      steeringOther: 404,
    }),
  },

  {
    route: 'GET /api/v1/audit',
    request: () => ({ path: '/api/v1/audit' }),
    expect: steering(200, 200, 'in'),
  },
  // The citizens' page: finding and registering are public; the rest needs a citizen's VNeID sign-in (a
  // sealed cookie no matrix actor holds), whatever staff role the caller has.
  {
    route: 'GET /api/v1/public/classes',
    request: () => ({ path: '/api/v1/public/classes?q=dong' }),
    expect: statuses(200),
  },
  {
    route: 'POST /api/v1/public/classes/{id}/registrations',
    request: (w) => ({ path: `/api/v1/public/classes/${w.classes.in.id}/registrations`, body: {} }),
    expect: statuses(400),
  },
  { route: 'GET /api/v1/citizen/me', request: () => ({ path: '/api/v1/citizen/me' }), expect: statuses(401) },
  {
    route: 'POST /api/v1/citizen/classes/{id}/registrations',
    request: (w) => ({ path: `/api/v1/citizen/classes/${w.classes.in.id}/registrations` }),
    expect: statuses(401),
  },
  {
    route: 'GET /api/v1/citizen/certificates/{id}/pdf',
    request: () => ({ path: '/api/v1/citizen/certificates/00000000-0000-4000-8000-000000000000/pdf' }),
    expect: statuses(401),
  },
  {
    route: 'DELETE /api/v1/citizen/session',
    request: () => ({ path: '/api/v1/citizen/session' }),
    expect: statuses(200),
  },
  // Sign-in with an OpenID provider: public (no provider is configured in the matrix's app); linking
  // identities to accounts is for administrators only.
  {
    route: 'GET /api/v1/auth/oidc/providers',
    request: () => ({ path: '/api/v1/auth/oidc/providers' }),
    expect: statuses(200),
  },
  {
    route: 'GET /api/v1/auth/oidc/{provider}/start',
    request: () => ({ path: '/api/v1/auth/oidc/vneid/start' }),
    expect: statuses(404),
  },
  {
    route: 'GET /api/v1/auth/oidc/{provider}/callback',
    request: () => ({ path: '/api/v1/auth/oidc/vneid/callback?code=x&state=y' }),
    expect: statuses(404),
  },
  {
    route: 'GET /api/v1/users/{id}/identities',
    request: async (w) => ({ path: `/api/v1/users/${(await w.account('in')).id}/identities` }),
    expect: adminOnly(200),
  },
  {
    route: 'POST /api/v1/users/{id}/identities',
    request: async (w) => ({ path: `/api/v1/users/${(await w.account('in')).id}/identities`, body: {} }),
    expect: adminOnly(400),
  },
  {
    route: 'DELETE /api/v1/users/{id}/identities/{identityId}',
    request: async (w) => ({
      path: `/api/v1/users/${(await w.account('in')).id}/identities/00000000-0000-4000-8000-000000000000`,
    }),
    expect: adminOnly(404),
  },
];
