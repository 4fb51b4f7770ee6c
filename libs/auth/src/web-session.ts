import { createHmac, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { CookieOptions, Request, Response } from 'express';
import { API_PREFIX, APP_CONFIG, AppConfig, DomainError } from '../../platform/src';
import { AuthErrors } from './auth.errors';

/** The refresh token, out of JavaScript's reach and sent only to the session endpoints. */
export const REFRESH_COOKIE = 'lantoa_refresh';
/** Readable by the app, which echoes it in CSRF_HEADER: proof that the request comes from the app's page. */
export const CSRF_COOKIE = 'lantoa_csrf';
export const CSRF_HEADER = 'x-csrf-token';
export const SESSION_PATH = `/${API_PREFIX}/auth/session`;

/** Reads one cookie from the Cookie header (no cookie parser is installed for the whole API). */
export function readCookie(req: Request, name: string): string | null {
  const header = req.headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index < 0 || part.slice(0, index).trim() !== name) continue;
    try {
      return decodeURIComponent(part.slice(index + 1).trim());
    } catch {
      return null;
    }
  }
  return null;
}

/**
 * The web app's session: the refresh token lives in an HttpOnly, Secure, SameSite=Strict cookie scoped to
 * the session endpoints, the access token only in the page's memory. Requests that use the cookie must
 * carry the CSRF token (double submit): an HMAC of the refresh token under the server's secret, so a token
 * planted in the readable cookie by anyone else never matches.
 */
@Injectable()
export class WebSession {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  csrfFor(refreshToken: string): string {
    return createHmac('sha256', this.config.jwtSecret).update(`csrf:${refreshToken}`).digest('base64url');
  }

  set(res: Response, refreshToken: string): void {
    const maxAge = this.config.auth.refreshTokenTtlDays * 86_400_000;
    res.cookie(REFRESH_COOKIE, refreshToken, { ...this.options(SESSION_PATH), httpOnly: true, maxAge });
    res.cookie(CSRF_COOKIE, this.csrfFor(refreshToken), { ...this.options('/'), httpOnly: false, maxAge });
  }

  clear(res: Response): void {
    res.clearCookie(REFRESH_COOKIE, { ...this.options(SESSION_PATH), httpOnly: true });
    res.clearCookie(CSRF_COOKIE, { ...this.options('/'), httpOnly: false });
  }

  /** The refresh token of a request that proved it comes from the app; throws otherwise. */
  refreshToken(req: Request): string {
    const token = readCookie(req, REFRESH_COOKIE);
    if (!token) throw AuthErrors.refreshInvalid();
    const sent = req.get(CSRF_HEADER) ?? '';
    const expected = this.csrfFor(token);
    const ok = sent.length === expected.length && timingSafeEqual(Buffer.from(sent), Buffer.from(expected));
    if (!ok) throw WebSessionErrors.csrf();
    return token;
  }

  private options(path: string): CookieOptions {
    return { path, sameSite: 'strict', secure: this.config.cookieSecure };
  }
}

export const WebSessionErrors = {
  csrf: () =>
    new DomainError(
      'CSRF_TOKEN_INVALID',
      403,
      'Yêu cầu không đến từ trang của ứng dụng (thiếu hoặc sai mã chống giả mạo). Hãy tải lại trang.',
    ),
};
