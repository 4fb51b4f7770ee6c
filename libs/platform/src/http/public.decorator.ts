import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'lan-toa:public';

/** Opts a route out of the global authentication guard. Every use is a deliberate, reviewed exception. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);
