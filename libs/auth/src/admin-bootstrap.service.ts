import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '../../audit/src';
import { APP_CONFIG, AppConfig } from '../../platform/src';
import { normalizeLogin } from './login-name';
import { PasswordService } from './password.service';
import { UserRepository } from './user.repository';

export const ADMIN_PASSWORD_FILE = 'admin-password.txt';

/**
 * When no active administrator exists, creates one: from ADMIN_LOGIN / ADMIN_PASSWORD, or with a generated
 * password shown once on the console and written (mode 600) to DATA_DIR/admin-password.txt — never logged.
 */
@Injectable()
export class AdminBootstrap {
  private readonly logger = new Logger('AdminBootstrap');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UserRepository,
    private readonly passwords: PasswordService,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async ensureAdmin(): Promise<void> {
    const login = normalizeLogin(this.config.auth.adminLogin);
    if (!login) throw new Error('ADMIN_LOGIN must be an e-mail address or a Vietnamese phone number');
    if (await this.users.anyActiveAdmin(this.dataSource.manager)) return;
    const generated = this.config.auth.adminPassword === null;
    const password = this.config.auth.adminPassword ?? randomBytes(15).toString('base64url');
    const hash = await this.passwords.hash(password);
    const created = await this.dataSource.transaction(async (m) => {
      await this.users.lockAdminBootstrap(m);
      if (await this.users.anyActiveAdmin(m)) return false;
      let id = await this.users.idByLogin(m, login);
      if (id) {
        await this.users.setPassword(m, id, hash, generated);
        await this.users.update(m, id, { status: 'active' });
      } else {
        id = await this.users.insert(m, {
          login,
          displayName: 'Quản trị hệ thống',
          passwordHash: hash,
          mustChangePassword: generated,
        });
      }
      await this.users.insertAssignment(m, id, { role: 'admin', unitId: null, organisationId: null }, null);
      await this.audit.record(
        {
          action: 'user.admin_bootstrapped',
          entityType: 'user',
          entityId: id,
          after: { login },
          actorId: null,
        },
        m,
      );
      return true;
    });
    if (!created) return;
    this.logger.log(`Created the administrator account ${login}`);
    if (generated) {
      const file = join(this.config.dataDir, ADMIN_PASSWORD_FILE);
      writeFileSync(file, `${login}\n${password}\n`, { mode: 0o600 });
      // Written straight to the console, not through the logger: log pipelines must never carry it.
      process.stdout.write(
        `\n  Administrator account created: ${login}\n  Password (shown once, also in ${file}): ${password}\n` +
          `  Change it after the first login (POST /api/v1/auth/password).\n\n`,
      );
    }
  }
}
