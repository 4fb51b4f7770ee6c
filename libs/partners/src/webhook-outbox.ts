import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { JobService } from '../../jobs/src';
import { WEBHOOK_TEST_EVENT, WebhookEvent } from './webhook.entities';

export const DELIVER_JOB = 'webhooks.deliver';

/** Something that happened, to be told to the endpoints that listen for it. */
export interface OutboundEvent {
  type: WebhookEvent | typeof WEBHOOK_TEST_EVENT;
  /** What the event is about (`certificate.issued:<id>`): the same key is never sent twice. */
  dedupeKey: string;
  programId: string | null;
  /** Where it happened: endpoints of this subtree (or above) hear of it. */
  unitPath: string;
  /** Also given to the receiver as `data.unit` (code and name). */
  unitId?: number;
  occurredAt: Date;
  data: Record<string, unknown>;
  /** Only to this endpoint, whatever it listens for (a test delivery). */
  endpointId?: string;
}

/** `msg_` and 22 base64url characters (128 random bits): the `webhook-id` of every attempt. */
export function messageId(): string {
  return `msg_${randomBytes(16).toString('base64url')}`;
}

/**
 * The transactional outbox of webhooks: an event is written (with a delivery per listening endpoint) in the
 * transaction of the change it reports, so it is sent if and only if the change committed — and never in the
 * request path: a `webhooks.deliver` job sends it. When no active endpoint exists, this costs one indexed
 * read.
 */
@Injectable()
export class WebhookOutbox {
  constructor(private readonly jobs: JobService) {}

  /** Whether any endpoint listens at all (when none does, events are not even built). */
  async listening(m: EntityManager): Promise<boolean> {
    const rows: unknown[] = await m.query(`SELECT 1 FROM webhook_endpoint WHERE status = 'active' LIMIT 1`);
    return rows.length > 0;
  }

  async emit(m: EntityManager, events: OutboundEvent[]): Promise<number> {
    if (!events.length || !(await this.listening(m))) return 0;
    const unitIds = [...new Set(events.map((e) => e.unitId).filter((id): id is number => id !== undefined))];
    const found: { id: number; code: string; fullName: string }[] = unitIds.length
      ? await m.query(`SELECT id, code, full_name AS "fullName" FROM admin_unit WHERE id = ANY ($1::int[])`, [
          unitIds,
        ])
      : [];
    const units = new Map(found.map((u) => [u.id, { code: u.code, fullName: u.fullName }]));
    const rows = events.map((e) => ({
      id: messageId(),
      type: e.type,
      dedupeKey: e.dedupeKey.slice(0, 200),
      programId: e.programId,
      unitPath: e.unitPath,
      endpointId: e.endpointId ?? null,
      body: JSON.stringify({
        type: e.type,
        timestamp: e.occurredAt.toISOString(),
        data: e.unitId === undefined ? e.data : { ...e.data, unit: units.get(e.unitId) ?? null },
      }),
    }));
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
    if (deliveries.length) await this.jobs.schedule(m, DELIVER_JOB, new Date());
    return deliveries.length;
  }
}
