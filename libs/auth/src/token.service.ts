import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { APP_CONFIG, AppConfig, Clock } from '../../platform/src';

export interface AccessClaims {
  sub: string;
  sid: string;
  iat: number;
  exp: number;
}

/** Signs access tokens on the injected clock and makes opaque refresh tokens (stored only as hashes). */
@Injectable()
export class TokenService {
  constructor(
    private readonly jwt: JwtService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get accessTtlSeconds(): number {
    return this.config.auth.accessTokenTtlSeconds;
  }

  signAccess(userId: string, sessionId: string): string {
    const iat = Math.floor(this.clock.now().getTime() / 1000);
    const claims: AccessClaims = { sub: userId, sid: sessionId, iat, exp: iat + this.accessTtlSeconds };
    // iat and exp come from the injected clock, not from the signing library's own.
    return this.jwt.sign(claims, { secret: this.config.jwtSecret, algorithm: 'HS256' });
  }

  isExpired(claims: Partial<AccessClaims>): boolean {
    return typeof claims.exp !== 'number' || claims.exp <= this.clock.now().getTime() / 1000;
  }

  newRefreshToken(): { token: string; hash: string; expiresAt: Date } {
    const token = randomBytes(32).toString('base64url');
    const days = this.config.auth.refreshTokenTtlDays;
    return {
      token,
      hash: TokenService.hash(token),
      expiresAt: new Date(this.clock.now().getTime() + days * 86_400_000),
    };
  }

  static hash(token: string): string {
    return createHash('sha256').update(token).digest('hex');
  }
}
