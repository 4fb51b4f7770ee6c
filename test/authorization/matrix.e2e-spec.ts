import { recordFigures } from '../support/reliability';
import { startTestApp, TestApp } from '../support/test-app';
import { CASES as CORE_CASES } from './cases';
import { CAMPAIGN_CASES } from './cases-campaign';
import { CERTIFICATE_CASES } from './cases-certificates';
import { CLASS_CASES } from './cases-classes';
import { FLAG_CASES } from './cases-flags';
import { KPI_CASES } from './cases-kpi';
import {
  KEY_ACTORS,
  KeyActor,
  keyOutcome,
  PARTNER_CASES,
  PARTNER_KEY_CASES,
  partnersWorld,
} from './cases-partners';
import { Actor, ACTORS, buildWorld, World } from './world';

/**
 * The authorisation matrix: every operation of the API, called by every kind of caller, in and out of
 * scope, must answer the expected status. An operation missing from CASES fails the first test.
 */
const CASES = [
  ...CORE_CASES,
  ...CAMPAIGN_CASES,
  ...CLASS_CASES,
  ...CERTIFICATE_CASES,
  ...KPI_CASES,
  ...FLAG_CASES,
  ...PARTNER_CASES,
];

describe('authorisation matrix', () => {
  let t: TestApp;
  let world: World;
  const checked = { cells: 0, failed: 0, keyCells: 0, keyFailed: 0 };

  beforeAll(async () => {
    t = await startTestApp();
    world = await buildWorld(t);
  });
  afterAll(async () => {
    recordFigures('authorisation matrix', {
      operations: new Set(CASES.map((c) => c.route)).size,
      'cases (operation × scope)': CASES.length,
      callers: ACTORS.length,
      'cells checked': checked.cells,
      'cells not as expected': checked.failed,
      'partner key cells checked': checked.keyCells,
      'partner key cells not as expected': checked.keyFailed,
    });
    await t.close();
  });

  it('covers every operation the API documents', async () => {
    const doc = (await t.http.get('/docs-json')).body as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(doc.paths).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(documented.length).toBeGreaterThan(15);
    const covered = new Set(CASES.map((c) => c.route));
    expect(documented.filter((route) => !covered.has(route))).toEqual([]);

    // Routes the HTTP server really has, documented or not (only the OpenAPI pages themselves are exempt).
    type Layer = { route?: { path: string; methods: Record<string, boolean> } };
    const instance = t.app.getHttpAdapter().getInstance() as { router: { stack: Layer[] } };
    const served = instance.router.stack
      .filter(
        (layer) => layer.route && !layer.route.path.startsWith('/docs') && !layer.route.path.includes('*'),
      )
      .flatMap((layer) =>
        Object.keys(layer.route!.methods).map(
          (method) => `${method.toUpperCase()} ${layer.route!.path.replace(/:(\w+)/g, '{$1}')}`,
        ),
      );
    expect(served.filter((route) => !covered.has(route))).toEqual([]);
    // Every documented route is served, and every row of the matrix names a route that exists.
    expect(documented.filter((route) => !served.includes(route))).toEqual([]);
    expect([...covered].filter((route) => !served.includes(route))).toEqual([]);
  });

  it.each(CASES.map((c) => [`${c.route}${c.variant ? ` (${c.variant})` : ''}`, c] as const))(
    '%s',
    async (_name, c) => {
      const method = c.route.split(' ')[0];
      const actual = {} as Record<Actor, number>;
      for (const actor of ACTORS) {
        const request = await c.request(world, actor);
        const client = request.client ?? world.client(actor);
        const res = await client.request(method, request.path, { body: request.body });
        actual[actor] = res.status;
        checked.cells++;
        if (res.status !== c.expect[actor]) checked.failed++;
        // API errors are problem documents (public HTML pages answer with pages); a 500 is always a failure.
        if (res.status >= 400 && request.path.startsWith('/api/')) {
          expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        }
      }
      expect(actual).toEqual(c.expect);
    },
  );

  it('covers every operation of the partner API in the key matrix', async () => {
    const doc = (await t.http.get('/docs-json')).body as { paths: Record<string, Record<string, unknown>> };
    const partnerRoutes = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith('/api/v1/partner/'))
      .flatMap(([path, operations]) =>
        Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
      );
    expect(partnerRoutes.length).toBeGreaterThan(10);
    const covered = new Set(PARTNER_KEY_CASES.map((c) => c.route));
    expect(partnerRoutes.filter((route) => !covered.has(route))).toEqual([]);
  });

  it.each(
    PARTNER_KEY_CASES.map((c) => [`${c.route}${c.variant ? ` (${c.variant})` : ''} by key`, c] as const),
  )('%s', async (_name, c) => {
    const partners = await partnersWorld(world);
    const method = c.route.split(' ')[0];
    const actual = {} as Record<KeyActor, string>;
    for (const actor of KEY_ACTORS) {
      const request = await c.request(world, partners, actor);
      const res = await partners.keys[actor].request(method, request.path, {
        body: request.body,
        headers: request.headers,
      });
      actual[actor] = keyOutcome(res, actor);
      checked.keyCells++;
      if (actual[actor] !== c.expect[actor]) checked.keyFailed++;
      if (res.status >= 400) expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    }
    expect(actual).toEqual(c.expect);
  });
});
