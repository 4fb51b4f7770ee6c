import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig, Clock } from '../../platform/src';

/**
 * Small server state kept in the browser instead of a table: sealed with AES-256-GCM under a key derived
 * from the server's secret, so the browser can neither read nor change it, and any API process can open it.
 * Each purpose has its own key, so a value sealed for one use is never accepted for another.
 */
@Injectable()
export class SealedCookie {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  private key(purpose: string): Buffer {
    return Buffer.from(hkdfSync('sha256', this.config.jwtSecret, 'lantoa-sealed-cookie', purpose, 32));
  }

  seal(purpose: string, value: object, ttlSeconds: number): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key(purpose), iv);
    const exp = Math.floor(this.clock.now().getTime() / 1000) + ttlSeconds;
    const body = Buffer.concat([cipher.update(JSON.stringify({ v: value, exp }), 'utf8'), cipher.final()]);
    return [iv, body, cipher.getAuthTag()].map((b) => b.toString('base64url')).join('.');
  }

  /** The value, or null when it was not sealed here for this purpose, was altered or has expired. */
  open<T>(purpose: string, sealed: string | null): T | null {
    if (!sealed) return null;
    const parts = sealed.split('.');
    if (parts.length !== 3) return null;
    try {
      const [iv, body, tag] = parts.map((p) => Buffer.from(p, 'base64url'));
      const decipher = createDecipheriv('aes-256-gcm', this.key(purpose), iv);
      decipher.setAuthTag(tag);
      const text = Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
      const { v, exp } = JSON.parse(text) as { v: T; exp: number };
      return exp * 1000 > this.clock.now().getTime() ? v : null;
    } catch {
      return null;
    }
  }
}
