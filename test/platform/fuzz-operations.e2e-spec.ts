import fc from 'fast-check';
import { FixedClock } from '../../libs/platform/src';
import { createClass, createPerson, createProgram, createTrainer } from '../support/campaign';
import { communesOf, createOrganisation, createUser } from '../support/fixtures';
import { hostileBodies, RawResponse, sendRaw } from '../support/hostile';
import { createPartner, issueKey, partnerPerson } from '../support/partners';
import { recordFigures } from '../support/reliability';
import { startTestApp, TestApp } from '../support/test-app';

const PROBLEM = 'application/problem+json; charset=utf-8';

/** Values a path segment or a query parameter should never choke on (already URL-encoded). */
const BAD_PARAMS = [
  '%00',
  'x'.repeat(3000),
  '-1',
  '99999999999999999999',
  '1e309',
  "'%20OR%201%3D1--",
  '%E0%A4%A',
  '..%2F..%2Fetc%2Fpasswd',
  '%F0%9F%92%A9',
  '2026-02-30',
];

/** Values each field of a JSON body is replaced with, one at a time: wrong types, extremes, odd text. */
const BAD_VALUES: unknown[] = [
  null,
  123456789012345,
  -1e20,
  'x',
  true,
  [],
  {},
  [[[[['deep']]]]],
  'x'.repeat(100_000),
  '2026-13-45T25:61:00Z',
  'not-a-uuid',
  '\u{10FFFF}\uFFFE',
];

/** The run is reproducible: the same seed generates the same values (FUZZ_SEED changes it). */
const SEED = Number(process.env.FUZZ_SEED ?? 20261206);
/** Generated bodies per operation, and generated values per query parameter. */
const GENERATED = 6;

/** Any value a field might be sent: JSON of every shape, text of any code point, extreme numbers and dates. */
const anyValue = fc.oneof(
  fc.anything({ maxDepth: 3 }),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ unit: 'grapheme', maxLength: 50 }),
  fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
  fc.double(),
  fc.uuid(),
  fc
    .date({ noInvalidDate: false })
    .map((d) => (Number.isNaN(d.getTime()) ? 'Invalid Date' : d.toISOString())),
);

/**
 * Bodies generated from a valid one: each field kept or replaced by any value, plus fields the schema does not
 * know. Seeded per operation, so a failure names a body that can be generated again.
 */
function generatedBodies(valid: Record<string, unknown>, seed: number): unknown[] {
  const fields = Object.fromEntries(
    Object.entries(valid).map(([name, value]) => [name, fc.option(anyValue, { nil: value, freq: 2 })]),
  );
  const body = fc
    .tuple(fc.record(fields), fc.dictionary(fc.string({ maxLength: 12 }), anyValue, { maxKeys: 3 }))
    .map(([known, extra]) => ({ ...extra, ...known }));
  return fc.sample(body, { seed, numRuns: GENERATED });
}

/** Query values of any code point, URL-encoded. */
function generatedParams(seed: number): string[] {
  return fc
    .sample(fc.string({ unit: 'binary', maxLength: 200 }), { seed, numRuns: GENERATED })
    .map(encodeURIComponent);
}

interface Operation {
  method: string;
  path: string;
  operation: any;
}

/**
 * Every operation of the OpenAPI document, fed the hostile bodies (as bytes), bad path and query values,
 * and bodies with each field replaced by a wrong value: no answer may be a 5xx, and every 4xx must be a
 * problem with a stable code. The counts are printed.
 */
describe('every operation under hostile input', () => {
  const clock = new FixedClock(new Date('2026-11-25T10:00:00+07:00'));
  let t: TestApp;
  let doc: any;
  const ids: Record<string, string> = {};
  /** The partner API takes a partner's key, every other operation the administrator's token. */
  let partnerKey = '';
  const tokenFor = (path: string) => (path.startsWith('/api/v1/partner/') ? partnerKey : t.http.token);

  beforeAll(async () => {
    t = await startTestApp({ clock });
    doc = (await t.anonymous.get('/docs-json')).body;
    const [commune] = await communesOf(t, '19');
    const program = await createProgram(t.http);
    const trainer = await createTrainer(t.http, program.id, commune);
    const c = await createClass(t.http, program.id, trainer.id, commune);
    const person = await createPerson(t.http, commune);
    const enrolment = await t.http.post(`/api/v1/classes/${c.id}/enrolments`, { personId: person.id });
    const user = await createUser(t, [{ role: 'viewer', unitCode: '19' }]);
    const organisation = await createOrganisation(t, commune);
    const partner = await createPartner(t.http, '19');
    const key = await issueKey(t.http, partner, {
      programIds: [program.id],
      unitCode: '19',
      rateLimit: 100_000,
    });
    partnerKey = key.secret;
    await key.client.post('/api/v1/partner/people', { people: [partnerPerson('HV-2026-0117', commune)] });
    const webhook = await t.http.post(`/api/v1/partners/${partner}/webhooks`, {
      url: 'http://127.0.0.1:9/hooks',
      events: ['completion.recorded'],
      programIds: [program.id],
      unitCode: '19',
    });
    const delivery = await t.http.post(`/api/v1/partners/${partner}/webhooks/${webhook.body.id}/test`);
    const contest = await t.http.post('/api/v1/contests', {
      programId: program.id,
      unit: commune,
      name: 'Hội thi ứng dụng AI',
      period: '2026',
      criteria: [{ name: 'Ứng dụng', weight: 100, maxPoints: 10 }],
    });
    const entry = await t.http.post(`/api/v1/contests/${contest.body.id}/entries`, {
      kind: 'person',
      subjectId: person.id,
    });
    Object.assign(ids, {
      partners: partner,
      // A key of its own for the rotate and revoke operations, which may retire it.
      keyId: (await issueKey(t.http, partner, { programIds: [program.id], unitCode: '19' })).id,
      webhookId: webhook.body.id,
      deliveryId: delivery.body.id,
      externalId: 'HV-2026-0117',
      programs: program.id,
      classes: c.id,
      people: person.id,
      users: user.id,
      organisations: organisation,
      trainerId: trainer.id,
      sessionId: c.sessions[0].id,
      enrolmentId: enrolment.body.id,
      contests: contest.body.id,
      entryId: entry.body.id,
      code: '19',
    });
  }, 60_000);
  afterAll(() => t.close());

  function operations(): Operation[] {
    const list: Operation[] = [];
    for (const [path, item] of Object.entries<any>(doc.paths)) {
      for (const [method, operation] of Object.entries<any>(item))
        list.push({ method: method.toUpperCase(), path, operation });
    }
    return list;
  }

  /** The path with real ids where the test has them (the collection before `{id}` says which), else a UUID. */
  function realPath(path: string): string {
    return path.replace(/\/([\w-]+)\/\{(\w+)\}/g, (_, collection: string, name: string) => {
      const value = name === 'id' ? ids[collection] : ids[name];
      return `/${collection}/${value ?? crypto.randomUUID()}`;
    });
  }

  function schemaOf(ref: any): any {
    return ref?.$ref ? doc.components.schemas[ref.$ref.split('/').pop()] : ref;
  }

  /** A body that passes the schema's shape as far as a sample can: the example or a value per type. */
  function sample(schema: any, depth = 0): unknown {
    const s = schemaOf(schema);
    if (!s || depth > 4) return null;
    if (s.example !== undefined) return s.example;
    if (s.enum) return s.enum[0];
    if (s.allOf) return sample(s.allOf[0], depth + 1);
    switch (s.type) {
      case 'object': {
        const out: Record<string, unknown> = {};
        for (const [name, property] of Object.entries<any>(s.properties ?? {}))
          out[name] = sample(property, depth + 1);
        return out;
      }
      case 'array':
        return [sample(s.items, depth + 1)];
      case 'integer':
      case 'number':
        return 1;
      case 'boolean':
        return true;
      default:
        return s.format === 'uuid' ? crypto.randomUUID() : s.format === 'date' ? '2026-11-20' : 'a';
    }
  }

  const violations: string[] = [];
  let sent = 0;
  let serverErrors = 0;
  const statuses = new Map<number, number>();
  function check(what: string, res: RawResponse): void {
    sent++;
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    if (res.status >= 500) {
      serverErrors++;
      violations.push(`${what} → ${res.status} ${res.text.slice(0, 200)}`);
    } else if (res.status >= 400) {
      const type = res.headers.get('content-type');
      if (type !== PROBLEM || typeof res.body?.code !== 'string' || !/^[A-Z_]+$/.test(res.body.code))
        violations.push(
          `${what} → ${res.status} not a problem with a code: ${type} ${res.text.slice(0, 120)}`,
        );
    }
  }
  const json = (value: unknown) => ({
    headers: { 'content-type': 'application/json' },
    body: Buffer.from(JSON.stringify(value)),
  });
  const none = { headers: {}, body: Buffer.alloc(0) };
  /** Some operations end the caller's session; the fuzz must keep its own. */
  const KEEPS_SESSION = (path: string) => !/\/auth\/(logout|password|session)/.test(path);

  it('answers none of them with a 5xx, and every 4xx as a problem', async () => {
    const started = performance.now();
    for (const { method, path, operation } of operations()) {
      const withBody = ['POST', 'PUT', 'PATCH', 'DELETE'].includes(method);
      const target = realPath(path);
      const label = `${method} ${path}`;
      if (withBody) {
        for (const hostile of hostileBodies()) {
          check(
            `${label} [${hostile.name}]`,
            await sendRaw(t.baseUrl, method, target, hostile, tokenFor(path)),
          );
        }
      }
      const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      for (const name of names) {
        for (const bad of BAD_PARAMS) {
          const url = path.replace(/\/([\w-]+)\/\{(\w+)\}/g, (whole, collection: string, n: string) =>
            n === name ? `/${collection}/${bad}` : realPath(whole),
          );
          check(
            `${label} {${name}}=${bad.slice(0, 20)}`,
            await sendRaw(t.baseUrl, method, url, withBody ? json({}) : none, tokenFor(path)),
          );
        }
      }
      for (const parameter of (operation.parameters ?? []).filter((p: any) => p.in === 'query')) {
        for (const bad of [...BAD_PARAMS, `a&${parameter.name}=b`, ...generatedParams(SEED + sent)]) {
          const url = `${target}?${parameter.name}=${bad}`;
          check(
            `${label} ?${parameter.name}=${bad.slice(0, 20)}`,
            await sendRaw(t.baseUrl, method, url, withBody ? json({}) : none, tokenFor(path)),
          );
        }
      }
      const bodySchema = schemaOf(operation.requestBody?.content?.['application/json']?.schema);
      if (withBody && bodySchema && KEEPS_SESSION(path)) {
        const valid = sample(bodySchema) as Record<string, unknown>;
        for (const field of Object.keys(bodySchema.properties ?? {})) {
          for (const bad of BAD_VALUES) {
            check(
              `${label} .${field}=${JSON.stringify(bad).slice(0, 20)}`,
              await sendRaw(t.baseUrl, method, target, json({ ...valid, [field]: bad }), tokenFor(path)),
            );
          }
        }
        for (const [n, body] of generatedBodies(valid, SEED + sent).entries()) {
          check(
            `${label} (generated body ${n}, seed ${SEED})`,
            await sendRaw(t.baseUrl, method, target, json(body), tokenFor(path)),
          );
        }
        check(`${label} (empty body)`, await sendRaw(t.baseUrl, method, target, json({}), tokenFor(path)));
        check(
          `${label} (a list for a body)`,
          await sendRaw(t.baseUrl, method, target, json([valid]), tokenFor(path)),
        );
        check(`${label} (sample)`, await sendRaw(t.baseUrl, method, target, json(valid), tokenFor(path)));
      }
      if ((await t.http.get('/api/v1/auth/me')).status === 401) await t.reauthenticate();
    }
    recordFigures('fuzz', {
      operations: operations().length,
      requests: sent,
      seconds: ((performance.now() - started) / 1000).toFixed(1),
      '5xx': serverErrors,
      '4xx not a problem document': violations.length - serverErrors,
      'by status': [...statuses]
        .sort(([a], [b]) => a - b)
        .map(([status, n]) => `${status} × ${n}`)
        .join(' '),
    });
    expect(violations.slice(0, 40)).toEqual([]);
    expect(serverErrors).toBe(0);
  }, 600_000);
});
