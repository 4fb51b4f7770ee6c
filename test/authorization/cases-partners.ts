import { cccdFor, createProgram } from '../support/campaign';
import { Http, HttpResponse } from '../support/http';
import { createPartner, issueKey } from '../support/partners';
import { MatrixCase, scoped, statuses, steering } from './cases';
import { World } from './world';

/**
 * Partners and their API keys, in and out of scope: partners registered in the in-scope commune (Thái Nguyên)
 * and in a commune of Hà Nội, with a program each can hold (Thái Nguyên's, and one run by Hà Nội).
 */
export interface PartnersWorld {
  otherProgram: { id: string; code: string };
  partners: Record<'in' | 'out', string>;
  programs: Record<'in' | 'out', string>;
  units: Record<'in' | 'out', string>;
  endpoints: Record<'in' | 'out', string>;
  deliveries: Record<'in' | 'out', string>;
  keys: Record<KeyActor, Http>;
}

/**
 * Who calls the partner API: no credentials, a user's token, keys scoped to the province, to the in-scope
 * commune and to Hà Nội, a key of Thái Nguyên for another program, and keys that no longer work.
 */
export const KEY_ACTORS = [
  'none',
  'userToken',
  'province',
  'commune',
  'otherProvince',
  'otherProgram',
  'revoked',
  'expired',
] as const;
export type KeyActor = (typeof KEY_ACTORS)[number];

let built: Promise<PartnersWorld> | undefined;

/** Built once, on first use, by the administrator. */
export function partnersWorld(w: World): Promise<PartnersWorld> {
  built ??= (async () => {
    const http = w.t.http;
    const otherProgram = await createProgram(http, { ownerUnitCode: w.units.otherProvince });
    const secondProgram = await createProgram(http);
    const partners = {
      in: await createPartner(http, w.units.commune),
      out: await createPartner(http, w.units.otherCommune),
    };
    const programs = { in: w.program, out: otherProgram.id };
    const units = { in: w.units.commune, out: w.units.otherCommune };
    const endpoints = { in: '', out: '' };
    const deliveries = { in: '', out: '' };
    for (const scope of ['in', 'out'] as const) {
      const endpoint = await http.post(`/api/v1/partners/${partners[scope]}/webhooks`, {
        url: 'http://127.0.0.1:9/hooks',
        events: ['completion.recorded'],
        programIds: [programs[scope]],
        unitCode: units[scope],
      });
      endpoints[scope] = endpoint.body.id;
      deliveries[scope] = (
        await http.post(`/api/v1/partners/${partners[scope]}/webhooks/${endpoint.body.id}/test`)
      ).body.id;
    }
    const provincePartner = await createPartner(http, w.units.province);
    const key = async (partner: string, programId: string, unitCode: string) =>
      (await issueKey(http, partner, { programIds: [programId], unitCode })).client;
    const revoked = await issueKey(http, provincePartner, {
      programIds: [w.program],
      unitCode: w.units.province,
    });
    await http.post(`/api/v1/partners/${provincePartner}/keys/${revoked.id}/revoke`, {
      reason: 'Thử thu hồi',
    });
    const expired = await issueKey(http, provincePartner, {
      programIds: [w.program],
      unitCode: w.units.province,
    });
    await w.t.dataSource.query(
      `UPDATE partner_key SET expires_at = now() - interval '1 minute' WHERE id = $1`,
      [expired.id],
    );
    const anonymous = new Http(w.t.baseUrl);
    const user = new Http(w.t.baseUrl);
    user.token = http.token;
    return {
      otherProgram,
      partners,
      programs,
      units,
      endpoints,
      deliveries,
      keys: {
        none: anonymous,
        userToken: user,
        province: await key(provincePartner, w.program, w.units.province),
        commune: await key(await createPartner(http, w.units.commune), w.program, w.units.commune),
        otherProvince: await key(
          await createPartner(http, w.units.otherProvince),
          otherProgram.id,
          w.units.otherProvince,
        ),
        otherProgram: await key(
          await createPartner(http, w.units.province),
          secondProgram.id,
          w.units.province,
        ),
        revoked: revoked.client,
        expired: expired.client,
      },
    };
  })();
  return built;
}

const bothScopes = ['in', 'out'] as const;
const unauthenticated = statuses(401);

/** A fresh key of the scope's partner (rotation and revocation each use one up). */
async function freshKey(w: World, scope: 'in' | 'out'): Promise<string> {
  const p = await partnersWorld(w);
  return (
    await issueKey(w.t.http, p.partners[scope], { programIds: [p.programs[scope]], unitCode: p.units[scope] })
  ).id;
}

/** Partner clients, keys and webhooks: administrators and steering members over the partner's unit. */
export const PARTNER_CASES: MatrixCase[] = [
  {
    route: 'GET /api/v1/partners',
    request: () => ({ path: '/api/v1/partners' }),
    expect: steering(200, 200, 'in'),
  },
  ...bothScopes.flatMap((scope): MatrixCase[] => {
    const base = async (w: World) => `/api/v1/partners/${(await partnersWorld(w)).partners[scope]}`;
    const hook = async (w: World) => `${await base(w)}/webhooks/${(await partnersWorld(w)).endpoints[scope]}`;
    const delivery = async (w: World) =>
      `${await hook(w)}/deliveries/${(await partnersWorld(w)).deliveries[scope]}`;
    const reads = steering(200, 404, scope);
    return [
      {
        route: 'POST /api/v1/partners',
        variant: scoped(scope),
        request: (w) => ({
          path: '/api/v1/partners',
          body: {
            name: 'Trường Trung học phổ thông Ma Trận',
            kind: 'school',
            unitCode: scope === 'in' ? w.units.commune : w.units.otherCommune,
          },
        }),
        expect: steering(201, 403, scope),
      },
      {
        route: 'GET /api/v1/partners/{id}',
        variant: scoped(scope),
        request: async (w) => ({ path: await base(w) }),
        expect: reads,
      },
      {
        route: 'PATCH /api/v1/partners/{id}',
        variant: scoped(scope),
        request: async (w) => ({ path: await base(w), body: { contactName: 'Người Liên Hệ' } }),
        expect: reads,
      },
      {
        route: 'GET /api/v1/partners/{id}/keys',
        variant: scoped(scope),
        request: async (w) => ({ path: `${await base(w)}/keys` }),
        expect: reads,
      },
      {
        route: 'POST /api/v1/partners/{id}/keys',
        variant: scoped(scope),
        request: async (w) => {
          const p = await partnersWorld(w);
          return {
            path: `${await base(w)}/keys`,
            body: { name: 'Khóa ma trận', programIds: [p.programs[scope]], unitCode: p.units[scope] },
          };
        },
        expect: steering(201, 404, scope),
      },
      {
        route: 'POST /api/v1/partners/{id}/keys/{keyId}/rotate',
        variant: scoped(scope),
        request: async (w) => ({
          path: `${await base(w)}/keys/${await freshKey(w, scope)}/rotate`,
          body: {},
        }),
        expect: steering(201, 404, scope),
      },
      {
        route: 'POST /api/v1/partners/{id}/keys/{keyId}/revoke',
        variant: scoped(scope),
        request: async (w) => ({
          path: `${await base(w)}/keys/${await freshKey(w, scope)}/revoke`,
          body: { reason: 'Kiểm tra phân quyền' },
        }),
        expect: reads,
      },
      {
        route: 'GET /api/v1/partners/{id}/webhooks',
        variant: scoped(scope),
        request: async (w) => ({ path: `${await base(w)}/webhooks` }),
        expect: reads,
      },
      {
        route: 'POST /api/v1/partners/{id}/webhooks',
        variant: scoped(scope),
        request: async (w) => {
          const p = await partnersWorld(w);
          return {
            path: `${await base(w)}/webhooks`,
            body: {
              url: 'http://127.0.0.1:9/matrix',
              events: ['report.approved'],
              programIds: [p.programs[scope]],
              unitCode: p.units[scope],
            },
          };
        },
        expect: steering(201, 404, scope),
      },
      {
        route: 'GET /api/v1/partners/{id}/webhooks/{webhookId}',
        variant: scoped(scope),
        request: async (w) => ({ path: await hook(w) }),
        expect: reads,
      },
      {
        route: 'PATCH /api/v1/partners/{id}/webhooks/{webhookId}',
        variant: scoped(scope),
        request: async (w) => ({ path: await hook(w), body: { description: 'Đổi mô tả' } }),
        expect: reads,
      },
      {
        route: 'POST /api/v1/partners/{id}/webhooks/{webhookId}/rotate-secret',
        variant: scoped(scope),
        request: async (w) => ({ path: `${await hook(w)}/rotate-secret`, body: { overlapHours: 0 } }),
        expect: steering(201, 404, scope),
      },
      {
        route: 'POST /api/v1/partners/{id}/webhooks/{webhookId}/test',
        variant: scoped(scope),
        request: async (w) => ({ path: `${await hook(w)}/test` }),
        expect: steering(202, 404, scope),
      },
      {
        route: 'GET /api/v1/partners/{id}/webhooks/{webhookId}/deliveries',
        variant: scoped(scope),
        request: async (w) => ({ path: `${await hook(w)}/deliveries` }),
        expect: reads,
      },
      {
        route: 'GET /api/v1/partners/{id}/webhooks/{webhookId}/deliveries/{deliveryId}',
        variant: scoped(scope),
        request: async (w) => ({ path: await delivery(w) }),
        expect: reads,
      },
      {
        route: 'POST /api/v1/partners/{id}/webhooks/{webhookId}/deliveries/{deliveryId}/redeliver',
        variant: scoped(scope),
        request: async (w) => ({ path: `${await delivery(w)}/redeliver` }),
        expect: steering(202, 404, scope),
      },
    ];
  }),

  // The partner API takes partner keys only: no user token opens it (the key matrix is below).
  ...[
    'GET /api/v1/partner/me',
    'POST /api/v1/partner/people',
    'POST /api/v1/partner/people/lookup',
    'GET /api/v1/partner/people/{externalId}',
    'POST /api/v1/partner/lessons',
    'POST /api/v1/partner/completions',
    'POST /api/v1/partner/outcomes',
    'GET /api/v1/partner/records',
    'GET /api/v1/partner/xapi/about',
    'POST /api/v1/partner/xapi/statements',
    'GET /api/v1/partner/xapi/activities',
    'PUT /api/v1/partner/xapi/activities',
  ].map((route): MatrixCase => ({
    route,
    request: () => ({
      path: route.split(' ')[1].replace('{externalId}', 'HV-1'),
      body: route.startsWith('GET') ? undefined : {},
    }),
    expect: unauthenticated,
  })),
];

/** One row of the key matrix: a request each key actor sends, and what each must get. */
export interface KeyCase {
  route: string;
  variant?: 'in scope' | 'out of scope' | 'sibling commune';
  request: (
    w: World,
    p: PartnersWorld,
    actor: KeyActor,
  ) => Promise<{ path: string; body?: unknown; headers?: Record<string, string> }>;
  /** The status, and for a batch the first item's outcome (`200 recorded`, `200 OUT_OF_SCOPE`). */
  expect: Record<KeyActor, string>;
}

/** The answer as the matrix compares it. */
export function keyOutcome(res: HttpResponse, actor: KeyActor): string {
  if (res.status !== 200 || typeof res.body !== 'object' || res.body === null) return String(res.status);
  if (Array.isArray(res.body.results)) {
    const [first] = res.body.results;
    return `200 ${first.status === 'rejected' ? first.code : first.status}`;
  }
  if (typeof res.body.found === 'boolean') return `200 ${res.body.found ? 'found' : 'none'}`;
  if (
    Array.isArray(res.body.items) &&
    res.body.items.some((r: any) => r.externalId && !r.externalId.startsWith(`${actor}-`))
  )
    return '200 foreign';
  return '200';
}

const refused = { none: '401', userToken: '401', revoked: '401', expired: '401' };
const valid = (outcome: string | Partial<Record<KeyActor, string>>): Record<KeyActor, string> => ({
  ...refused,
  province: typeof outcome === 'string' ? outcome : '200',
  commune: typeof outcome === 'string' ? outcome : '200',
  otherProvince: typeof outcome === 'string' ? outcome : '200',
  otherProgram: typeof outcome === 'string' ? outcome : '200',
  ...(typeof outcome === 'string' ? {} : outcome),
});

let serial = 0;
/** The actor's own learner, registered with its key in its own scope: `<actor>-<n>`. */
async function learner(w: World, p: PartnersWorld, actor: KeyActor, commune?: string): Promise<string> {
  const externalId = `${actor}-${++serial}`;
  await p.keys[actor].post('/api/v1/partner/people', {
    people: [
      {
        externalId,
        fullName: `Phạm Văn Ma Trận ${serial}`,
        birthYear: 1990,
        gender: 'male',
        communeCode: commune ?? (actor === 'otherProvince' ? w.units.otherCommune : w.units.commune),
        segment: 'worker',
      },
    ],
  });
  return externalId;
}

const programCode = async (w: World) =>
  (await w.t.http.get(`/api/v1/programs/${w.program}`)).body.code as string;

/** The same learning item to each key, in Thái Nguyên's program, counted in `commune` (per variant). */
const learning = (route: string, field: string, item: (code: string) => Record<string, unknown>) =>
  (['in', 'out', 'sibling'] as const).map((scope): KeyCase => ({
    route,
    variant: scope === 'sibling' ? 'sibling commune' : scoped(scope),
    request: async (w, p, actor) => ({
      path: route.split(' ')[1],
      body: {
        [field]: [
          {
            id: `${actor}-item-${++serial}`,
            externalId: await learner(w, p, actor),
            programCode: await programCode(w),
            communeCode: { in: w.units.commune, out: w.units.otherCommune, sibling: w.units.sibling }[scope],
            ...item(await programCode(w)),
          },
        ],
      },
    }),
    // Another program's key, and Hà Nội's, may not write for Thái Nguyên's program; the commune's key writes
    // in its commune only; nobody writes outside Thái Nguyên.
    expect: valid({
      province: scope === 'out' ? '200 OUT_OF_SCOPE' : '200 recorded',
      commune: scope === 'in' ? '200 recorded' : '200 OUT_OF_SCOPE',
      otherProvince: '200 PROGRAM_NOT_ALLOWED',
      otherProgram: '200 PROGRAM_NOT_ALLOWED',
    }),
  }));

/** Every operation of the partner API × every kind of key, in and out of the key's scope. */
export const PARTNER_KEY_CASES: KeyCase[] = [
  {
    route: 'GET /api/v1/partner/me',
    request: async () => ({ path: '/api/v1/partner/me' }),
    expect: valid('200'),
  },
  {
    route: 'GET /api/v1/partner/xapi/about',
    request: async () => ({ path: '/api/v1/partner/xapi/about' }),
    expect: valid('200'),
  },
  ...(['in', 'out'] as const).map((scope): KeyCase => ({
    route: 'POST /api/v1/partner/people',
    variant: scoped(scope),
    request: async (w, _p, actor) => ({
      path: '/api/v1/partner/people',
      body: {
        people: [
          {
            externalId: `${actor}-reg-${++serial}`,
            fullName: 'Vũ Thị Ma Trận',
            birthYear: 1988,
            gender: 'female',
            communeCode: scope === 'in' ? w.units.commune : w.units.otherCommune,
            segment: 'farmer',
          },
        ],
      },
    }),
    expect:
      scope === 'in'
        ? valid({
            province: '200 created',
            commune: '200 created',
            otherProgram: '200 created',
            otherProvince: '200 OUT_OF_SCOPE',
          })
        : valid({
            province: '200 OUT_OF_SCOPE',
            commune: '200 OUT_OF_SCOPE',
            otherProgram: '200 OUT_OF_SCOPE',
            otherProvince: '200 created',
          }),
  })),
  ...(['in', 'out'] as const).map((scope): KeyCase => ({
    route: 'POST /api/v1/partner/people/lookup',
    variant: scoped(scope),
    request: async (w) => {
      const cccd = cccdFor('male', 1979);
      await w.t.http.post('/api/v1/people', {
        fullName: 'Lò Văn Tra Cứu',
        birthYear: 1979,
        gender: 'male',
        communeCode: scope === 'in' ? w.units.commune : w.units.otherCommune,
        segment: 'farmer',
        cccd,
      });
      return { path: '/api/v1/partner/people/lookup', body: { cccd, birthYear: 1979 } };
    },
    // A key finds people of its own subtree only.
    expect:
      scope === 'in'
        ? valid({
            province: '200 found',
            commune: '200 found',
            otherProgram: '200 found',
            otherProvince: '200 none',
          })
        : valid({
            province: '200 none',
            commune: '200 none',
            otherProgram: '200 none',
            otherProvince: '200 found',
          }),
  })),
  ...(['in', 'out'] as const).map((scope): KeyCase => ({
    route: 'GET /api/v1/partner/people/{externalId}',
    variant: scoped(scope),
    // In scope: the caller's own learner; out: a learner only the province's partner registered.
    request: async (w, p, actor) => ({
      path: `/api/v1/partner/people/${await learner(w, p, scope === 'in' ? actor : 'province')}`,
    }),
    expect:
      scope === 'in'
        ? valid('200')
        : valid({ province: '200', commune: '404', otherProvince: '404', otherProgram: '404' }),
  })),
  ...learning('POST /api/v1/partner/lessons', 'lessons', () => ({
    level: 1,
    lesson: 'Bài 1',
    completedAt: '2026-06-01T08:00:00+07:00',
  })),
  ...learning('POST /api/v1/partner/completions', 'completions', () => ({
    level: 1,
    completedAt: '2026-06-02T08:00:00+07:00',
  })),
  ...learning('POST /api/v1/partner/outcomes', 'outcomes', () => ({
    canApply: true,
    reportedAt: '2026-06-03T08:00:00+07:00',
  })),
  // Each key lists its partner's records only (a foreign one would read "200 foreign").
  {
    route: 'GET /api/v1/partner/records',
    request: async () => ({ path: '/api/v1/partner/records?limit=500' }),
    expect: valid('200'),
  },
  {
    route: 'GET /api/v1/partner/xapi/activities',
    request: async () => ({ path: '/api/v1/partner/xapi/activities' }),
    expect: valid('200'),
  },
  {
    route: 'PUT /api/v1/partner/xapi/activities',
    request: async (w) => ({
      path: '/api/v1/partner/xapi/activities',
      body: {
        activities: [
          { activityId: 'https://lms.matrix.vn/level-1', programCode: await programCode(w), level: 1 },
        ],
      },
    }),
    expect: valid({ otherProvince: '400', otherProgram: '400' }),
  },
  {
    route: 'POST /api/v1/partner/xapi/statements',
    request: async (w, p, actor) => {
      const me = (await p.keys.province.get('/api/v1/partner/me')).body;
      return {
        path: '/api/v1/partner/xapi/statements',
        headers: { 'x-experience-api-version': '1.0.3' },
        body: {
          actor: { account: { homePage: 'https://lms.matrix.vn', name: await learner(w, p, actor) } },
          verb: { id: 'http://adlnet.gov/expapi/verbs/completed' },
          object: { id: `${me.programs[0].xapiActivityPrefix}1` },
          timestamp: '2026-06-04T08:00:00+07:00',
        },
      };
    },
    // The learner is the key's own; the program decides: Hà Nội's key and another program's are refused.
    expect: valid({ otherProvince: '400', otherProgram: '400' }),
  },
];
