import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

/** A remembered request: what it was and the answer it got. */
export interface IdempotentRequest {
  operation: string;
  requestHash: string;
  response: string;
}

/** Remembered Idempotency-Keys (partner_idempotency). Every method runs on the caller's transaction. */
@Injectable()
export class IdempotencyRepository {
  /** Forgets the client's keys older than `hours`. */
  async purge(m: EntityManager, clientId: string, hours: number): Promise<void> {
    await m.query(
      `DELETE FROM partner_idempotency
          WHERE client_id = $1 AND created_at < now() - make_interval(hours => $2)`,
      [clientId, hours],
    );
  }

  /**
   * Claims the key for this request (with an empty answer until `remember`); false when the key is already
   * taken — a concurrent duplicate waits here on the first one's row.
   */
  async claim(
    m: EntityManager,
    clientId: string,
    key: string,
    operation: string,
    hash: string,
  ): Promise<boolean> {
    const claimed: unknown[] = await m.query(
      `INSERT INTO partner_idempotency (client_id, key, operation, request_hash, status, response)
         VALUES ($1, $2, $3, $4, 0, '') ON CONFLICT (client_id, key) DO NOTHING RETURNING 1`,
      [clientId, key, operation, hash],
    );
    return claimed.length > 0;
  }

  async find(m: EntityManager, clientId: string, key: string): Promise<IdempotentRequest> {
    const [earlier]: IdempotentRequest[] = await m.query(
      `SELECT operation, request_hash AS "requestHash", response FROM partner_idempotency
            WHERE client_id = $1 AND key = $2`,
      [clientId, key],
    );
    return earlier;
  }

  /** Stores the answer (JSON) of the request that claimed the key. */
  async remember(m: EntityManager, clientId: string, key: string, response: string): Promise<void> {
    await m.query(
      `UPDATE partner_idempotency SET status = 200, response = $3 WHERE client_id = $1 AND key = $2`,
      [clientId, key, response],
    );
  }
}
