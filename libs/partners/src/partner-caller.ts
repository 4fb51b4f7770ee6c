import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';

/** The partner a request comes from, as its API key describes it (set by PartnerKeyGuard). */
export interface PartnerCaller {
  clientId: string;
  clientName: string;
  keyId: string;
  keyPrefix: string;
  /** The programs the key may write for. */
  programIds: string[];
  /** The subtree the key reaches: this unit and everything below it. */
  unitId: number;
  unitCode: string;
  unitName: string;
  unitPath: string;
  rateLimit: number;
  expiresAt: Date;
}

export type PartnerRequest = Request & { partner?: PartnerCaller };

/** The partner calling (routes behind the partner key guard always have one). */
export const CurrentPartner = createParamDecorator(
  (_data: unknown, context: ExecutionContext): PartnerCaller =>
    context.switchToHttp().getRequest<PartnerRequest>().partner!,
);

/** The audit trail's name for a partner. */
export const partnerActorName = (caller: Pick<PartnerCaller, 'clientName'>): string =>
  `Đối tác: ${caller.clientName}`.slice(0, 200);
