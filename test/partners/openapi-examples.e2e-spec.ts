import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { FixedClock } from '../../libs/platform/src';
import { createProgram } from '../support/campaign';
import { Http } from '../support/http';
import { partnerWithKey } from '../support/partners';
import { startTestApp, TestApp } from '../support/test-app';

/** The order the examples tell their story in (each step may need the ones before it). */
const STEPS = [
  'GET /api/v1/partner/me',
  'POST /api/v1/partner/people',
  'POST /api/v1/partner/people/lookup',
  'GET /api/v1/partner/people/{externalId}',
  'POST /api/v1/partner/lessons',
  'POST /api/v1/partner/completions',
  'POST /api/v1/partner/outcomes',
  'PUT /api/v1/partner/xapi/activities',
  'GET /api/v1/partner/xapi/activities',
  'POST /api/v1/partner/xapi/statements',
  'GET /api/v1/partner/xapi/about',
  'GET /api/v1/partner/records',
];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/;

/**
 * Where `actual` differs from the documented example: ids and times are compared by their form (a fresh
 * database makes new ones), everything else by value, arrays item by item.
 */
function differences(example: unknown, actual: unknown, at = '$'): string[] {
  if (typeof example === 'string' && UUID.test(example)) {
    return typeof actual === 'string' && UUID.test(actual)
      ? []
      : [`${at}: ${JSON.stringify(actual)} is not an id`];
  }
  if (
    typeof example === 'string' &&
    DATE_TIME.test(example) &&
    typeof actual === 'string' &&
    DATE_TIME.test(actual)
  ) {
    return [];
  }
  if (Array.isArray(example)) {
    if (!Array.isArray(actual) || actual.length !== example.length)
      return [`${at}: ${JSON.stringify(actual)}`];
    return example.flatMap((e, i) => differences(e, actual[i], `${at}[${i}]`));
  }
  if (typeof example === 'object' && example !== null) {
    if (typeof actual !== 'object' || actual === null) return [`${at}: ${JSON.stringify(actual)}`];
    const keys = new Set([...Object.keys(example), ...Object.keys(actual)]);
    return [...keys].flatMap((k) =>
      differences(
        (example as Record<string, unknown>)[k],
        (actual as Record<string, unknown>)[k],
        `${at}.${k}`,
      ),
    );
  }
  return example === actual
    ? []
    : [`${at}: expected ${JSON.stringify(example)}, got ${JSON.stringify(actual)}`];
}

/**
 * The partner API's examples in the OpenAPI document run as they are written, in order, against a fresh
 * service: each request example is sent with a key for program TN in Thái Nguyên, and the answer must be the
 * documented status, match its schema, and match the documented answer.
 */
describe('the partner examples of the OpenAPI document', () => {
  const clock = new FixedClock(new Date('2026-11-25T10:00:00+07:00'));
  let t: TestApp;
  let doc: any;
  let partner: Http;
  let ajv: Ajv;

  beforeAll(async () => {
    t = await startTestApp({ clock });
    doc = (await t.anonymous.get('/docs-json')).body;
    const program = await createProgram(t.http, { code: 'TN' });
    ({ client: partner } = await partnerWithKey(t.http, program.id, '19'));
    ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema({ $id: 'openapi', components: doc.components });
  });
  afterAll(() => t.close());

  it('lists every partner operation in the story', () => {
    const documented = Object.entries<any>(doc.paths)
      .filter(([path]) => path.startsWith('/api/v1/partner/'))
      .flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`));
    expect(documented.sort()).toEqual([...STEPS].sort());
    // Every operation that takes a body shows one.
    const withoutExample = documented.filter((route) => {
      const [method, path] = route.split(' ');
      const body = doc.paths[path][method.toLowerCase()].requestBody;
      return body && !body.content['application/json'].examples;
    });
    expect(withoutExample).toEqual([]);
  });

  it.each(STEPS.map((step) => [step]))('%s', async (step) => {
    const [method, path] = step.split(' ');
    const operation = doc.paths[path][method.toLowerCase()];
    const parameters: any[] = operation.parameters ?? [];
    const url = path.replace(/\{(\w+)\}/g, (_, name) => {
      const p = parameters.find((x) => x.in === 'path' && x.name === name);
      return encodeURIComponent(p.example ?? p.schema.example);
    });
    const headers: Record<string, string> = {};
    for (const p of parameters.filter((x) => x.in === 'header' && x.required))
      headers[p.name] = p.schema.example;
    const examples = operation.requestBody?.content['application/json'].examples;
    const body = examples ? (Object.values(examples)[0] as any).value : undefined;

    const res = await partner.request(method, url, { body, headers });
    const [code, response] = Object.entries<any>(operation.responses).find(([c]) => /^2\d\d$/.test(c))!;
    expect([res.status, res.status >= 400 ? res.text : '']).toEqual([Number(code), '']);
    const content = response.content['application/json'];
    const schema = JSON.parse(
      JSON.stringify(content.schema).replace(/"#\/components/g, '"openapi#/components'),
    );
    const valid = ajv.validate(schema, res.body);
    expect(valid ? [] : ajv.errors).toEqual([]);
    if (content.examples) {
      const documented = (Object.values(content.examples)[0] as any).value;
      expect(differences(documented, res.body)).toEqual([]);
    }
  });
});
