import { createUser } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

/** The Set-Cookie lines of a response, by cookie name. */
function cookies(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of headers.getSetCookie()) out[line.slice(0, line.indexOf('='))] = line;
  return out;
}

function value(line: string): string {
  return decodeURIComponent(line.slice(line.indexOf('=') + 1, line.indexOf(';')));
}

describe("the web app's cookie session", () => {
  let t: TestApp;
  let login: string;
  let password: string;

  beforeAll(async () => {
    t = await startTestApp();
    ({ login, password } = await createUser(t, [{ role: 'steering', unitCode: '19' }]));
  });
  afterAll(() => t.close());

  async function open() {
    const res = await t.anonymous.post('/api/v1/auth/session', { login, password });
    expect(res.status).toBe(200);
    const set = cookies(res.headers);
    return {
      res,
      refresh: value(set.lantoa_refresh),
      csrf: value(set.lantoa_csrf),
      cookie: `lantoa_refresh=${value(set.lantoa_refresh)}; lantoa_csrf=${value(set.lantoa_csrf)}`,
      set,
    };
  }

  it('keeps the refresh token in an HttpOnly, Secure, SameSite=Strict cookie and out of the JSON', async () => {
    const { res, set, refresh } = await open();
    expect(Object.keys(res.body).sort()).toEqual(['accessToken', 'expiresIn', 'tokenType']);
    expect(res.text).not.toContain(refresh);
    expect(set.lantoa_refresh).toMatch(/; HttpOnly/);
    expect(set.lantoa_refresh).toMatch(/; Secure/);
    expect(set.lantoa_refresh).toMatch(/; SameSite=Strict/);
    expect(set.lantoa_refresh).toMatch(/; Path=\/api\/v1\/auth\/session;/);
    // The CSRF token is readable by the page (no HttpOnly) and sent everywhere on the origin.
    expect(set.lantoa_csrf).not.toMatch(/HttpOnly/);
    expect(set.lantoa_csrf).toMatch(/; Path=\/;/);
    const me = await t.anonymous.get('/api/v1/auth/me', { token: res.body.accessToken });
    expect(me.body.login).toBe(login);
  });

  it('refreshes only with the CSRF token that belongs to the cookie, and rotates it', async () => {
    const { cookie, csrf, refresh } = await open();
    const without = await t.anonymous.post('/api/v1/auth/session/refresh', undefined, {
      headers: { cookie },
    });
    expect(without.status).toBe(403);
    expect(without.body.code).toBe('CSRF_TOKEN_INVALID');

    // A CSRF token of another session (a planted cookie) does not match this refresh token.
    const other = await open();
    const planted = await t.anonymous.post('/api/v1/auth/session/refresh', undefined, {
      headers: { cookie: `lantoa_refresh=${refresh}; lantoa_csrf=${other.csrf}`, 'x-csrf-token': other.csrf },
    });
    expect(planted.status).toBe(403);

    const ok = await t.anonymous.post('/api/v1/auth/session/refresh', undefined, {
      headers: { cookie, 'x-csrf-token': csrf },
    });
    expect(ok.status).toBe(200);
    const me = await t.anonymous.get('/api/v1/auth/me', { token: ok.body.accessToken });
    expect(me.status).toBe(200);
    // The renewal comes with the account, as /auth/me gives it (the app saves that round trip).
    expect(ok.body.user).toEqual(me.body);
    const rotated = cookies(ok.headers);
    expect(value(rotated.lantoa_refresh)).not.toBe(refresh);
    expect(value(rotated.lantoa_csrf)).not.toBe(csrf);

    // The old cookie replayed is reuse: the whole session ends, the new cookie with it.
    const replay = await t.anonymous.post('/api/v1/auth/session/refresh', undefined, {
      headers: { cookie, 'x-csrf-token': csrf },
    });
    expect(replay.status).toBe(401);
    expect(replay.body.code).toBe('REFRESH_TOKEN_REUSED');
    expect(cookies(replay.headers).lantoa_refresh).toMatch(/Expires=Thu, 01 Jan 1970/);
    const next = `lantoa_refresh=${value(rotated.lantoa_refresh)}`;
    const after = await t.anonymous.post('/api/v1/auth/session/refresh', undefined, {
      headers: { cookie: next, 'x-csrf-token': value(rotated.lantoa_csrf) },
    });
    expect(after.status).toBe(401);
  });

  it('logs out with the cookie: the session ends and the access token stops working', async () => {
    const { res, cookie, csrf } = await open();
    const out = await t.anonymous.delete('/api/v1/auth/session', {
      headers: { cookie, 'x-csrf-token': csrf },
    });
    expect(out.status).toBe(200);
    expect(cookies(out.headers).lantoa_refresh).toMatch(/Expires=Thu, 01 Jan 1970/);
    expect((await t.anonymous.get('/api/v1/auth/me', { token: res.body.accessToken })).status).toBe(401);
    const again = await t.anonymous.post('/api/v1/auth/session/refresh', undefined, {
      headers: { cookie, 'x-csrf-token': csrf },
    });
    expect(again.status).toBe(401);
    const audit = await t.http.get('/api/v1/audit?action=auth.logout');
    expect(audit.body.items.some((e: any) => e.actorLogin === login)).toBe(true);
  });

  it('keeps the JSON token API for other clients', async () => {
    const res = await t.anonymous.post('/api/v1/auth/login', { login, password });
    expect(res.status).toBe(200);
    expect(res.body.refreshToken).toEqual(expect.any(String));
    // No session cookie: only the known-device one, which a client that keeps cookies may send back.
    const names = res.headers.getSetCookie().map((cookie) => cookie.split('=')[0]);
    expect(names).toEqual(['lantoa_device']);
  });
});
