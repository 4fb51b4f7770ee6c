import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

/** A webhook message as the outbox writes it (`body` is its JSON). */
export interface OutboxMessage {
  id: string;
  type: string;
  dedupeKey: string;
  programId: string | null;
  unitPath: string;
  endpointId: string | null;
  body: string;
}

/** The webhook outbox (webhook_message, webhook_delivery). Every method runs on the caller's transaction. */
@Injectable()
export class WebhookOutboxRepository {
  /** Whether any endpoint is active (one indexed read). */
  async anyActiveEndpoint(m: EntityManager): Promise<boolean> {
    const rows: unknown[] = await m.query(`SELECT 1 FROM webhook_endpoint WHERE status = 'active' LIMIT 1`);
    return rows.length > 0;
  }

  async units(m: EntityManager, ids: number[]): Promise<{ id: number; code: string; fullName: string }[]> {
    return m.query(`SELECT id, code, full_name AS "fullName" FROM admin_unit WHERE id = ANY ($1::int[])`, [
      ids,
    ]);
  }

  /**
   * Writes the messages some active endpoint listens for (or the one named), each with a delivery per such
   * endpoint; a dedupe key already written is skipped. The number of deliveries created.
   */
  async insert(m: EntityManager, rows: OutboxMessage[]): Promise<number> {
    const deliveries: unknown[] = await m.query(
      `WITH input AS (
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::uuid[], $5::text[], $6::text[], $7::uuid[])
                  AS i(id, type, dedupe_key, program_id, unit_path, body, endpoint_id)),
       matched AS (
         SELECT i.id AS message_id, e.id AS endpoint_id
           FROM input i JOIN webhook_endpoint e ON e.status = 'active'
           JOIN admin_unit u ON u.id = e.unit_id
          WHERE CASE WHEN i.endpoint_id IS NOT NULL THEN e.id = i.endpoint_id
                     ELSE i.type = ANY (e.events) AND i.program_id = ANY (e.program_ids)
                          AND i.unit_path LIKE u.path || '%' END),
       messages AS (
         INSERT INTO webhook_message (id, type, dedupe_key, program_id, unit_path, body)
         SELECT i.id, i.type, i.dedupe_key, i.program_id, i.unit_path, i.body FROM input i
          WHERE EXISTS (SELECT 1 FROM matched x WHERE x.message_id = i.id)
          ORDER BY i.dedupe_key
         ON CONFLICT (dedupe_key) DO NOTHING
         RETURNING id)
       INSERT INTO webhook_delivery (message_id, endpoint_id, next_attempt_at)
       SELECT x.message_id, x.endpoint_id, now() FROM matched x JOIN messages s ON s.id = x.message_id
       RETURNING id`,
      [
        rows.map((r) => r.id),
        rows.map((r) => r.type),
        rows.map((r) => r.dedupeKey),
        rows.map((r) => r.programId),
        rows.map((r) => r.unitPath),
        rows.map((r) => r.body),
        rows.map((r) => r.endpointId),
      ],
    );
    return deliveries.length;
  }
}
