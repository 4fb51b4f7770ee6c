import { isLoopbackUrl } from '../../libs/platform/src';
import { createClass, createProgram, createTrainer } from '../support/campaign';
import { communesOf } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

describe('certificates need a public address', () => {
  it.each([
    ['http://localhost:3000', true],
    ['http://127.0.0.1:8080', true],
    ['http://[::1]:3000', true],
    ['http://0.0.0.0', true],
    ['http://app.localhost', true],
    ['https://lantoa.thainguyen.gov.vn', false],
    ['http://192.168.1.20:3000', false],
  ])('%s is loopback: %s', (url, loopback) => {
    expect(isLoopbackUrl(url)).toBe(loopback);
  });

  describe('in production with PUBLIC_URL left on localhost', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({
        env: {
          NODE_ENV: 'production',
          JWT_SECRET: 'public-url-test-secret-public-url-test-secret',
          PUBLIC_URL: 'http://localhost:3000',
        },
      });
    });
    afterAll(() => t?.close());

    it('refuses to issue, saying why and what to set', async () => {
      const communes = await communesOf(t, '19');
      const program = await createProgram(t.http);
      const lead = await createTrainer(t.http, program.id, communes[0]);
      const c = await createClass(t.http, program.id, lead.id, communes[0]);
      const res = await t.http.post(`/api/v1/classes/${c.id}/certificates`, {});
      expect(res.status).toBe(409);
      expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(res.body.code).toBe('PUBLIC_URL_NOT_PUBLIC');
      expect(res.body.detail).toContain('PUBLIC_URL');
      expect(res.body.detail).toContain('http://localhost:3000');
    });
  });
});
