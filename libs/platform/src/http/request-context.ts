import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

/** What is known about the request being served, wherever in the call stack the code runs. */
export interface RequestContext {
  readonly requestId?: string;
  readonly ip?: string;
  /** The authenticated user (or the service actor), once the auth guard has run. */
  readonly userId?: string;
  /** The name of an actor that is not a user (a partner calling with its API key), for the audit trail. */
  readonly actorName?: string;
}

/** A caller that is not a user — a partner's API key: audited under its own id and name. */
export interface ServiceActor {
  id: string;
  name: string;
}

/** Attaches a non-user caller to the request (its guard does this once the caller is authenticated). */
export function setServiceActor(req: Request, actor: ServiceActor): void {
  (req as Request & { serviceActor?: ServiceActor }).serviceActor = actor;
}

const storage = new AsyncLocalStorage<Request>();

export function currentRequest(): RequestContext {
  const req = storage.getStore();
  return req ? requestContextOf(req) : {};
}

/** The context of a given request. */
export function requestContextOf(request: Request): RequestContext {
  const req = request as Request & {
    id?: string | number;
    user?: { id?: string };
    serviceActor?: ServiceActor;
  };
  // Read lazily: the request id and the user are attached by middleware and guards that run later.
  return {
    requestId: req.id === undefined ? undefined : String(req.id),
    ip: req.ip,
    userId: req.user?.id ?? req.serviceActor?.id,
    actorName: req.serviceActor?.name,
  };
}

@Injectable()
export class RequestContextMiddleware implements NestMiddleware {
  use(req: Request, _res: Response, next: NextFunction): void {
    storage.run(req, next);
  }
}
