import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Response } from 'express';
import { Clock, setServiceActor } from '../../platform/src';
import { apiKeyFrom, hashApiKey, looksLikeApiKey } from './api-key';
import { partnerActorName, PartnerRequest } from './partner-caller';
import { PartnerErrors } from './partner.errors';
import { PartnerRepository } from './partner.repository';

/**
 * Authenticates the partner API (/api/v1/partner/…) by API key, in place of the user session guard: the key
 * must exist, be neither revoked nor expired, and belong to an active partner — checked on every call, so a
 * revocation takes effect at once in every API process. Then the call is counted in the key's one-minute
 * window (in PostgreSQL, shared by all processes); past the key's limit the answer is 429 with Retry-After.
 * Every answer carries RateLimit-Limit, RateLimit-Remaining and RateLimit-Reset.
 */
@Injectable()
export class PartnerKeyGuard implements CanActivate {
  constructor(
    private readonly partners: PartnerRepository,
    private readonly clock: Clock,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<PartnerRequest>();
    const res = context.switchToHttp().getResponse<Response>();
    const secret = apiKeyFrom(req.headers.authorization);
    if (!secret) throw PartnerErrors.keyMissing();
    if (!looksLikeApiKey(secret)) throw PartnerErrors.keyInvalid();
    const key = await this.partners.byHash(hashApiKey(secret));
    if (!key) throw PartnerErrors.keyInvalid();
    const now = this.clock.now();
    if (key.revokedAt) throw PartnerErrors.keyRevoked();
    if (new Date(key.expiresAt).getTime() <= now.getTime()) throw PartnerErrors.keyExpired();
    if (key.clientStatus !== 'active') throw PartnerErrors.partnerDisabled();

    const { calls, windowStart } = await this.partners.countCall(key.id, now);
    const reset = Math.max(1, Math.ceil((windowStart.getTime() + 60_000 - now.getTime()) / 1000));
    res.setHeader('RateLimit-Limit', String(key.rateLimit));
    res.setHeader('RateLimit-Remaining', String(Math.max(0, key.rateLimit - calls)));
    res.setHeader('RateLimit-Reset', String(reset));
    if (calls > key.rateLimit) throw PartnerErrors.rateLimited(key.rateLimit, reset);

    req.partner = {
      clientId: key.clientId,
      clientName: key.clientName,
      keyId: key.id,
      keyPrefix: key.prefix,
      programIds: key.programIds,
      unitId: key.unitId,
      unitCode: key.unitCode,
      unitName: key.unitName,
      unitPath: key.unitPath,
      rateLimit: key.rateLimit,
      expiresAt: new Date(key.expiresAt),
    };
    setServiceActor(req, { id: key.clientId, name: partnerActorName(key) });
    return true;
  }
}
