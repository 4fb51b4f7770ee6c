import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

/**
 * A real OpenID provider (panva's oidc-provider, certified) on the loopback interface, standing in for VNeID.
 * Whoever "signs in" next is set by the test (`nextLogin`), and the interaction finishes at once with that
 * account and level of assurance. Tests can rotate its signing keys, and can have the token answer altered
 * on its way out (`tamper`) to check what the relying party does with a bad ID token.
 */
export interface TestAccount {
  sub: string;
  acr: string;
  name?: string;
  email?: string;
  email_verified?: boolean;
  national_id?: string;
}

export interface TestProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The account the next interaction signs in as. */
  nextLogin: TestAccount;
  /** Changes the token endpoint's JSON answer before it leaves (null: untouched). */
  tamper: ((body: Record<string, unknown>) => Promise<Record<string, unknown>>) | null;
  /** The private signing key in use (to forge tokens signed as the provider). */
  signingKey(): Promise<{ key: PrivateKey; kid: string }>;
  /** Publishes a new signing key and signs with it from now on. */
  rotateKeys(): Promise<void>;
  /** The env of a Lan Tỏa app that uses this provider as `vneid`. */
  env(extra?: Record<string, string>): Record<string, string>;
  close(): Promise<void>;
}

type Jose = typeof import('jose', { with: { 'resolution-mode': 'import' } });
type PrivateKey = Awaited<ReturnType<Jose['generateKeyPair']>>['privateKey'];

async function newKey(jose: Jose, n: number): Promise<Record<string, unknown>> {
  const { privateKey } = await jose.generateKeyPair('RS256', { extractable: true });
  return { ...(await jose.exportJWK(privateKey)), kid: `key-${n}`, use: 'sig', alg: 'RS256' };
}

/** The provider's own sign-in page (for browser journeys): a person types their CCCD and name. */
function loginForm(uid: string): string {
  return `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Đăng nhập định danh (thử nghiệm)</title></head>
<body><main><h1>Đăng nhập tài khoản định danh (nhà cung cấp thử nghiệm)</h1>
<form method="post" action="/interaction/${uid}">
<label for="cccd">Số định danh cá nhân</label><input id="cccd" name="cccd" required>
<label for="name">Họ và tên</label><input id="name" name="name" required>
<button type="submit">Đăng nhập</button></form></main></body></html>`;
}

async function formBody(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

export async function startTestProvider(
  redirectUri: string,
  postLogoutUri: string,
  options: { form?: boolean } = {},
): Promise<TestProvider> {
  const { default: Provider } = await import('oidc-provider');
  const jose: Jose = await import('jose');
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = 'lantoa-test';
  const clientSecret = 'a-client-secret-of-the-test-relying-party';
  const accounts = new Map<string, TestAccount>();
  let keyNumber = 1;
  let jwk = await newKey(jose, keyNumber);

  const build = (keys: Record<string, unknown>[]) =>
    new Provider(issuer, {
      clients: [
        {
          client_id: clientId,
          client_secret: clientSecret,
          redirect_uris: [redirectUri],
          post_logout_redirect_uris: [postLogoutUri],
          grant_types: ['authorization_code'],
          response_types: ['code'],
          token_endpoint_auth_method: 'client_secret_basic',
        },
      ],
      jwks: { keys: keys as never },
      acrValues: ['loa1', 'loa2', 'loa3'],
      claims: {
        openid: ['sub'],
        profile: ['name'],
        email: ['email', 'email_verified'],
        national_id: ['national_id'],
      },
      // The claims go in the ID token itself, as VNeID's do.
      conformIdTokenClaims: false,
      findAccount: (_ctx: unknown, sub: string) => ({
        accountId: sub,
        claims: () => {
          const { acr: _acr, ...claims } = accounts.get(sub) ?? { sub };
          return claims;
        },
      }),
      features: { devInteractions: { enabled: false }, rpInitiatedLogout: { enabled: true } },
      interactions: {
        url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}`,
      },
      cookies: { keys: ['cookie-key-of-the-test-provider'] },
      pkce: { required: () => true },
    } as never);

  let provider = build([jwk]);
  const state: Pick<TestProvider, 'nextLogin' | 'tamper'> = {
    nextLogin: { sub: 'nobody', acr: 'loa2' },
    tamper: null,
  };

  async function interaction(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const details = await provider.interactionDetails(req, res);
    if (details.prompt.name === 'login' && options.form) {
      if (req.method !== 'POST') {
        res.setHeader('content-type', 'text/html; charset=utf-8');
        res.end(loginForm(details.uid));
        return;
      }
      const form = await formBody(req);
      const cccd = form.get('cccd') ?? '';
      state.nextLogin = {
        sub: `vneid-${cccd}`,
        acr: 'loa2',
        name: form.get('name') ?? '',
        national_id: cccd,
      };
    }
    if (details.prompt.name === 'login') {
      const account = state.nextLogin;
      accounts.set(account.sub, account);
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId: account.sub, acr: account.acr } },
        { mergeWithLastSubmission: false },
      );
      return;
    }
    const grant = new provider.Grant({
      accountId: details.session!.accountId,
      clientId: String(details.params.client_id),
    });
    grant.addOIDCScope(String(details.params.scope));
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  }

  /** Lets the provider answer, then rewrites its JSON body (the token answer) with `tamper`. */
  function tampered(req: IncomingMessage, res: ServerResponse, change: NonNullable<TestProvider['tamper']>) {
    const end = res.end.bind(res);
    const setHeader = res.setHeader.bind(res);
    res.setHeader = (name: string, value: number | string | readonly string[]) =>
      name.toLowerCase() === 'content-length' ? res : setHeader(name, value);
    res.end = ((chunk: unknown) => {
      const text = Buffer.isBuffer(chunk) ? chunk.toString('utf8') : typeof chunk === 'string' ? chunk : '{}';
      void change(JSON.parse(text) as Record<string, unknown>).then((body) => end(JSON.stringify(body)));
      return res;
    }) as typeof res.end;
    void provider.callback()(req, res);
  }

  server.on('request', (req, res) => {
    if (req.url?.startsWith('/interaction/')) {
      interaction(req, res).catch((error: Error) => {
        res.statusCode = 500;
        res.end(error.message);
      });
      return;
    }
    if (state.tamper && req.method === 'POST' && req.url === '/token')
      return tampered(req, res, state.tamper);
    void provider.callback()(req, res);
  });

  return {
    issuer,
    clientId,
    clientSecret,
    get nextLogin() {
      return state.nextLogin;
    },
    set nextLogin(account: TestAccount) {
      state.nextLogin = account;
    },
    get tamper() {
      return state.tamper;
    },
    set tamper(change) {
      state.tamper = change;
    },
    signingKey: async () => ({
      key: (await jose.importJWK(jwk, 'RS256')) as PrivateKey,
      kid: String(jwk.kid),
    }),
    rotateKeys: async () => {
      // The new key signs; the old one stays published for tokens already out (a normal rollover).
      const previous = jwk;
      jwk = await newKey(jose, ++keyNumber);
      provider = build([jwk, previous]);
    },
    env: (extra = {}) => ({
      OIDC_PROVIDERS: 'vneid',
      OIDC_VNEID_LABEL: 'VNeID',
      OIDC_VNEID_ISSUER: issuer,
      OIDC_VNEID_CLIENT_ID: clientId,
      OIDC_VNEID_CLIENT_SECRET: clientSecret,
      OIDC_VNEID_SCOPES: 'openid profile email national_id',
      OIDC_VNEID_ACR_VALUES: 'loa2',
      OIDC_VNEID_ACR_LEVELS: 'loa1,loa2,loa3',
      OIDC_VNEID_NATIONAL_ID_CLAIM: 'national_id',
      OIDC_VNEID_ALLOW_HTTP: 'true',
      ...extra,
    }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A browser's cookie jar and redirects, by hand: each step of the sign-in can be looked at or replayed. */
export class Browser {
  private readonly cookies = new Map<string, Map<string, string>>();

  cookie(origin: string, name: string): string | undefined {
    return this.cookies.get(origin)?.get(name);
  }

  setCookie(origin: string, name: string, value: string): void {
    if (!this.cookies.has(origin)) this.cookies.set(origin, new Map());
    this.cookies.get(origin)!.set(name, value);
  }

  async request(
    url: string,
    init: { method?: string; headers?: Record<string, string> } = {},
  ): Promise<{ status: number; location: string | null; text: string; setCookies: string[] }> {
    const origin = new URL(url).origin;
    const jar = this.cookies.get(origin) ?? new Map<string, string>();
    const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(url, {
      method: init.method ?? 'GET',
      redirect: 'manual',
      headers: { ...(cookie ? { cookie } : {}), ...init.headers },
    });
    const setCookies = res.headers.getSetCookie();
    for (const line of setCookies) {
      const [pair, ...attributes] = line.split(';');
      const index = pair.indexOf('=');
      const name = pair.slice(0, index).trim();
      const value = pair.slice(index + 1).trim();
      const expired = attributes.some((a) => /^\s*expires=Thu, 01 Jan 1970/i.test(a));
      if (expired || value === '') jar.delete(name);
      else jar.set(name, value);
    }
    this.cookies.set(origin, jar);
    const location = res.headers.get('location');
    return {
      status: res.status,
      location: location ? new URL(location, url).href : null,
      text: await res.text(),
      setCookies,
    };
  }

  /** Follows redirects from `url` until one leaves for `stopAt` (not requested) or a page answers. */
  async follow(url: string, stopAt: string): Promise<string> {
    let next = url;
    for (let hops = 0; hops < 15; hops++) {
      if (next.startsWith(stopAt)) return next;
      const res = await this.request(next);
      if (!res.location) throw new Error(`${next} answered ${res.status}: ${res.text.slice(0, 300)}`);
      next = res.location;
    }
    throw new Error('too many redirects');
  }
}
