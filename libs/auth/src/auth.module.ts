import { Inject, Module, OnApplicationBootstrap } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { HierarchyModule } from '../../hierarchy/src';
import { APP_CONFIG, AppConfig } from '../../platform/src';
import { AdminBootstrap } from './admin-bootstrap.service';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { CitizenSession } from './citizen-session';
import { IdentityRepository } from './identity.repository';
import { IdentityService } from './identity.service';
import { OidcController } from './oidc.controller';
import { OidcService } from './oidc.service';
import { SealedCookie } from './sealed-cookie';
import { KnownDevices } from './known-device';
import { JwtStrategy } from './jwt.strategy';
import { PasswordService } from './password.service';
import { SessionRepository } from './session.repository';
import { TokenService } from './token.service';
import { UserController } from './user.controller';
import { UserRepository } from './user.repository';
import { UserService } from './user.service';
import { WebSession } from './web-session';

@Module({
  imports: [PassportModule, JwtModule.register({}), HierarchyModule],
  controllers: [AuthController, OidcController, UserController],
  providers: [
    { provide: APP_GUARD, useClass: AuthGuard },
    AdminBootstrap,
    AuthService,
    CitizenSession,
    IdentityRepository,
    IdentityService,
    OidcService,
    SealedCookie,
    KnownDevices,
    JwtStrategy,
    PasswordService,
    SessionRepository,
    TokenService,
    UserRepository,
    UserService,
    WebSession,
  ],
  exports: [UserService, UserRepository, PasswordService, CitizenSession, OidcService],
})
export class AuthModule implements OnApplicationBootstrap {
  constructor(
    private readonly admin: AdminBootstrap,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.auth.bootstrapAdmin) await this.admin.ensureAdmin();
  }
}
