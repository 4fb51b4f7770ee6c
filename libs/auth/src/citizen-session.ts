import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { API_PREFIX, DomainError } from '../../platform/src';
import { SealedCookie } from './sealed-cookie';
import { readCookie } from './web-session';

/**
 * A citizen signed in with an OpenID provider (VNeID). Citizens hold no account: the sealed cookie carries
 * the verified identity for a few hours, and the citizen API shows only the records of the person whose
 * national ID number it carries.
 */
export const CITIZEN_COOKIE = 'lantoa_citizen';
export const CITIZEN_PATH = `/${API_PREFIX}/citizen`;
export const CITIZEN_SESSION = 'citizen-session';
export const CITIZEN_TTL = 4 * 3600;

export interface CitizenIdentity {
  provider: string;
  subject: string;
  nationalId: string | null;
  name: string | null;
  idToken: string;
}

@Injectable()
export class CitizenSession {
  constructor(private readonly sealed: SealedCookie) {}

  read(req: Request): CitizenIdentity | null {
    return this.sealed.open<CitizenIdentity>(CITIZEN_SESSION, readCookie(req, CITIZEN_COOKIE));
  }

  require(req: Request): CitizenIdentity {
    const identity = this.read(req);
    if (!identity)
      throw new DomainError('CITIZEN_SIGN_IN_REQUIRED', 401, 'Vui lòng đăng nhập bằng VNeID để xem mục này.');
    return identity;
  }
}
