import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { IdempotencyRepository } from './idempotency.repository';
import { PartnerCaller } from './partner-caller';
import { PartnerErrors } from './partner.errors';

const KEY = /^[\x21-\x7e]{1,200}$/;
/** How long an Idempotency-Key is remembered; after that the same key starts a new request. */
export const IDEMPOTENCY_HOURS = 24;

export function requestHash(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

/**
 * Idempotency-Key: a partner may send the same request twice (a retry after a timeout) without it being
 * done twice. The first request with a key runs, in one transaction with the row that remembers its answer;
 * the same key again with the same request gets that answer back, changing nothing; with a different request
 * it is refused (422). A concurrent duplicate waits on the first one's row and then replays its answer.
 */
@Injectable()
export class Idempotency {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: IdempotencyRepository,
  ) {}

  async once<T>(
    partner: PartnerCaller,
    key: string | undefined,
    operation: string,
    request: unknown,
    work: (m: EntityManager) => Promise<T>,
  ): Promise<{ body: T; replayed: boolean }> {
    if (key === undefined) {
      return { body: await this.dataSource.transaction(work), replayed: false };
    }
    if (!KEY.test(key)) {
      throw PartnerErrors.invalid([
        { field: 'Idempotency-Key', reason: 'phải gồm 1 đến 200 ký tự ASCII in được, không có khoảng trắng' },
      ]);
    }
    const hash = requestHash(request);
    return this.dataSource.transaction(async (m) => {
      await this.repository.purge(m, partner.clientId, IDEMPOTENCY_HOURS);
      if (!(await this.repository.claim(m, partner.clientId, key, operation, hash))) {
        const earlier = await this.repository.find(m, partner.clientId, key);
        if (earlier.operation !== operation || earlier.requestHash !== hash) {
          throw PartnerErrors.idempotencyKeyReused();
        }
        return { body: JSON.parse(earlier.response) as T, replayed: true };
      }
      const body = await work(m);
      await this.repository.remember(m, partner.clientId, key, JSON.stringify(body));
      return { body, replayed: false };
    });
  }
}
