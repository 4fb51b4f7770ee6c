import { normalizeVietnamesePhone } from '../../platform/src';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** A login is an e-mail address (compared in lower case) or a Vietnamese phone number (stored as +84…). */
export function normalizeLogin(raw: string): string | null {
  const value = raw.normalize('NFC').trim();
  if (value.includes('@')) return EMAIL.test(value) && value.length <= 254 ? value.toLowerCase() : null;
  return normalizeVietnamesePhone(value);
}
