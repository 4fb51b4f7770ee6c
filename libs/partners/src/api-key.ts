import { createHash, randomBytes } from 'node:crypto';

const KEY_PREFIX = 'ltk_';
/** `ltk_` and 43 base64url characters: 256 random bits. */
const KEY_SHAPE = /^ltk_[A-Za-z0-9_-]{43}$/;

export interface NewApiKey {
  /** Shown to the issuer once, never stored. */
  secret: string;
  /** What lists show to tell keys apart: `ltk_` and the next 8 characters. */
  prefix: string;
  hash: string;
}

export function newApiKey(): NewApiKey {
  const secret = `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
  return { secret, prefix: secret.slice(0, 12), hash: hashApiKey(secret) };
}

export function hashApiKey(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function looksLikeApiKey(value: string): boolean {
  return KEY_SHAPE.test(value);
}

/**
 * The key a request carries: `Authorization: Bearer ltk_…`, or HTTP Basic (what LMSes use for xAPI) with
 * the key as the password — or as the user name when the password is empty. Null when there is none.
 */
export function apiKeyFrom(authorization: string | undefined): string | null {
  if (!authorization) return null;
  const [scheme, value = ''] = authorization.trim().split(/\s+/, 2);
  if (/^bearer$/i.test(scheme)) return value || null;
  if (!/^basic$/i.test(scheme)) return null;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return decoded || null;
  const user = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  return password || user || null;
}
