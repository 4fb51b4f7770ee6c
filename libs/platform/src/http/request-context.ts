import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

/** What is known about the request being served, wherever in the call stack the code runs. */
export interface RequestContext {
  readonly requestId?: string;
  readonly ip?: string;
  /** The authenticated user, once the auth guard has run. */
  readonly userId?: string;
}

const storage = new AsyncLocalStorage<Request>();

export function currentRequest(): RequestContext {
  const req = storage.getStore() as (Request & { id?: string | number; user?: { id?: string } }) | undefined;
  if (!req) return {};
  // Read lazily: the request id and the user are attached by middleware and guards that run later.
  return {
    requestId: req.id === undefined ? undefined : String(req.id),
    ip: req.ip,
    userId: req.user?.id,
  };
}

@Injectable()
export class RequestContextMiddleware implements NestMiddleware {
  use(req: Request, _res: Response, next: NextFunction): void {
    storage.run(req, next);
  }
}
