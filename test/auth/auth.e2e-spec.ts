import { createHmac } from 'node:crypto';
import { FixedClock } from '../../libs/platform/src';
import { createUser, uniqueLogin } from '../support/fixtures';
import { Http } from '../support/http';
import { ADMIN, startTestApp, TestApp } from '../support/test-app';

describe('login, tokens and sessions', () => {
  const clock = new FixedClock(new Date('2026-11-20T08:00:00+07:00'));
  let t: TestApp;
  /** Every response body the tests saw, to check that no secret ever comes back. */
  const seen: string[] = [];
  const secrets: string[] = [];

  const record = <T extends { text: string }>(res: T): T => {
    seen.push(res.text);
    return res;
  };
  const from = (ip: string) => ({ headers: { 'x-forwarded-for': ip } });

  beforeAll(async () => {
    t = await startTestApp({ clock, env: { LOGIN_IP_LOCK_AFTER: '12', LOGIN_ACCOUNT_LOCK_AFTER: '8' } });
    secrets.push(ADMIN.password);
  });
  afterAll(() => t.close());
  // Tests move the clock forward; the administrator's token must stay fresh.
  beforeEach(() => t.reauthenticate());

  it('logs in with e-mail or phone and returns a short-lived access token and a refresh token', async () => {
    const phoneUser = await createUser(t, [{ role: 'steering', unitCode: '19' }], { login: '0912 345 678' });
    secrets.push(phoneUser.password);
    const res = record(
      await t.anonymous.post(
        '/api/v1/auth/login',
        { login: '+84912345678', password: phoneUser.password },
        from('10.0.0.1'),
      ),
    );
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      accessToken: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
      refreshToken: expect.stringMatching(/^[\w-]{43}$/),
      expiresIn: 900,
      tokenType: 'Bearer',
    });
    secrets.push(res.body.accessToken, res.body.refreshToken);
    const claims = JSON.parse(Buffer.from(res.body.accessToken.split('.')[1], 'base64url').toString());
    expect(claims.exp - claims.iat).toBeLessThanOrEqual(15 * 60);

    const me = record(await t.anonymous.get('/api/v1/auth/me', { token: res.body.accessToken }));
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      login: '+84912345678',
      status: 'active',
      assignments: [
        { role: 'steering', roleName: 'Ban chỉ đạo', unit: { code: '19', fullName: 'Tỉnh Thái Nguyên' } },
      ],
    });
    expect(me.text).not.toMatch(/hash|argon/i);
  });

  it('rejects wrong passwords and unknown accounts alike', async () => {
    const wrong = record(
      await t.anonymous.post(
        '/api/v1/auth/login',
        { login: ADMIN.login, password: 'nope-nope-nope' },
        from('10.0.0.2'),
      ),
    );
    const unknown = record(
      await t.anonymous.post(
        '/api/v1/auth/login',
        { login: 'nobody@test.lantoa.vn', password: 'nope-nope-nope' },
        from('10.0.0.2'),
      ),
    );
    expect([wrong.status, wrong.body.code]).toEqual([401, 'INVALID_CREDENTIALS']);
    expect([unknown.status, unknown.body.code]).toEqual([401, 'INVALID_CREDENTIALS']);
    expect(wrong.body.detail).toBe(unknown.body.detail);
  });

  const attempt = (login: string, password: string, ip: string, device?: string) =>
    t.anonymous.post(
      '/api/v1/auth/login',
      { login, password },
      { headers: { 'x-forwarded-for': ip, ...(device ? { cookie: `lantoa_device=${device}` } : {}) } },
    );
  /** The known-device cookie a successful login set. */
  const deviceOf = (res: { headers: Headers }): string => {
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('lantoa_device='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\/api\/v1\/auth/);
    return decodeURIComponent(cookie.split(';')[0].slice('lantoa_device='.length));
  };

  it('locks an account on one address after 5 failures, with Retry-After, even for the right password, until the lock ends', async () => {
    const user = await createUser(t, [{ role: 'viewer', unitCode: '19' }]);
    secrets.push(user.password);
    for (let i = 1; i <= 5; i++) {
      expect((await attempt(user.login, `wrong-${i}-password`, '10.1.1.1')).status).toBe(401);
    }
    const locked = record(await attempt(user.login, user.password, '10.1.1.1'));
    expect([locked.status, locked.body.code]).toEqual([429, 'LOGIN_LOCKED']);
    expect(Number(locked.headers.get('retry-after'))).toBe(15 * 60);
    clock.advance(10 * 60 * 1000);
    const stillLocked = await attempt(user.login, user.password, '10.1.1.1');
    expect(Number(stillLocked.headers.get('retry-after'))).toBe(5 * 60);
    clock.advance(5 * 60 * 1000 + 1000);
    expect((await attempt(user.login, user.password, '10.1.1.1')).status).toBe(200);
    await t.reauthenticate();
    const audit = await t.http.get(
      `/api/v1/audit?entityType=user&entityId=${user.id}&action=auth.login_failed`,
    );
    expect(audit.body.total).toBe(5);
  });

  it('does not let anyone lock the owner out: 5 failures lock only the address they came from', async () => {
    const user = await createUser(t, [{ role: 'viewer', unitCode: '19' }]);
    secrets.push(user.password);
    for (let i = 1; i <= 6; i++) await attempt(user.login, `wrong-${i}-password`, '10.6.6.6');
    expect((await attempt(user.login, user.password, '10.6.6.6')).status).toBe(429);
    // The owner, on another address and never signed in before, is not affected.
    expect((await attempt(user.login, user.password, '10.6.0.1')).status).toBe(200);
  });

  it('locks an account attacked from many addresses for new browsers only; a known device signs in, within its own limit', async () => {
    const user = await createUser(t, [{ role: 'viewer', unitCode: '19' }]);
    secrets.push(user.password);
    const first = await attempt(user.login, user.password, '10.7.0.1');
    expect(first.status).toBe(200);
    const device = deviceOf(first);
    // LOGIN_ACCOUNT_LOCK_AFTER is 8 here: eight addresses, one guess each.
    for (let i = 1; i <= 8; i++) {
      expect((await attempt(user.login, `wrong-${i}-password`, `10.7.1.${i}`)).status).toBe(401);
    }
    const newBrowser = await attempt(user.login, user.password, '10.7.2.1');
    expect([newBrowser.status, newBrowser.body.code]).toEqual([429, 'LOGIN_LOCKED']);
    const known = await attempt(user.login, user.password, '10.7.2.1', device);
    expect(known.status).toBe(200);
    expect(deviceOf(known)).toBe(device);
    // The device cookie is bound to its account and cannot be made up.
    const other = await createUser(t, [{ role: 'viewer', unitCode: '19' }]);
    const forged = `${device.split('.')[0]}.${'A'.repeat(43)}`;
    expect((await attempt(user.login, user.password, '10.7.2.1', forged)).status).toBe(429);
    const otherDevice = deviceOf(await attempt(other.login, other.password, '10.7.3.1'));
    expect((await attempt(user.login, user.password, '10.7.2.1', otherDevice)).status).toBe(429);
    // A stolen device cookie still only gets five guesses.
    for (let i = 1; i <= 5; i++) {
      expect((await attempt(user.login, `wrong-${i}-password`, '10.7.4.1', device)).status).toBe(401);
    }
    expect((await attempt(user.login, user.password, '10.7.4.1', device)).status).toBe(429);
  });

  it('counts simultaneous guesses before checking them: of 50 at once, at most 5 are checked', async () => {
    const user = await createUser(t, [{ role: 'viewer', unitCode: '19' }]);
    secrets.push(user.password);
    const guesses = Array.from({ length: 50 }, (_, i) => (i === 37 ? user.password : `wrong-${i}-password`));
    const answers = await Promise.all(guesses.map((password) => attempt(user.login, password, '10.8.8.8')));
    const statuses = answers.map((res) => res.status);
    const checked = statuses.filter((status) => status !== 429);
    expect(checked.length).toBeLessThanOrEqual(5);
    expect(checked.every((status) => status === 401 || status === 200)).toBe(true);
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThanOrEqual(45);
    await t.reauthenticate();
    const audit = await t.http.get(
      `/api/v1/audit?entityType=user&entityId=${user.id}&action=auth.login_failed`,
    );
    expect(audit.body.total).toBe(statuses.filter((status) => status === 401).length);
  });

  it('locks an address that keeps failing, whichever accounts it tries', async () => {
    for (let i = 0; i < 12; i++) {
      await t.anonymous.post(
        '/api/v1/auth/login',
        { login: uniqueLogin('guess'), password: 'guess-guess-guess' },
        from('10.9.9.9'),
      );
    }
    const blocked = await t.anonymous.post(
      '/api/v1/auth/login',
      { login: ADMIN.login, password: ADMIN.password },
      from('10.9.9.9'),
    );
    expect([blocked.status, blocked.body.code]).toEqual([429, 'LOGIN_LOCKED']);
    expect(blocked.headers.get('retry-after')).toBeTruthy();
    const elsewhere = await t.anonymous.post(
      '/api/v1/auth/login',
      { login: ADMIN.login, password: ADMIN.password },
      from('10.9.9.10'),
    );
    expect(elsewhere.status).toBe(200);
  });

  async function session(user: { login: string; password: string }) {
    const res = await t.anonymous.post(
      '/api/v1/auth/login',
      { login: user.login, password: user.password },
      from('10.2.0.1'),
    );
    expect(res.status).toBe(200);
    secrets.push(res.body.accessToken, res.body.refreshToken);
    return res.body as { accessToken: string; refreshToken: string };
  }

  it('rotates refresh tokens; reusing an old one revokes the whole family', async () => {
    const user = await createUser(t, [{ role: 'viewer', unitCode: '19' }]);
    secrets.push(user.password);
    const first = await session(user);
    const second = record(
      await t.anonymous.post('/api/v1/auth/refresh', { refreshToken: first.refreshToken }),
    );
    expect(second.status).toBe(200);
    expect(second.body.refreshToken).not.toBe(first.refreshToken);
    secrets.push(second.body.accessToken, second.body.refreshToken);
    expect((await t.anonymous.get('/api/v1/auth/me', { token: second.body.accessToken })).status).toBe(200);

    // Someone replays the first token: the family dies, for them and for the owner.
    const replay = record(
      await t.anonymous.post('/api/v1/auth/refresh', { refreshToken: first.refreshToken }),
    );
    expect([replay.status, replay.body.code]).toEqual([401, 'REFRESH_TOKEN_REUSED']);
    const owner = await t.anonymous.post('/api/v1/auth/refresh', { refreshToken: second.body.refreshToken });
    expect([owner.status, owner.body.code]).toEqual([401, 'REFRESH_TOKEN_INVALID']);
    const access = await t.anonymous.get('/api/v1/auth/me', { token: second.body.accessToken });
    expect([access.status, access.body.code]).toEqual([401, 'SESSION_ENDED']);
    // Other sessions of the same user are untouched.
    const other = await session(user);
    expect((await t.anonymous.get('/api/v1/auth/me', { token: other.accessToken })).status).toBe(200);
    const audit = await t.http.get('/api/v1/audit?action=auth.refresh_reuse');
    expect(audit.body.items[0]).toMatchObject({ actorId: user.id, entityType: 'session' });
  });

  it('refuses unknown and expired refresh tokens', async () => {
    const unknown = await t.anonymous.post('/api/v1/auth/refresh', { refreshToken: 'x'.repeat(43) });
    expect([unknown.status, unknown.body.code]).toEqual([401, 'REFRESH_TOKEN_INVALID']);
    const user = await createUser(t, [{ role: 'viewer', unitCode: '19' }]);
    const { refreshToken } = await session(user);
    clock.advance(31 * 24 * 3600 * 1000);
    const expired = await t.anonymous.post('/api/v1/auth/refresh', { refreshToken });
    expect([expired.status, expired.body.code]).toEqual([401, 'REFRESH_TOKEN_EXPIRED']);
  });

  it('ends the session on logout', async () => {
    const user = await createUser(t, [{ role: 'viewer', unitCode: '19' }]);
    const { accessToken, refreshToken } = await session(user);
    expect((await t.anonymous.post('/api/v1/auth/logout', undefined, { token: accessToken })).status).toBe(
      204,
    );
    expect((await t.anonymous.get('/api/v1/auth/me', { token: accessToken })).status).toBe(401);
    expect((await t.anonymous.post('/api/v1/auth/refresh', { refreshToken })).status).toBe(401);
  });

  it('rejects expired, tampered and foreign tokens', async () => {
    const user = await createUser(t, [{ role: 'viewer', unitCode: '19' }]);
    const { accessToken } = await session(user);
    const [header, payload, signature] = accessToken.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const sign = (body: string, secret: string) =>
      createHmac('sha256', secret).update(body).digest('base64url');

    const tampered = `${header}.${encode({ ...claims, sub: (await t.http.get('/api/v1/auth/me')).body.id })}.${signature}`;
    const unsigned = `${encode({ alg: 'none', typ: 'JWT' })}.${payload}.`;
    const foreignBody = `${header}.${payload}`;
    const foreign = `${foreignBody}.${sign(foreignBody, 'some-other-secret-that-is-long-enough')}`;
    for (const token of [tampered, unsigned, foreign, 'not-a-token']) {
      const res = await t.anonymous.get('/api/v1/auth/me', { token });
      expect([res.status, res.body.code]).toEqual([401, 'TOKEN_INVALID']);
    }
    const none = await t.anonymous.get('/api/v1/auth/me');
    expect([none.status, none.body.code]).toEqual([401, 'UNAUTHENTICATED']);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');

    expect((await t.anonymous.get('/api/v1/auth/me', { token: accessToken })).status).toBe(200);
    clock.advance(15 * 60 * 1000 + 1000);
    const expired = await t.anonymous.get('/api/v1/auth/me', { token: accessToken });
    expect([expired.status, expired.body.code]).toEqual([401, 'TOKEN_EXPIRED']);
  });

  it('changes a password: the old one stops working and other sessions end', async () => {
    const user = await createUser(t, [{ role: 'viewer', unitCode: '19' }]);
    const a = await session(user);
    const b = await session(user);
    const newPassword = 'A-brand-new-password-42';
    secrets.push(newPassword);
    const wrong = await t.anonymous.post(
      '/api/v1/auth/password',
      { currentPassword: 'not-it-at-all', newPassword },
      { token: a.accessToken },
    );
    expect([wrong.status, wrong.body.code]).toEqual([400, 'WRONG_PASSWORD']);
    const weak = await t.anonymous.post(
      '/api/v1/auth/password',
      { currentPassword: user.password, newPassword: 'short' },
      { token: a.accessToken },
    );
    expect([weak.status, weak.body.errors[0].field]).toEqual([400, 'newPassword']);
    const ok = await t.anonymous.post(
      '/api/v1/auth/password',
      { currentPassword: user.password, newPassword },
      { token: a.accessToken },
    );
    expect(ok.status).toBe(204);
    expect((await t.anonymous.get('/api/v1/auth/me', { token: a.accessToken })).status).toBe(200);
    expect((await t.anonymous.get('/api/v1/auth/me', { token: b.accessToken })).status).toBe(401);
    const old = await t.anonymous.post(
      '/api/v1/auth/login',
      { login: user.login, password: user.password },
      from('10.3.0.1'),
    );
    expect(old.status).toBe(401);
    expect((await session({ login: user.login, password: newPassword })).accessToken).toBeTruthy();
  });

  it('after an administrator resets a password, the user must change it before anything else', async () => {
    const user = await createUser(t, [{ role: 'steering', unitCode: '19' }]);
    const before = await session(user);
    const temporary = 'Temporary-Password-77';
    secrets.push(temporary);
    const reset = record(await t.http.post(`/api/v1/users/${user.id}/password`, { newPassword: temporary }));
    expect(reset.status).toBe(201);
    expect(reset.body.mustChangePassword).toBe(true);
    expect((await t.anonymous.get('/api/v1/auth/me', { token: before.accessToken })).status).toBe(401);
    const { accessToken } = await session({ login: user.login, password: temporary });
    const client = new Http(t.baseUrl);
    client.token = accessToken;
    expect((await client.get('/api/v1/auth/me')).status).toBe(200);
    const blocked = await client.get('/api/v1/units');
    expect([blocked.status, blocked.body.code]).toEqual([403, 'PASSWORD_CHANGE_REQUIRED']);
    expect(
      (
        await client.post('/api/v1/auth/password', {
          currentPassword: temporary,
          newPassword: 'Chosen-By-Me-2026',
        })
      ).status,
    ).toBe(204);
    expect((await client.get('/api/v1/units')).status).toBe(200);
  });

  it('a disabled account cannot log in and its sessions end at once', async () => {
    const user = await createUser(t, [{ role: 'viewer', unitCode: '19' }]);
    const live = await session(user);
    expect((await t.http.patch(`/api/v1/users/${user.id}`, { status: 'disabled' })).status).toBe(200);
    expect((await t.anonymous.get('/api/v1/auth/me', { token: live.accessToken })).status).toBe(401);
    const login = await t.anonymous.post(
      '/api/v1/auth/login',
      { login: user.login, password: user.password },
      from('10.4.0.1'),
    );
    expect([login.status, login.body.code]).toEqual([403, 'ACCOUNT_DISABLED']);
  });

  it('never writes passwords or tokens to the logs or into responses', async () => {
    expect(secrets.length).toBeGreaterThan(10);
    const logs = t.logs.join('\n');
    expect(logs.length).toBeGreaterThan(1000);
    for (const secret of secrets) {
      expect(logs).not.toContain(secret);
    }
    const bodies = seen.join('\n');
    for (const secret of secrets.filter((s) => s.length < 40)) expect(bodies).not.toContain(secret);
    const audit: { before: unknown; after: unknown }[] = await t.dataSource.query(
      'SELECT before, after FROM audit_log',
    );
    const trail = JSON.stringify(audit);
    for (const secret of secrets) expect(trail).not.toContain(secret);
    expect(trail).not.toMatch(/argon2|password_?hash/i);
  });
});
