import { CallHandler, ExecutionContext, HttpStatus, Injectable, NestInterceptor } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { catchError, from, mergeMap, Observable, throwError } from 'rxjs';
import { AuditService } from '../../audit/src';
import { toProblem } from '../../platform/src';
import { PartnerRequest } from './partner-caller';

/** Per-status counts of a batch answer (`results[].status`), for the audit entry of the call. */
function outcome(body: unknown): Record<string, number> | undefined {
  const results = (body as { results?: unknown } | null)?.results;
  if (!Array.isArray(results)) return undefined;
  const counts: Record<string, number> = {};
  for (const r of results as { status?: unknown }[]) {
    const status = typeof r?.status === 'string' ? r.status : 'other';
    counts[status] = (counts[status] ?? 0) + 1;
  }
  return counts;
}

/**
 * Every call of an authenticated partner goes into the audit trail under the partner's name — reads and
 * refused batches too: route, answer status (and problem code), the key used, and the per-item outcome of a
 * batch. Written before the answer leaves, so the entry exists when the partner sees the result. (What the
 * call changed is audited besides, by the services, in the same transactions as the changes.)
 */
@Injectable()
export class PartnerCallAudit implements NestInterceptor {
  constructor(private readonly audit: AuditService) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<PartnerRequest>();
    const handler = context.getHandler();
    const success =
      (Reflect.getMetadata(HTTP_CODE_METADATA, handler) as number | undefined) ??
      (req.method === 'POST' ? HttpStatus.CREATED : HttpStatus.OK);
    const record = async (status: number, extra: Record<string, unknown>) => {
      const partner = req.partner;
      if (!partner) return;
      await this.audit.record({
        action: 'partner.call',
        entityType: 'partner_client',
        entityId: partner.clientId,
        after: {
          method: req.method,
          route: `${req.baseUrl ?? ''}${(req.route as { path?: string } | undefined)?.path ?? ''}`,
          status,
          key: { id: partner.keyId, prefix: partner.keyPrefix },
          idempotencyKey: req.headers['idempotency-key'] ?? undefined,
          ...extra,
        },
        scopePaths: [partner.unitPath],
      });
    };
    return next.handle().pipe(
      mergeMap(async (body: unknown) => {
        await record(success, { results: outcome(body) });
        return body;
      }),
      catchError((error: unknown) => {
        const { body } = toProblem(error);
        return from(record(body.status, { code: body.code })).pipe(mergeMap(() => throwError(() => error)));
      }),
    );
  }
}
