import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Principal } from '../../access/src';
import { AuditService } from '../../audit/src';
import { Clock } from '../../platform/src';
import { AuthErrors } from './auth.errors';
import { IdentityDto } from './identity.dto';
import { IdentityRepository, IdentityRow } from './identity.repository';
import { OidcIdentity, OidcLoginError, OidcService } from './oidc.service';
import { UserRepository } from './user.repository';
import { UserService } from './user.service';

const toDto = (row: IdentityRow): IdentityDto => ({
  id: row.id,
  provider: row.provider,
  subject: row.subject,
  createdAt: row.createdAt.toISOString(),
  lastLoginAt: row.lastLoginAt?.toISOString() ?? null,
});

/** Links between staff accounts and identities at OpenID providers: made by administrators, used at sign-in. */
@Injectable()
export class IdentityService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly identities: IdentityRepository,
    private readonly users: UserRepository,
    private readonly userService: UserService,
    private readonly oidc: OidcService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async list(principal: Principal, userId: string): Promise<IdentityDto[]> {
    await this.userService.get(principal, userId);
    return (await this.identities.list(userId)).map(toDto);
  }

  async link(principal: Principal, userId: string, provider: string, subject: string): Promise<IdentityDto> {
    await this.userService.get(principal, userId);
    this.oidc.provider(provider);
    return this.dataSource.transaction(async (m) => {
      const row = await this.identities.link(m, userId, provider, subject, principal.id);
      if (!row) throw AuthErrors.identityLinked();
      await this.audit.record(
        {
          action: 'user.identity_linked',
          entityType: 'user',
          entityId: userId,
          after: { provider, subject },
          scopePaths: await this.users.scopePaths(m, userId),
        },
        m,
      );
      return toDto(row);
    });
  }

  async unlink(principal: Principal, userId: string, identityId: string): Promise<void> {
    await this.userService.get(principal, userId);
    await this.dataSource.transaction(async (m) => {
      const row = await this.identities.unlink(m, userId, identityId);
      if (!row) throw AuthErrors.identityNotFound();
      await this.audit.record(
        {
          action: 'user.identity_unlinked',
          entityType: 'user',
          entityId: userId,
          before: { provider: row.provider, subject: row.subject },
          scopePaths: await this.users.scopePaths(m, userId),
        },
        m,
      );
    });
  }

  /**
   * The staff account a verified identity signs in as. Only a link an administrator made counts — or, when
   * the provider's configuration allows it, its verified e-mail matching an account's login (the link is
   * then recorded). Anything else gets no staff access.
   */
  async staffAccount(identity: OidcIdentity): Promise<string> {
    const found = await this.identities.find(identity.provider, identity.subject);
    if (found) {
      if (found.status !== 'active') throw new OidcLoginError('OIDC_ACCOUNT_DISABLED', found.userId);
      await this.identities.touch(found.id, this.clock.now());
      return found.userId;
    }
    const provider = this.oidc.provider(identity.provider);
    if (provider.linkClaim === 'email' && identity.email && identity.emailVerified) {
      const userId = await this.identities.userByLogin(identity.email);
      if (userId) {
        await this.dataSource.transaction(async (m) => {
          const row = await this.identities.link(m, userId, identity.provider, identity.subject, null);
          if (!row) return;
          await this.identities.touch(row.id, this.clock.now());
          await this.audit.record(
            {
              action: 'user.identity_linked',
              entityType: 'user',
              entityId: userId,
              after: { provider: identity.provider, subject: identity.subject, by: 'email_verified' },
              scopePaths: await this.users.scopePaths(m, userId),
              actorId: null,
            },
            m,
          );
        });
        return userId;
      }
    }
    throw new OidcLoginError('OIDC_IDENTITY_UNKNOWN', `${identity.provider}:${identity.subject}`);
  }

  async refused(provider: string, error: OidcLoginError): Promise<void> {
    await this.audit.record({
      action: 'auth.oidc_refused',
      entityType: 'user',
      entityId: null,
      after: { provider, code: error.code, detail: error.detail.slice(0, 500) },
      actorId: null,
    });
  }
}
