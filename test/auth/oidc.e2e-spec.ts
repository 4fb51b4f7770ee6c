import { ADMIN, freePort, startTestApp, TestApp } from '../support/test-app';
import { communesOf, createAccount } from '../support/fixtures';
import { Http } from '../support/http';
import { Browser, startTestProvider, TestAccount, TestProvider } from '../support/oidc-provider';

type Jose = typeof import('jose', { with: { 'resolution-mode': 'import' } });
type PrivateKey = Awaited<ReturnType<Jose['generateKeyPair']>>['privateKey'];

/**
 * Sign-in with an OpenID provider (VNeID's relying-party integration is standard OIDC), against a real
 * provider (oidc-provider) on the loopback interface: every check of the flow is made to fail once.
 * Password login is switched off for steering members in this app, so they sign in with the provider only.
 */
describe('OpenID Connect sign-in', () => {
  let t: TestApp;
  let idp: TestProvider;
  let jose: Jose;
  let communes: string[];
  let steering: { id: string; login: string; password: string };
  const linked: TestAccount = { sub: 'vneid-sub-0001', acr: 'loa2', name: 'Nguyễn Văn Xã' };

  beforeAll(async () => {
    jose = await import('jose');
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    idp = await startTestProvider(`${base}/api/v1/auth/oidc/vneid/callback`, `${base}/dang-nhap`);
    t = await startTestApp({
      template: 'units',
      port,
      env: {
        PUBLIC_URL: base,
        ...idp.env(),
        PASSWORD_LOGIN_ROLES: 'admin,department_head,trainer,viewer',
      },
    });
    communes = await communesOf(t, '19');
    steering = await createAccount(t, [{ role: 'steering', unitCode: communes[0] }], {
      displayName: 'Nguyễn Văn Xã',
    });
    const link = await t.http.post(`/api/v1/users/${steering.id}/identities`, {
      provider: 'vneid',
      subject: linked.sub,
    });
    expect(link.status).toBe(201);
  });
  afterAll(async () => {
    await t?.close();
    await idp?.close();
  });

  /** One trip: the app sends the browser to the provider, which signs `account` in and sends it back. */
  async function signIn(browser: Browser, account: TestAccount, query = '') {
    idp.nextLogin = account;
    const start = await browser.request(`${t.baseUrl}/api/v1/auth/oidc/vneid/start${query}`);
    expect(start.status).toBe(302);
    const callback = await browser.follow(start.location!, t.baseUrl);
    const done = await browser.request(callback);
    return { start, callback, done };
  }

  /** The web app's next step: its cookie session gives an access token. */
  async function session(browser: Browser): Promise<Http | null> {
    const csrf = browser.cookie(t.baseUrl, 'lantoa_csrf');
    if (!csrf) return null;
    const res = await browser.request(`${t.baseUrl}/api/v1/auth/session/refresh`, {
      method: 'POST',
      headers: { 'x-csrf-token': decodeURIComponent(csrf) },
    });
    if (res.status !== 200) return null;
    const http = new Http(t.baseUrl);
    http.token = JSON.parse(res.text).accessToken;
    return http;
  }

  async function lastRefusal(): Promise<{ provider: string; code: string; detail: string }> {
    const rows: { after: { provider: string; code: string; detail: string } }[] = await t.dataSource.query(
      `SELECT after FROM audit_log WHERE action = 'auth.oidc_refused' ORDER BY id DESC LIMIT 1`,
    );
    return rows[0].after;
  }

  /** Rewrites the ID token of the next token answer: its claims, and the key it is signed with. */
  function forgeIdToken(change: (claims: Record<string, unknown>) => void, key?: () => Promise<PrivateKey>) {
    idp.tamper = async (body) => {
      idp.tamper = null;
      const claims = jose.decodeJwt(String(body.id_token)) as Record<string, unknown>;
      change(claims);
      const signing = await idp.signingKey();
      body.id_token = await new jose.SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid: signing.kid })
        .sign(key ? await key() : signing.key);
      return body;
    };
  }

  it('a full code + PKCE sign-in: a linked identity gets exactly its account, role and scope', async () => {
    const browser = new Browser();
    const { start, done } = await signIn(browser, linked, '?next=/tong-quan');
    const authorize = new URL(start.location!);
    expect(authorize.origin + authorize.pathname).toBe(`${idp.issuer}/auth`);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(authorize.searchParams.get('state')).toBeTruthy();
    expect(authorize.searchParams.get('nonce')).toBeTruthy();
    expect(authorize.searchParams.get('acr_values')).toBe('loa2');
    expect(authorize.searchParams.get('scope')).toBe('openid profile email national_id');
    // The flow cookie is HttpOnly, Lax (the way back is a cross-site GET) and holds nothing readable.
    const flowCookie = start.setCookies.find((c) => c.startsWith('lantoa_oidc='))!;
    expect(flowCookie).toMatch(/HttpOnly/);
    expect(flowCookie).toMatch(/SameSite=Lax/);
    expect(flowCookie).not.toContain(authorize.searchParams.get('state')!);

    expect([done.status, done.location]).toEqual([302, `${t.baseUrl}/tong-quan`]);
    const http = (await session(browser))!;
    const me = await http.get('/api/v1/auth/me');
    expect(me.status).toBe(200);
    expect(me.body.id).toBe(steering.id);
    expect(
      me.body.assignments.map((a: { role: string; unit: { code: string } }) => [a.role, a.unit.code]),
    ).toEqual([['steering', communes[0]]]);
    // Its scope is the commune's: nothing above it.
    const widen = await http.post('/api/v1/users', {
      login: 'tinh-moi@test.lantoa.vn',
      displayName: 'Người Mới',
      password: 'Mat-Khau-Dai-2026',
      assignments: [{ role: 'viewer', unitCode: '19' }],
    });
    expect([widen.status, widen.body.code]).toEqual([403, 'OUT_OF_SCOPE']);
    const rows: { oidc_provider: string }[] = await t.dataSource.query(
      `SELECT oidc_provider FROM auth_session WHERE user_id = $1`,
      [steering.id],
    );
    expect(rows.map((r) => r.oidc_provider)).toContain('vneid');
  });

  it('the same account cannot sign in with its password: password login is off for its role', async () => {
    const res = await t.anonymous.post('/api/v1/auth/login', {
      login: steering.login,
      password: steering.password,
    });
    expect([res.status, res.body.code]).toEqual([403, 'PASSWORD_LOGIN_DISABLED']);
    // A wrong password still says only that the credentials are wrong.
    const wrong = await t.anonymous.post('/api/v1/auth/login', {
      login: steering.login,
      password: 'wrong-password-1',
    });
    expect([wrong.status, wrong.body.code]).toEqual([401, 'INVALID_CREDENTIALS']);
    // The administrator's role keeps its password.
    expect((await t.anonymous.post('/api/v1/auth/login', ADMIN)).status).toBe(200);
  });

  it('an unknown identity is refused staff access, whoever it claims to be', async () => {
    const browser = new Browser();
    const { done } = await signIn(browser, {
      sub: 'someone-else',
      acr: 'loa3',
      name: 'Nguyễn Văn Xã',
      email: steering.login,
      email_verified: true,
    });
    expect(done.location).toBe(`${t.baseUrl}/dang-nhap?loi=OIDC_IDENTITY_UNKNOWN`);
    expect(browser.cookie(t.baseUrl, 'lantoa_refresh')).toBeUndefined();
    expect(await session(browser)).toBeNull();
    expect(await lastRefusal()).toEqual({
      provider: 'vneid',
      code: 'OIDC_IDENTITY_UNKNOWN',
      detail: 'vneid:someone-else',
    });
  });

  it('a wrong state is refused (and a callback without the flow cookie)', async () => {
    const browser = new Browser();
    idp.nextLogin = linked;
    const start = await browser.request(`${t.baseUrl}/api/v1/auth/oidc/vneid/start`);
    const callback = new URL(await browser.follow(start.location!, t.baseUrl));
    const forged = new URL(callback);
    forged.searchParams.set('state', 'a-state-of-another-browser');
    const res = await browser.request(forged.href);
    expect(res.location).toBe(`${t.baseUrl}/dang-nhap?loi=OIDC_STATE_MISMATCH`);
    // The flow is spent: even the right state does not work after that.
    const again = await browser.request(callback.href);
    expect(again.location).toBe(`${t.baseUrl}/dang-nhap?loi=OIDC_STATE_MISMATCH`);
    expect(await session(browser)).toBeNull();
  });

  it('a replayed code is refused', async () => {
    const browser = new Browser();
    idp.nextLogin = linked;
    const start = await browser.request(`${t.baseUrl}/api/v1/auth/oidc/vneid/start`);
    const flow = browser.cookie(t.baseUrl, 'lantoa_oidc')!;
    const callback = await browser.follow(start.location!, t.baseUrl);
    expect((await browser.request(callback)).location).toBe(`${t.baseUrl}/`);
    // An attacker holding the same flow cookie and the URL (history, logs) replays it.
    const attacker = new Browser();
    attacker.setCookie(t.baseUrl, 'lantoa_oidc', flow);
    const replay = await attacker.request(callback);
    expect(replay.location).toBe(`${t.baseUrl}/dang-nhap?loi=OIDC_TOKEN_INVALID`);
    expect((await lastRefusal()).detail).toMatch(/invalid_grant/);
    expect(await session(attacker)).toBeNull();
  });

  it('an ID token with the wrong nonce is refused', async () => {
    forgeIdToken((claims) => (claims.nonce = 'a-nonce-of-another-sign-in'));
    const browser = new Browser();
    const { done } = await signIn(browser, linked);
    expect(done.location).toBe(`${t.baseUrl}/dang-nhap?loi=OIDC_TOKEN_INVALID`);
    expect((await lastRefusal()).detail).toMatch(/nonce/);
    expect(await session(browser)).toBeNull();
  });

  it('an expired ID token is refused', async () => {
    forgeIdToken((claims) => {
      const now = Math.floor(Date.now() / 1000);
      claims.iat = now - 3600;
      claims.exp = now - 600;
    });
    const browser = new Browser();
    const { done } = await signIn(browser, linked);
    expect(done.location).toBe(`${t.baseUrl}/dang-nhap?loi=OIDC_TOKEN_INVALID`);
    expect((await lastRefusal()).detail).toMatch(/exp/);
  });

  it('an ID token signed with another key is refused', async () => {
    forgeIdToken(
      (claims) => (claims.name = 'Quản Trị Viên'),
      async () => (await jose.generateKeyPair('RS256')).privateKey,
    );
    const browser = new Browser();
    const { done } = await signIn(browser, linked);
    expect(done.location).toBe(`${t.baseUrl}/dang-nhap?loi=OIDC_TOKEN_INVALID`);
    expect((await lastRefusal()).detail).toMatch(/signature/i);
  });

  it('an ID token whose issuer or audience is another is refused', async () => {
    forgeIdToken((claims) => (claims.aud = 'another-client'));
    const { done } = await signIn(new Browser(), linked);
    expect(done.location).toBe(`${t.baseUrl}/dang-nhap?loi=OIDC_TOKEN_INVALID`);
    expect((await lastRefusal()).detail).toMatch(/aud/);
    forgeIdToken((claims) => (claims.iss = 'https://another.issuer.example'));
    const second = await signIn(new Browser(), linked);
    expect(second.done.location).toBe(`${t.baseUrl}/dang-nhap?loi=OIDC_TOKEN_INVALID`);
    expect((await lastRefusal()).detail).toMatch(/iss/);
  });

  it('an acr below the level asked for is refused; a higher one is accepted', async () => {
    const low = await signIn(new Browser(), { ...linked, acr: 'loa1' });
    expect(low.done.location).toBe(`${t.baseUrl}/dang-nhap?loi=OIDC_ACR_TOO_LOW`);
    expect(await lastRefusal()).toEqual({
      provider: 'vneid',
      code: 'OIDC_ACR_TOO_LOW',
      detail: 'acr loa1 below loa2',
    });
    const browser = new Browser();
    const high = await signIn(browser, { ...linked, acr: 'loa3' });
    expect(high.done.location).toBe(`${t.baseUrl}/`);
    expect(await session(browser)).not.toBeNull();
  });

  it('after the provider rotates its keys, sign-in still works (the new key set is fetched)', async () => {
    await idp.rotateKeys();
    const browser = new Browser();
    const { done } = await signIn(browser, linked);
    expect(done.location).toBe(`${t.baseUrl}/`);
    const http = (await session(browser))!;
    expect((await http.get('/api/v1/auth/me')).body.id).toBe(steering.id);
  });

  it("logout ends the local session and gives the provider's end-session address", async () => {
    const browser = new Browser();
    await signIn(browser, linked);
    const csrf = decodeURIComponent(browser.cookie(t.baseUrl, 'lantoa_csrf')!);
    const out = await browser.request(`${t.baseUrl}/api/v1/auth/session`, {
      method: 'DELETE',
      headers: { 'x-csrf-token': csrf },
    });
    expect(out.status).toBe(200);
    const end = new URL(JSON.parse(out.text).endSessionUrl);
    expect(end.origin + end.pathname).toBe(`${idp.issuer}/session/end`);
    expect(end.searchParams.get('post_logout_redirect_uri')).toBe(`${t.baseUrl}/dang-nhap`);
    expect(end.searchParams.get('id_token_hint')).toBeTruthy();
    expect((await browser.request(end.href)).status).toBe(200); // the provider's own "sign out?" page
    expect(browser.cookie(t.baseUrl, 'lantoa_refresh')).toBeUndefined();
    expect(await session(browser)).toBeNull();
  });

  it('only an administrator links identities, each identity to one account', async () => {
    const viewer = await createAccount(t, [{ role: 'viewer', unitCode: '19' }]);
    const viewerHttp = await t.login(viewer.login, viewer.password);
    const byViewer = await viewerHttp.post(`/api/v1/users/${viewer.id}/identities`, {
      provider: 'vneid',
      subject: 'viewer-self-link',
    });
    expect(byViewer.status).toBe(403);
    const twice = await t.http.post(`/api/v1/users/${viewer.id}/identities`, {
      provider: 'vneid',
      subject: linked.sub,
    });
    expect([twice.status, twice.body.code]).toEqual([409, 'IDENTITY_LINKED']);
    const unknown = await t.http.post(`/api/v1/users/${viewer.id}/identities`, {
      provider: 'google',
      subject: 'x',
    });
    expect([unknown.status, unknown.body.code]).toEqual([404, 'OIDC_PROVIDER_UNKNOWN']);
    const list = await t.http.get(`/api/v1/users/${steering.id}/identities`);
    expect(list.body.map((i: { provider: string; subject: string }) => [i.provider, i.subject])).toEqual([
      ['vneid', linked.sub],
    ]);
    const audit: { n: number }[] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'user.identity_linked' AND entity_id = $1`,
      [steering.id],
    );
    expect(audit[0].n).toBe(1);
    // A link is removed from its own account only; then the identity no longer opens the account.
    const elsewhere = await t.http.delete(`/api/v1/users/${viewer.id}/identities/${list.body[0].id}`);
    expect([elsewhere.status, elsewhere.body.code]).toEqual([404, 'IDENTITY_NOT_FOUND']);
    const removed = await t.http.delete(`/api/v1/users/${steering.id}/identities/${list.body[0].id}`);
    expect(removed.status).toBe(204);
    const { done } = await signIn(new Browser(), linked);
    expect(done.location).toBe(`${t.baseUrl}/dang-nhap?loi=OIDC_IDENTITY_UNKNOWN`);
  });
});
