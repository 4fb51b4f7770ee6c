import { Inject, Injectable, Logger } from '@nestjs/common';
import type * as Oidc from 'openid-client' with { 'resolution-mode': 'import' };
import {
  API_PREFIX,
  APP_CONFIG,
  AppConfig,
  Clock,
  DomainError,
  OidcProviderConfig,
} from '../../platform/src';
import { AuthErrors } from './auth.errors';

/** openid-client is ESM-only: loaded once, by a real dynamic import (CommonJS `require` cannot load it under Jest). */
let library: Promise<typeof Oidc> | null = null;
const openidClient = (): Promise<typeof Oidc> => (library ??= import('openid-client'));

/** Who signs in: a staff account (linked identity required) or a citizen (their own records only). */
export type OidcPurpose = 'staff' | 'citizen';

/** What the browser keeps between the redirect to the provider and the way back (sealed, 10 minutes). */
export interface OidcFlow {
  provider: string;
  purpose: OidcPurpose;
  state: string;
  nonce: string;
  verifier: string;
  next: string;
}

/** The verified identity from a callback. */
export interface OidcIdentity {
  provider: string;
  subject: string;
  idToken: string;
  acr: string | null;
  name: string | null;
  email: string | null;
  emailVerified: boolean;
  /** The 12-digit national ID number from the configured claim, when the provider sent a valid one. */
  nationalId: string | null;
}

/** Why a callback was refused: the code is stable (shown to the user, tested), the detail goes to the audit. */
export class OidcLoginError extends Error {
  constructor(
    readonly code:
      | 'OIDC_STATE_MISMATCH'
      | 'OIDC_DENIED'
      | 'OIDC_TOKEN_INVALID'
      | 'OIDC_ACR_TOO_LOW'
      | 'OIDC_PROVIDER_UNAVAILABLE'
      | 'OIDC_IDENTITY_UNKNOWN'
      | 'OIDC_ACCOUNT_DISABLED',
    readonly detail: string,
  ) {
    super(`${code}: ${detail}`);
  }
}

/** The messages down an error's cause chain (openid-client wraps the precise reason, e.g. which claim). */
function causes(error: unknown): string {
  const messages: string[] = [];
  for (let e = error as { message?: unknown; cause?: unknown } | undefined; e && messages.length < 4;) {
    if (typeof e.message === 'string') messages.push(e.message);
    e = e.cause as typeof e;
  }
  return messages.join(' ← ');
}

function hasCode(error: unknown, code: string): boolean {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, n = 0; e && n < 4; n++) {
    if (e.code === code) return true;
    e = e.cause as typeof e;
  }
  return false;
}

const METADATA_TTL_MS = 60 * 60 * 1000;

interface CachedProvider {
  config: Oidc.Configuration;
  loadedAt: number;
}

/**
 * A standard OpenID Connect relying party (VNeID's integration is plain OIDC): discovery from the issuer,
 * authorization code with PKCE (S256), state and nonce, the ID token checked by openid-client (signature
 * with the issuer's published keys, issuer, audience, expiry, nonce) and the level of assurance (`acr`)
 * checked here against the level asked for.
 */
@Injectable()
export class OidcService {
  private readonly logger = new Logger('Oidc');
  private readonly cache = new Map<string, CachedProvider>();
  /** Token responses by code, kept for the instant between the token request and the ID token's check. */
  private readonly tokenResponses = new Map<
    string,
    { status: number; headers: [string, string][]; body: string }
  >();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  providers(): { id: string; label: string }[] {
    return this.config.oidc.map(({ id, label }) => ({ id, label }));
  }

  provider(id: string): OidcProviderConfig {
    const provider = this.config.oidc.find((p) => p.id === id);
    if (!provider) throw AuthErrors.providerUnknown();
    return provider;
  }

  redirectUri(provider: OidcProviderConfig): string {
    return `${this.config.publicUrl}/${API_PREFIX}/auth/oidc/${provider.id}/callback`;
  }

  /** The provider's authorization URL and the flow the browser keeps until it comes back. */
  async start(
    providerId: string,
    purpose: OidcPurpose,
    next: string,
  ): Promise<{ url: string; flow: OidcFlow }> {
    const provider = this.provider(providerId);
    const oidc = await openidClient();
    const configuration = await this.configuration(provider);
    const flow: OidcFlow = {
      provider: provider.id,
      purpose,
      state: oidc.randomState(),
      nonce: oidc.randomNonce(),
      verifier: oidc.randomPKCECodeVerifier(),
      next,
    };
    const parameters: Record<string, string> = {
      redirect_uri: this.redirectUri(provider),
      scope: provider.scopes,
      response_type: 'code',
      code_challenge: await oidc.calculatePKCECodeChallenge(flow.verifier),
      code_challenge_method: 'S256',
      state: flow.state,
      nonce: flow.nonce,
    };
    if (provider.acrValues) parameters.acr_values = provider.acrValues;
    return { url: oidc.buildAuthorizationUrl(configuration, parameters).href, flow };
  }

  /** Checks the provider's answer against the flow the browser kept, redeems the code and checks the ID token. */
  async finish(flow: OidcFlow | null, callbackUrl: URL): Promise<OidcIdentity> {
    const params = callbackUrl.searchParams;
    if (!flow || !params.get('state') || params.get('state') !== flow.state)
      throw new OidcLoginError('OIDC_STATE_MISMATCH', flow ? 'state differs' : 'no flow cookie');
    const provider = this.provider(flow.provider);
    if (params.get('error'))
      throw new OidcLoginError(
        'OIDC_DENIED',
        `${params.get('error')}: ${params.get('error_description') ?? ''}`,
      );
    const oidc = await openidClient();
    const checks: Oidc.AuthorizationCodeGrantChecks = {
      pkceCodeVerifier: flow.verifier,
      expectedState: flow.state,
      expectedNonce: flow.nonce,
      idTokenExpected: true,
    };
    const code = params.get('code') ?? '';
    let tokens: Awaited<ReturnType<typeof Oidc.authorizationCodeGrant>>;
    try {
      try {
        tokens = await oidc.authorizationCodeGrant(await this.configuration(provider), callbackUrl, checks);
      } catch (error) {
        // The ID token is signed with a key the cached key set does not hold: the provider rotated its keys.
        // The code is spent, so the same token response is checked again against a fresh discovery.
        const kept = this.tokenResponses.get(code);
        if (!hasCode(error, 'OAUTH_KEY_SELECTION_FAILED') || !kept) throw error;
        this.cache.delete(provider.id);
        tokens = await oidc.authorizationCodeGrant(
          await this.configuration(provider, kept),
          callbackUrl,
          checks,
        );
      }
    } catch (error) {
      if (error instanceof DomainError) throw error;
      const e = error as { code?: string; message?: string; error?: string };
      if (e.code === 'OAUTH_RESPONSE_BODY_ERROR' || e.error)
        throw new OidcLoginError('OIDC_TOKEN_INVALID', `token endpoint: ${e.error ?? ''} ${e.message ?? ''}`);
      if (e.code === 'OAUTH_TIMEOUT' || (e.message ?? '').includes('fetch failed'))
        throw new OidcLoginError('OIDC_PROVIDER_UNAVAILABLE', e.message ?? 'unreachable');
      throw new OidcLoginError('OIDC_TOKEN_INVALID', `${e.code ?? 'error'}: ${causes(error)}`);
    } finally {
      this.tokenResponses.delete(code);
    }
    const claims = tokens.claims();
    if (!claims || !tokens.id_token) throw new OidcLoginError('OIDC_TOKEN_INVALID', 'no ID token');
    const acr = typeof claims.acr === 'string' ? claims.acr : null;
    if (!this.acrSatisfied(provider, acr))
      throw new OidcLoginError(
        'OIDC_ACR_TOO_LOW',
        `acr ${acr ?? '(none)'} below ${provider.acrValues ?? ''}`,
      );
    const text = (value: unknown) => (typeof value === 'string' && value.trim() ? value.trim() : null);
    const nationalId = provider.nationalIdClaim ? text(claims[provider.nationalIdClaim]) : null;
    return {
      provider: provider.id,
      subject: claims.sub,
      idToken: tokens.id_token,
      acr,
      name: text(claims.name),
      email: text(claims.email)?.toLowerCase() ?? null,
      emailVerified: claims.email_verified === true,
      nationalId: nationalId && /^\d{12}$/.test(nationalId) ? nationalId : null,
    };
  }

  /** The provider's end-session URL for a session opened with it (null when it publishes none). */
  async endSessionUrl(
    providerId: string,
    idToken: string | null,
    postLogoutRedirect: string,
  ): Promise<string | null> {
    const provider = this.config.oidc.find((p) => p.id === providerId);
    if (!provider) return null;
    try {
      const oidc = await openidClient();
      const configuration = await this.configuration(provider);
      if (!configuration.serverMetadata().end_session_endpoint) return null;
      const parameters: Record<string, string> = {
        client_id: provider.clientId,
        post_logout_redirect_uri: postLogoutRedirect,
      };
      if (idToken) parameters.id_token_hint = idToken;
      return oidc.buildEndSessionUrl(configuration, parameters).href;
    } catch (error) {
      // The local session is over whatever the provider says; its own session then ends when it expires.
      this.logger.warn(`end-session URL of ${providerId} unavailable: ${(error as Error).message}`);
      return null;
    }
  }

  /**
   * "At least the level asked for": with ACR_LEVELS (lowest first) the token's acr must rank at or above the
   * requested one; without, it must be one of the requested values. Nothing requested, nothing checked.
   */
  private acrSatisfied(provider: OidcProviderConfig, acr: string | null): boolean {
    if (!provider.acrValues) return true;
    if (acr === null) return false;
    const requested = provider.acrValues.split(/\s+/);
    if (!provider.acrLevels.length) return requested.includes(acr);
    const rank = provider.acrLevels.indexOf(acr);
    return rank >= 0 && rank >= provider.acrLevels.indexOf(requested[0]);
  }

  /**
   * The provider's metadata (discovery), cached for an hour. openid-client keeps the issuer's key set and
   * refetches it when it is stale; a key it has never seen is handled in finish().
   */
  private async configuration(
    provider: OidcProviderConfig,
    replay?: { status: number; headers: [string, string][]; body: string },
  ): Promise<Oidc.Configuration> {
    const oidc = await openidClient();
    const cached = this.cache.get(provider.id);
    const now = this.clock.now().getTime();
    let base: Oidc.Configuration;
    if (cached && now - cached.loadedAt < METADATA_TTL_MS) base = cached.config;
    else {
      try {
        base = await oidc.discovery(
          new URL(provider.issuer),
          provider.clientId,
          undefined,
          await this.clientAuth(provider),
          {
            execute: provider.allowHttp ? [oidc.allowInsecureRequests] : [],
            timeout: 10,
          },
        );
      } catch (error) {
        throw new OidcLoginError('OIDC_PROVIDER_UNAVAILABLE', `discovery: ${(error as Error).message}`);
      }
      // Token-endpoint ID tokens are only checked for their claims by default (TLS vouches for them): the
      // signature is checked too, against the issuer's published keys.
      oidc.enableNonRepudiationChecks(base);
      this.instrument(oidc, base);
      this.cache.set(provider.id, { config: base, loadedAt: now });
    }
    if (!replay) return base;
    // A new Configuration has its own key cache (fetched afresh); its token endpoint answers what was kept.
    const fresh = new oidc.Configuration(
      base.serverMetadata(),
      provider.clientId,
      undefined,
      await this.clientAuth(provider),
    );
    if (provider.allowHttp) oidc.allowInsecureRequests(fresh);
    oidc.enableNonRepudiationChecks(fresh);
    const tokenEndpoint = base.serverMetadata().token_endpoint;
    fresh[oidc.customFetch] = (url, options) =>
      url === tokenEndpoint
        ? Promise.resolve(new Response(replay.body, { status: replay.status, headers: replay.headers }))
        : fetch(url, options);
    return fresh;
  }

  /** Keeps each token response until its ID token is checked (see finish()). */
  private instrument(oidc: typeof Oidc, configuration: Oidc.Configuration): void {
    const tokenEndpoint = configuration.serverMetadata().token_endpoint;
    configuration[oidc.customFetch] = async (url, options) => {
      const response = await fetch(url, options);
      if (url !== tokenEndpoint) return response;
      // openid-client sends the token request's form as URLSearchParams.
      const code = options.body instanceof URLSearchParams ? options.body.get('code') : null;
      if (code)
        this.tokenResponses.set(code, {
          status: response.status,
          headers: [...response.headers.entries()],
          body: await response.clone().text(),
        });
      return response;
    };
  }

  private async clientAuth(provider: OidcProviderConfig): Promise<Oidc.ClientAuth> {
    const oidc = await openidClient();
    if (provider.clientSecret) return oidc.ClientSecretBasic(provider.clientSecret);
    const { importJWK } = await import('jose');
    const jwk = provider.privateKeyJwk!;
    const alg = typeof jwk.alg === 'string' ? jwk.alg : 'RS256';
    const key = await importJWK(jwk, alg);
    if (key instanceof Uint8Array)
      throw new Error(`OIDC_${provider.id.toUpperCase()}_PRIVATE_KEY is not a private key`);
    return oidc.PrivateKeyJwt({ key, kid: typeof jwk.kid === 'string' ? jwk.kid : undefined });
  }
}
