/**
 * The web session. The access token lives only in this module's memory (never in localStorage); the
 * refresh token is an HttpOnly cookie the page cannot read. A renewal proves it comes from this page with
 * the CSRF token the server left in a readable cookie. Tabs renew one at a time (Web Locks), because a
 * refresh token works once: two tabs presenting the same one would end the session as a replay.
 */
import { ApiError } from './problem';

const SESSION = '/api/v1/auth/session';
const CSRF_COOKIE = 'lantoa_csrf';
/** Renew this long before the token expires, so a request never leaves with a token about to lapse. */
const MARGIN_MS = 30_000;

interface AccessToken {
  token: string;
  expiresAt: number;
}

let current: AccessToken | null = null;
let renewing: Promise<boolean> | null = null;
/** The account the last renewal came with, until the app takes it (saves a round trip to /auth/me). */
let renewedAccount: unknown = null;

/**
 * The renewal the document started itself on a trainer's address (boot/boot.js), side by side with the
 * download of the app's code: taken once, by the first renewal.
 */
interface EarlyRenewal {
  status: number;
  body: unknown;
}
declare global {
  interface Window {
    __lantoaRenewal?: Promise<EarlyRenewal | null>;
  }
}
const endListeners = new Set<() => void>();

function csrfToken(): string {
  const match = document.cookie.split('; ').find((c) => c.startsWith(`${CSRF_COOKIE}=`));
  return match ? decodeURIComponent(match.slice(CSRF_COOKIE.length + 1)) : '';
}

function keep(body: { accessToken: string; expiresIn: number; user?: unknown }): void {
  current = { token: body.accessToken, expiresAt: Date.now() + body.expiresIn * 1000 };
  renewedAccount = body.user ?? null;
}

/** The account that came with the last renewal, once (null when there was none since). */
export function takeRenewedAccount<T>(): T | null {
  const account = renewedAccount as T | null;
  renewedAccount = null;
  return account;
}

async function problem(response: Response): Promise<ApiError> {
  const body: unknown = await response.json().catch(() => null);
  return ApiError.fromResponse(response, body);
}

export async function signIn(login: string, password: string): Promise<void> {
  let response: Response;
  try {
    response = await fetch(SESSION, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login, password }),
      credentials: 'same-origin',
    });
  } catch {
    throw ApiError.network();
  }
  if (!response.ok) throw await problem(response);
  keep((await response.json()) as { accessToken: string; expiresIn: number });
  // A session that ended without signing out left its copy of the API's answers: not for this user.
  await forgetKeptAnswers();
}

async function forgetKeptAnswers(): Promise<void> {
  if ('caches' in window) await caches.delete('lantoa-api').catch(() => false);
}

async function renewNow(): Promise<boolean> {
  const early = window.__lantoaRenewal;
  if (early) {
    delete window.__lantoaRenewal;
    const answer = await early;
    if (answer && answer.status >= 200 && answer.status < 300) {
      keep(answer.body as { accessToken: string; expiresIn: number });
      return true;
    }
    if (answer && answer.status < 500) {
      current = null;
      return false;
    }
    // It did not get through (network, server busy): renew again below.
  }
  let response: Response;
  try {
    response = await fetch(`${SESSION}/refresh`, {
      method: 'POST',
      headers: { 'x-csrf-token': csrfToken() },
      credentials: 'same-origin',
    });
  } catch {
    throw ApiError.network();
  }
  if (!response.ok) {
    current = null;
    return false;
  }
  keep((await response.json()) as { accessToken: string; expiresIn: number });
  return true;
}

/** Renews the access token with the cookie; false when the session is over (the user must sign in). */
export function renew(): Promise<boolean> {
  renewing ??= (async () => {
    try {
      const locks = (navigator as Navigator & { locks?: LockManager }).locks;
      return locks ? await locks.request('lantoa-session', renewNow) : await renewNow();
    } finally {
      renewing = null;
    }
  })();
  return renewing;
}

/** A valid access token, renewed when it is about to expire; null when there is no session. */
export async function accessToken(): Promise<string | null> {
  if (current && current.expiresAt - MARGIN_MS > Date.now()) return current.token;
  if (!csrfToken()) return null;
  return (await renew()) ? current!.token : null;
}

/** Called by the API client when the server refused the token: renew once, or end the session. */
export async function tokenRefused(): Promise<string | null> {
  current = null;
  const renewed = csrfToken() ? await renew() : false;
  if (!renewed) endListeners.forEach((listener) => listener());
  return renewed ? current!.token : null;
}

/**
 * Ends the session. A session opened with an OpenID provider (VNeID) answers with the provider's
 * end-session address, which the caller opens so the provider's session ends too.
 */
export async function signOut(): Promise<string | null> {
  current = null;
  // The answers the service worker kept for offline use belong to this user: the next one must not see them.
  await forgetKeptAnswers();
  try {
    const response = await fetch(SESSION, {
      method: 'DELETE',
      headers: { 'x-csrf-token': csrfToken() },
      credentials: 'same-origin',
    });
    if (!response.ok) return null;
    const body = (await response.json().catch(() => null)) as { endSessionUrl?: string | null } | null;
    return body?.endSessionUrl ?? null;
  } catch {
    // Offline: the server-side session ends when its refresh token expires; the page forgets it now.
    return null;
  }
}

/** Subscribes to the end of the session (expired, revoked elsewhere); returns the unsubscribe function. */
export function onSessionEnd(listener: () => void): () => void {
  endListeners.add(listener);
  return () => endListeners.delete(listener);
}
