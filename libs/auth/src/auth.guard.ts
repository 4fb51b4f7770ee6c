import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard as PassportGuard } from '@nestjs/passport';
import {
  AccessErrors,
  ALLOW_PENDING_PASSWORD,
  Policy,
  Principal,
  REQUIRED_ROLES,
  Role,
} from '../../access/src';
import { AUTHENTICATED_BY, IS_PUBLIC } from '../../platform/src';
import { AuthErrors } from './auth.errors';

/**
 * The global guard: every route needs a valid access token unless marked @Public(). It also enforces
 * @Roles() (the caller holds one of the roles somewhere) and a pending password change. Scope — whether
 * the target lies in the caller's part of the hierarchy — is checked by the services, in SQL for lists.
 */
@Injectable()
export class AuthGuard extends PassportGuard('jwt') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    // Routes with a guard of their own (partner API keys) are authenticated there.
    if (this.reflector.getAllAndOverride<string>(AUTHENTICATED_BY, targets)) return true;
    await super.canActivate(context);
    const principal = context.switchToHttp().getRequest<{ user: Principal }>().user;
    if (
      principal.mustChangePassword &&
      !this.reflector.getAllAndOverride<boolean>(ALLOW_PENDING_PASSWORD, targets)
    ) {
      throw AuthErrors.passwordChangeRequired();
    }
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, targets);
    if (roles && !Policy.hasRole(principal, roles)) throw AccessErrors.forbidden();
    return true;
  }

  override handleRequest<T>(error: unknown, user: T, info: unknown): T {
    // passport hands over what the strategy threw: our DomainErrors, its own errors, or the database's
    // (which the problem filter answers as 503 when it is down). Not `instanceof Error`: socket errors
    // come from Node's core, another realm under a test runner.
    if (error) throw typeof error === 'object' ? (error as Error) : AuthErrors.tokenInvalid();
    if (!user) {
      const noToken = info instanceof Error && info.message === 'No auth token';
      throw noToken ? AccessErrors.unauthenticated() : AuthErrors.tokenInvalid();
    }
    return user;
  }
}
