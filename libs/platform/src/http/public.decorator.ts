import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'lan-toa:public';

/** Opts a route out of the global authentication guard. Every use is a deliberate, reviewed exception. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);

export const AUTHENTICATED_BY = 'lan-toa:authenticated-by';

/**
 * The route is authenticated by a guard of its own (a partner's API key), not by a user's session: the
 * global user guard lets it through to that guard. Only the decorator that also applies the guard uses it.
 */
export const AuthenticatedBy = (scheme: string): MethodDecorator & ClassDecorator =>
  SetMetadata(AUTHENTICATED_BY, scheme);
