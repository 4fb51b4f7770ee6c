import { Injectable } from '@nestjs/common';
import * as argon2 from 'argon2';
import { FieldError, MIN_PASSWORD_LENGTH } from '../../platform/src';

export const MAX_PASSWORD_LENGTH = 128;

/** argon2id hashing (library defaults: 64 MiB, 3 passes), behind an adapter so the cost lives in one place. */
@Injectable()
export class PasswordService {
  private dummy?: Promise<string>;

  hash(password: string): Promise<string> {
    return argon2.hash(password, { type: argon2.argon2id });
  }

  async verify(hash: string, password: string): Promise<boolean> {
    try {
      return await argon2.verify(hash, password);
    } catch {
      return false;
    }
  }

  /** Spends the time of a real check when the account does not exist, so timing does not reveal it. */
  async verifyNobody(password: string): Promise<false> {
    this.dummy ??= this.hash('not a real account');
    await this.verify(await this.dummy, password);
    return false;
  }

  problems(password: string, login: string, field = 'password'): FieldError[] {
    if (password.length < MIN_PASSWORD_LENGTH) {
      return [{ field, reason: `phải có ít nhất ${MIN_PASSWORD_LENGTH} ký tự`, rule: 'minLength' }];
    }
    if (password.length > MAX_PASSWORD_LENGTH) {
      return [{ field, reason: `dài tối đa ${MAX_PASSWORD_LENGTH} ký tự`, rule: 'maxLength' }];
    }
    if (password.toLowerCase() === login.toLowerCase()) {
      return [{ field, reason: 'không được trùng với tên đăng nhập', rule: 'notLogin' }];
    }
    return [];
  }
}
