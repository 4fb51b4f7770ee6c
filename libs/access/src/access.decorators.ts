import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { Principal, Role } from './principal';

export const REQUIRED_ROLES = 'lan-toa:roles';
export const ALLOW_PENDING_PASSWORD = 'lan-toa:allow-pending-password';

/** The route needs one of these roles (in some scope); the service then checks the scope of the target. */
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator =>
  SetMetadata(REQUIRED_ROLES, roles);

/** Reachable while the user still has to change a password an administrator set. */
export const AllowPendingPasswordChange = (): MethodDecorator => SetMetadata(ALLOW_PENDING_PASSWORD, true);

/** The authenticated caller (routes behind the global guard always have one). */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal =>
    context.switchToHttp().getRequest<{ user: Principal }>().user,
);
