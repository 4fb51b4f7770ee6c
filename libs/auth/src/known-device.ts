import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { API_PREFIX, APP_CONFIG, AppConfig } from '../../platform/src';
import { readCookie } from './web-session';

/** Set on every successful login; sent back only to the login endpoints. */
export const DEVICE_COOKIE = 'lantoa_device';
const DEVICE_PATH = `/${API_PREFIX}/auth`;
const DEVICE_DAYS = 365;

/**
 * A browser (or app) that has signed in to an account before: an HttpOnly cookie holding a random nonce and
 * an HMAC binding it to that account under the server's secret, so it cannot be made up or moved to another
 * account. A known device keeps signing in while the account is locked for everyone else, with a failure
 * limit of its own; see docs/decisions.md, "Login throttling".
 */
@Injectable()
export class KnownDevices {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  read(req: Request): string | null {
    return readCookie(req, DEVICE_COOKIE);
  }

  /** The device's nonce when `cookie` was issued to this user, else null. */
  nonceFor(cookie: string | null, userId: string): string | null {
    const [nonce, mac] = cookie?.split('.') ?? [];
    if (!nonce || !mac) return null;
    const expected = this.mac(userId, nonce);
    const ok = mac.length === expected.length && timingSafeEqual(Buffer.from(mac), Buffer.from(expected));
    return ok ? nonce : null;
  }

  /** The cookie's value for this user: the same device keeps its nonce, a new one gets one. */
  issue(userId: string, nonce: string | null): string {
    const value = nonce ?? randomBytes(16).toString('base64url');
    return `${value}.${this.mac(userId, value)}`;
  }

  remember(res: Response, value: string): void {
    res.cookie(DEVICE_COOKIE, value, {
      path: DEVICE_PATH,
      httpOnly: true,
      sameSite: 'strict',
      secure: this.config.cookieSecure,
      maxAge: DEVICE_DAYS * 86_400_000,
    });
  }

  private mac(userId: string, nonce: string): string {
    return createHmac('sha256', this.config.jwtSecret)
      .update(`device:${userId}:${nonce}`)
      .digest('base64url');
  }
}
