import { compileErrors, validate } from '@readme/openapi-parser';
import { startTestApp, TestApp } from '../support/test-app';

/** Free-form JSON on purpose: audit snapshots and job results differ by record and job kind. */
const FREE_FORM = new Set(['AuditEntryDto.before', 'AuditEntryDto.after', 'JobDto.result']);

/**
 * The web app's client is generated from the OpenAPI document: an operation without a response schema, a
 * path parameter not declared or an object without properties would reach the app as `unknown`.
 */
describe('the OpenAPI document', () => {
  let t: TestApp;
  let doc: any;
  beforeAll(async () => {
    t = await startTestApp({ template: 'empty' });
    doc = (await t.anonymous.get('/docs-json')).body;
  });
  afterAll(() => t.close());

  it('describes what every operation answers, and every path parameter', () => {
    const untyped: string[] = [];
    const undeclared: string[] = [];
    for (const [path, item] of Object.entries<any>(doc.paths)) {
      for (const [method, operation] of Object.entries<any>(item)) {
        const route = `${method.toUpperCase()} ${path}`;
        const success = Object.entries<any>(operation.responses).filter(([code]) => /^2\d\d$/.test(code));
        if (!success.some(([code, response]) => code === '204' || response.content)) untyped.push(route);
        for (const [, name] of path.matchAll(/\{(\w+)\}/g)) {
          if (!(operation.parameters ?? []).some((p: any) => p.in === 'path' && p.name === name && p.schema))
            undeclared.push(`${route} {${name}}`);
        }
      }
    }
    expect(untyped).toEqual([]);
    expect(undeclared).toEqual([]);
  });

  it('gives every object schema its properties', () => {
    const empty: string[] = [];
    const visit = (where: string, schema: any) => {
      if (!schema || typeof schema !== 'object' || schema.$ref) return;
      const composed = schema.allOf || schema.oneOf || schema.anyOf;
      if (schema.type === 'object' && !schema.properties && !schema.additionalProperties && !composed) {
        if (!FREE_FORM.has(where)) empty.push(where);
      }
      for (const [name, property] of Object.entries<any>(schema.properties ?? {}))
        visit(`${where}.${name}`, property);
      if (schema.items) visit(`${where}[]`, schema.items);
    };
    for (const [name, schema] of Object.entries<any>(doc.components.schemas)) visit(name, schema);
    expect(empty).toEqual([]);
  });

  it('documents the constraints a client must meet: the sync clientId is a UUID', () => {
    const sync = doc.paths['/api/v1/attendance/sync'].post.requestBody.content['application/json'].schema;
    const batch = doc.components.schemas[sync.$ref.split('/').pop()];
    const mark = doc.components.schemas[batch.properties.marks.items.$ref.split('/').pop()];
    expect(mark.properties.clientId).toMatchObject({ format: 'uuid' });
    const reports = doc.paths['/api/v1/reports'].get.parameters;
    expect(reports.find((p: any) => p.name === 'programId')).toMatchObject({ schema: { format: 'uuid' } });
    expect(reports.find((p: any) => p.name === 'program')).toMatchObject({ deprecated: true });
  });

  it('is a valid OpenAPI document (schema and the specification’s own rules)', async () => {
    const result = await validate(structuredClone(doc), { resolve: { external: false } });
    if (!result.valid) throw new Error(compileErrors(result));
    expect(result).toMatchObject({ valid: true, specification: 'OpenAPI' });
    expect(result.warnings).toEqual([]);
  });
});
