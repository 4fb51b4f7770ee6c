import type { Browser } from 'playwright-core';
import { chromiumAvailable, launchChromium } from '../support/browser';
import { ADMIN, startTestApp, TestApp } from '../support/test-app';

/**
 * Every response carries the headers helmet would set, each kind of page its own Content-Security-Policy
 * (which the page passes in a real browser), and no API answer — logins and tokens first — may be stored.
 */
describe('security headers', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { COOKIE_SECURE: 'true' } });
  });
  afterAll(() => t.close());

  const COMMON = {
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'strict-transport-security': 'max-age=31536000; includeSubDomains',
  };

  function headersOf(res: { headers: Headers }, names: string[]): Record<string, string | null> {
    return Object.fromEntries(names.map((name) => [name, res.headers.get(name)]));
  }

  it('sets them on API answers, errors, health and the public pages, and no API answer is stored', async () => {
    const responses = {
      login: await t.anonymous.post('/api/v1/auth/login', { login: ADMIN.login, password: ADMIN.password }),
      failedLogin: await t.anonymous.post('/api/v1/auth/login', { login: ADMIN.login, password: 'wrong' }),
      me: await t.http.get('/api/v1/auth/me'),
      units: await t.http.get('/api/v1/units'),
      missing: await t.http.get('/api/v1/nothing-here'),
      health: await t.anonymous.get('/health'),
      checkin: await t.anonymous.get('/checkin/not-a-token'),
      verify: await t.anonymous.get('/verify/not-a-code'),
    };
    const names = [...Object.keys(COMMON), 'content-security-policy'];
    for (const [name, res] of Object.entries(responses)) {
      expect([name, headersOf(res, Object.keys(COMMON))]).toEqual([name, COMMON]);
      expect([name, res.headers.get('content-security-policy')]).toEqual([
        name,
        expect.stringContaining("frame-ancestors 'none'"),
      ]);
      expect(headersOf(res, names)['content-security-policy']).not.toMatch(/unsafe-(inline|eval)/);
    }
    for (const name of ['login', 'failedLogin', 'me', 'units', 'missing'] as const) {
      expect([name, responses[name].headers.get('cache-control')]).toEqual([name, 'no-store']);
    }
    expect(responses.login.status).toBe(200);
    expect(responses.login.body.accessToken).toEqual(expect.any(String));
  });

  const describeBrowser = chromiumAvailable('the pages under their CSP') ? describe : describe.skip;
  describeBrowser('in a browser', () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await launchChromium();
    });
    afterAll(() => browser?.close());

    async function open(path: string): Promise<{ refused: string[]; page: import('playwright-core').Page }> {
      const page = await browser.newPage();
      const refused: string[] = [];
      page.on('console', (message) => {
        if (/Content Security Policy/.test(message.text())) refused.push(message.text());
      });
      await page.goto(t.baseUrl + path, { waitUntil: 'load' });
      return { refused, page };
    }

    it('the public pages are styled, with nothing refused', async () => {
      const { refused, page } = await open('/checkin/not-a-token');
      const header = await page.evaluate<string>(
        "getComputedStyle(document.querySelector('header')).backgroundColor",
      );
      expect({ header, refused }).toEqual({ header: 'rgb(11, 61, 145)', refused: [] });
      await page.close();
    });

    it('the API documentation renders, with nothing refused', async () => {
      const { refused, page } = await open('/docs');
      await page.locator('.swagger-ui .info .title').waitFor({ timeout: 10_000 });
      const title = await page.locator('.swagger-ui .info .title').innerText();
      expect({ title: title.startsWith('Lan Tỏa API'), refused }).toEqual({ title: true, refused: [] });
      await page.close();
    });
  });
});
