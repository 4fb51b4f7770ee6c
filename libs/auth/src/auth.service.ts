import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Principal } from '../../access/src';
import { AuditService } from '../../audit/src';
import { APP_CONFIG, AppConfig, Clock, DomainError, ThrottleRepository } from '../../platform/src';
import { AuthErrors } from './auth.errors';
import { KnownDevices } from './known-device';
import { normalizeLogin } from './login-name';
import { PasswordService } from './password.service';
import { SessionRepository } from './session.repository';
import { TokenService } from './token.service';
import { UserRepository } from './user.repository';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  tokenType: 'Bearer';
}

export interface ClientInfo {
  ip: string | null;
  userAgent: string | null;
  /** The known-device cookie the client sent, if any. */
  device: string | null;
}

export interface LoginResult {
  pair: TokenPair;
  /** The known-device cookie to set (this device is now known to the account). */
  device: string;
}

@Injectable()
export class AuthService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UserRepository,
    private readonly sessions: SessionRepository,
    private readonly throttle: ThrottleRepository,
    private readonly devices: KnownDevices,
    private readonly passwords: PasswordService,
    private readonly tokens: TokenService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Checks the password and opens a session. Every attempt is counted before the password is checked, so
   * concurrent guesses cannot slip past the limits: per account and address, per address, and per account
   * from everywhere. A known device (it signed in to this account before) is counted on its own instead,
   * so an attack on the account does not lock out its owner. Past a limit, 429 with Retry-After, whatever
   * the password. See docs/decisions.md, "Login throttling".
   */
  async login(rawLogin: string, password: string, client: ClientInfo): Promise<LoginResult> {
    const login = normalizeLogin(rawLogin) ?? rawLogin.trim().toLowerCase();
    const now = this.clock.now();
    const user = await this.users.credentialsByLogin(login);
    const device = user ? this.devices.nonceFor(client.device, user.id) : null;
    const { own, shared } = this.throttleKeys(login, client.ip, device);
    const lockedUntil = await this.throttle.attempt([...own, ...shared], now, this.config.auth.lockMinutes);
    if (lockedUntil) throw AuthErrors.locked(Math.ceil((lockedUntil.getTime() - now.getTime()) / 1000));

    const valid = user
      ? await this.passwords.verify(user.passwordHash, password)
      : await this.passwords.verifyNobody(password);
    if (!user || !valid) {
      await this.audit.record({
        action: 'auth.login_failed',
        entityType: 'user',
        entityId: user?.id ?? null,
        after: { login },
        scopePaths: user?.scopePaths,
        actorId: null,
      });
      throw AuthErrors.invalidCredentials();
    }
    for (const { key } of own) await this.throttle.clear(key);
    await this.throttle.release(shared);
    if (user.status !== 'active') throw AuthErrors.accountDisabled();
    // A role whose password login is switched off signs in with its OpenID provider only (checked after the
    // password, so the answer tells nothing to someone who does not know it).
    const barred = user.roles.filter((role) => !this.config.auth.passwordLoginRoles.includes(role));
    if (barred.length) throw AuthErrors.passwordLoginDisabled(barred);
    const pair = await this.dataSource.transaction(async (m) => {
      const sessionId = await this.sessions.createSession(m, user.id, client.ip, client.userAgent);
      const refresh = this.tokens.newRefreshToken();
      await this.sessions.addRefreshToken(m, sessionId, refresh.hash, refresh.expiresAt);
      await this.audit.record(
        {
          action: 'auth.login',
          entityType: 'user',
          entityId: user.id,
          scopePaths: user.scopePaths,
          actorId: user.id,
        },
        m,
      );
      return this.pair(user.id, sessionId, refresh.token);
    });
    return { pair, device: this.devices.issue(user.id, device) };
  }

  /**
   * The counters a login attempt goes on. `own` belong to this account on this address (or this known
   * device) alone and are cleared by a success; `shared` (the address, the account from everywhere) only
   * take the successful attempt back.
   */
  private throttleKeys(login: string, ip: string | null, device: string | null) {
    const { lockAfterFailures, ipLockAfterFailures, accountLockAfterFailures } = this.config.auth;
    if (device) return { own: [{ key: `device:${device}`, limit: lockAfterFailures }], shared: [] };
    const shared = [{ key: `login:${login}`, limit: accountLockAfterFailures }];
    if (ip) shared.push({ key: `ip:${ip}`, limit: ipLockAfterFailures });
    return { own: [{ key: `login:${login}|${ip ?? ''}`, limit: lockAfterFailures }], shared };
  }

  /**
   * Exchanges a refresh token for a new pair (rotation). A token that was already exchanged is a stolen or
   * replayed one: the whole family (the session) is revoked, for the thief and the owner alike.
   */
  async refresh(refreshToken: string): Promise<TokenPair> {
    return (await this.renew(refreshToken)).pair;
  }

  /** Renews a session: the new pair and whose session it is (the web app's renewal answers with the account). */
  async renew(refreshToken: string): Promise<{ pair: TokenPair; userId: string }> {
    const now = this.clock.now();
    const outcome = await this.dataSource.transaction(
      async (m): Promise<{ pair: TokenPair; userId: string } | DomainError> => {
        const token = await this.sessions.lockRefreshToken(m, TokenService.hash(refreshToken));
        if (!token || token.sessionRevokedAt) return AuthErrors.refreshInvalid();
        if (token.usedAt) {
          await this.sessions.revokeSession(m, token.sessionId, 'reuse', now);
          await this.audit.record(
            {
              action: 'auth.refresh_reuse',
              entityType: 'session',
              entityId: token.sessionId,
              actorId: token.userId,
            },
            m,
          );
          return AuthErrors.refreshReused();
        }
        if (token.expiresAt.getTime() <= now.getTime()) return AuthErrors.refreshExpired();
        const principal = await this.users.loadPrincipal(token.userId, token.sessionId, m);
        if (!principal) return AuthErrors.refreshInvalid();
        await this.sessions.markUsed(m, token.id, now);
        const next = this.tokens.newRefreshToken();
        await this.sessions.addRefreshToken(m, token.sessionId, next.hash, next.expiresAt);
        return { pair: this.pair(token.userId, token.sessionId, next.token), userId: token.userId };
      },
    );
    // Thrown after the commit: a detected reuse must stay revoked.
    if (outcome instanceof DomainError) throw outcome;
    return outcome;
  }

  async logout(principal: Principal): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      await this.sessions.revokeSession(m, principal.sessionId, 'logout', this.clock.now());
      await this.audit.record(
        { action: 'auth.logout', entityType: 'session', entityId: principal.sessionId },
        m,
      );
    });
  }

  /**
   * Ends the session a refresh token belongs to (the web app's logout, which may hold no valid access token).
   * Returns the OpenID provider and ID token of a session opened with one, for its end-session request.
   */
  async logoutByRefreshToken(
    refreshToken: string,
  ): Promise<{ provider: string; idToken: string | null } | null> {
    return this.dataSource.transaction(async (m) => {
      const token = await this.sessions.lockRefreshToken(m, TokenService.hash(refreshToken));
      if (!token || token.sessionRevokedAt) return null;
      await this.sessions.revokeSession(m, token.sessionId, 'logout', this.clock.now());
      await this.audit.record(
        { action: 'auth.logout', entityType: 'session', entityId: token.sessionId, actorId: token.userId },
        m,
      );
      return token.oidcProvider ? { provider: token.oidcProvider, idToken: token.oidcIdToken } : null;
    });
  }

  /** Changes the caller's own password; their other sessions end. */
  async changePassword(principal: Principal, currentPassword: string, newPassword: string): Promise<void> {
    const problems = this.passwords.problems(newPassword, principal.login, 'newPassword');
    if (problems.length) throw AuthErrors.invalid(problems);
    const hash = await this.passwords.hash(newPassword);
    await this.dataSource.transaction(async (m) => {
      await this.users.lockUser(m, principal.id);
      const current = await this.users.passwordHash(m, principal.id);
      if (!current || !(await this.passwords.verify(current, currentPassword)))
        throw AuthErrors.wrongPassword();
      await this.users.setPassword(m, principal.id, hash, false);
      await this.sessions.revokeUserSessions(
        m,
        principal.id,
        'password',
        this.clock.now(),
        principal.sessionId,
      );
      await this.audit.record(
        { action: 'auth.password_changed', entityType: 'user', entityId: principal.id },
        m,
      );
    });
  }

  /**
   * Opens a session for a staff account that signed in with an OpenID provider (the identity was checked and
   * found linked by the caller). The ID token is kept for the provider's end-session request at logout.
   */
  async openOidcSession(
    userId: string,
    provider: string,
    idToken: string,
    client: Omit<ClientInfo, 'device'>,
  ): Promise<TokenPair> {
    return this.dataSource.transaction(async (m) => {
      const sessionId = await this.sessions.createSession(m, userId, client.ip, client.userAgent, {
        provider,
        idToken,
      });
      const refresh = this.tokens.newRefreshToken();
      await this.sessions.addRefreshToken(m, sessionId, refresh.hash, refresh.expiresAt);
      await this.audit.record(
        {
          action: 'auth.login',
          entityType: 'user',
          entityId: userId,
          after: { provider },
          scopePaths: await this.users.scopePaths(m, userId),
          actorId: userId,
        },
        m,
      );
      return this.pair(userId, sessionId, refresh.token);
    });
  }

  private pair(userId: string, sessionId: string, refreshToken: string): TokenPair {
    return {
      accessToken: this.tokens.signAccess(userId, sessionId),
      refreshToken,
      expiresIn: this.tokens.accessTtlSeconds,
      tokenType: 'Bearer',
    };
  }
}
