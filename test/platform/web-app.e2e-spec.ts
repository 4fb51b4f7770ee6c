import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApp, TestApp } from '../support/test-app';

/** The web app on the API's origin: client routes get index.html, server paths are never swallowed. */
describe('the web app served by the API', () => {
  let t: TestApp;
  const dir = mkdtempSync(join(tmpdir(), 'lantoa-webdir-'));

  beforeAll(async () => {
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Lan Tỏa</title><div id="root"></div>');
    writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log("app")');
    writeFileSync(join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    t = await startTestApp({ env: { WEB_DIR: dir } });
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers client routes with index.html, never cached, under a strict Content-Security-Policy', async () => {
    for (const path of ['/', '/tong-quan?unit=19', '/tong-quan/so-lieu', '/bao-cao']) {
      const res = await t.anonymous.get(path);
      expect([path, res.status, res.text]).toEqual([path, 200, expect.stringContaining('<div id="root">')]);
      expect(res.headers.get('cache-control')).toBe('no-cache');
      const csp = res.headers.get('content-security-policy')!;
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).not.toContain('unsafe-eval');
    }
  });

  it('caches hashed assets for a year and answers a missing one with 404, not HTML', async () => {
    const asset = await t.anonymous.get('/assets/index-abc123.js');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toContain('text/javascript');
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const stale = await t.anonymous.get('/assets/index-old999.js');
    expect(stale.status).toBe(404);
    expect(stale.text).not.toContain('<div id="root">');
    const escape = await t.anonymous.get('/assets/..%2f..%2fpackage.json');
    expect(escape.status).toBe(404);
    const icon = await t.anonymous.get('/favicon.svg');
    expect([icon.status, icon.headers.get('content-type')]).toEqual([200, 'image/svg+xml']);
  });

  it('never swallows the server paths', async () => {
    const api = await t.anonymous.get('/api/v1/nope');
    expect([api.status, api.headers.get('content-type')]).toEqual([
      404,
      'application/problem+json; charset=utf-8',
    ]);
    expect((await t.anonymous.get('/api/v1/units')).status).toBe(401);
    expect((await t.anonymous.get('/health')).body).toMatchObject({ status: 'ok' });
    // Operators' metrics: not a client route (without METRICS_TOKEN, the API's 404).
    const metrics = await t.anonymous.get('/metrics');
    expect([metrics.status, metrics.headers.get('content-type')]).toEqual([
      404,
      'application/problem+json; charset=utf-8',
    ]);
    expect((await t.anonymous.get('/docs-json')).body.openapi).toMatch(/^3\./);
    const verify = await t.anonymous.get('/verify/not-a-code');
    expect(verify.text).not.toContain('<div id="root">');
    const checkin = await t.anonymous.get('/checkin/not-a-token');
    expect(checkin.text).not.toContain('<div id="root">');
    // Other methods than GET are the API's business.
    expect((await t.anonymous.post('/tong-quan', {})).status).toBe(404);
  });
});

describe('without a built web app', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { WEB_DIR: join(tmpdir(), 'lantoa-no-such-web-dir') } });
  });
  afterAll(() => t.close());

  it('says how to build it at / and leaves everything else to the API', async () => {
    const root = await t.anonymous.get('/');
    expect(root.status).toBe(503);
    expect(root.text).toContain('npm run build');
    expect((await t.anonymous.get('/tong-quan')).status).toBe(404);
  });
});
