import { createSecretKey } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { Principal } from '../../access/src';
import { APP_CONFIG, AppConfig } from '../../platform/src';
import { AuthErrors } from './auth.errors';
import { AccessClaims, TokenService } from './token.service';
import { UserRepository } from './user.repository';

/**
 * passport-jwt checks the signature (HS256 only); expiry is checked here against the injected clock, and
 * the user and session are loaded afresh so that disabling a user or logging out takes effect at once.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly tokens: TokenService,
    private readonly users: UserRepository,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // A key object (which jsonwebtoken accepts, whatever the typings say) spares it from trying to read the
      // secret as a public key on every request.
      secretOrKey: createSecretKey(Buffer.from(config.jwtSecret)) as unknown as Buffer,
      algorithms: ['HS256'],
      ignoreExpiration: true,
    });
  }

  async validate(claims: Partial<AccessClaims>): Promise<Principal> {
    if (typeof claims.sub !== 'string' || typeof claims.sid !== 'string') throw AuthErrors.tokenInvalid();
    if (this.tokens.isExpired(claims)) throw AuthErrors.tokenExpired();
    const principal = await this.users.loadPrincipal(claims.sub, claims.sid);
    if (!principal) throw AuthErrors.sessionEnded();
    return principal;
  }
}
