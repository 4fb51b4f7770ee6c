import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { pagedQuery, returning } from '../../platform/src';
import { DeliveryStatus } from './webhook.entities';

export interface EndpointRow {
  id: string;
  clientId: string;
  url: string;
  description: string | null;
  events: string[];
  programIds: string[];
  programs: { id: string; code: string; name: string }[];
  unitId: number;
  unitCode: string;
  unitName: string;
  unitPath: string;
  status: 'active' | 'disabled';
  previousSecretUntil: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface EndpointWrite {
  url: string;
  description: string | null;
  events: string[];
  programIds: string[];
  unitId: number;
  status: 'active' | 'disabled';
}

/** A delivery claimed for sending, with what it takes to send it. */
export interface ClaimedDelivery {
  id: string;
  messageId: string;
  endpointId: string;
  attempts: number;
  manual: boolean;
  url: string;
  body: string;
  secret: string;
  previousSecret: string | null;
  previousSecretUntil: Date | null;
}

export interface AttemptOutcome {
  at: Date;
  status: number | null;
  ok: boolean;
  durationMs: number;
  error: string | null;
  response: string | null;
}

export interface DeliveryRow {
  id: string;
  messageId: string;
  type: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: Date | null;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: Date;
  deliveredAt: Date | null;
}

export interface AttemptRow {
  attempt: number;
  trigger: 'auto' | 'manual';
  at: Date;
  status: number | null;
  durationMs: number;
  error: string | null;
  response: string | null;
}

const ENDPOINT_SELECT = `
  SELECT e.id, e.client_id AS "clientId", e.url, e.description, e.events, e.program_ids AS "programIds",
         coalesce((SELECT json_agg(json_build_object('id', g.id, 'code', g.code, 'name', g.name) ORDER BY g.code)
                     FROM program g WHERE g.id = ANY (e.program_ids)), '[]') AS programs,
         e.unit_id AS "unitId", u.code AS "unitCode", u.full_name AS "unitName", u.path AS "unitPath", e.status,
         e.previous_secret_until AS "previousSecretUntil", e.created_at AS "createdAt", e.updated_at AS "updatedAt"
    FROM webhook_endpoint e JOIN admin_unit u ON u.id = e.unit_id`;

const DELIVERY_SELECT = `
  SELECT d.id, d.message_id AS "messageId", m.type, d.status, d.attempts, d.next_attempt_at AS "nextAttemptAt",
         d.last_status AS "lastStatus", d.last_error AS "lastError", d.created_at AS "createdAt",
         d.delivered_at AS "deliveredAt"
    FROM webhook_delivery d JOIN webhook_message m ON m.id = d.message_id`;

@Injectable()
export class WebhookRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insertEndpoint(
    m: EntityManager,
    clientId: string,
    endpoint: EndpointWrite,
    secret: string,
    createdBy: string,
  ): Promise<string> {
    const [row]: { id: string }[] = await m.query(
      `INSERT INTO webhook_endpoint (client_id, url, description, events, program_ids, unit_id, status, secret, created_by)
       VALUES ($1, $2, $3, $4::text[], $5::uuid[], $6, $7, $8, $9) RETURNING id`,
      [
        clientId,
        endpoint.url,
        endpoint.description,
        endpoint.events,
        endpoint.programIds,
        endpoint.unitId,
        endpoint.status,
        secret,
        createdBy,
      ],
    );
    return row.id;
  }

  async updateEndpoint(m: EntityManager, id: string, endpoint: EndpointWrite): Promise<void> {
    await m.query(
      `UPDATE webhook_endpoint SET url = $2, description = $3, events = $4::text[], program_ids = $5::uuid[],
              unit_id = $6, status = $7, updated_at = now()
        WHERE id = $1`,
      [
        id,
        endpoint.url,
        endpoint.description,
        endpoint.events,
        endpoint.programIds,
        endpoint.unitId,
        endpoint.status,
      ],
    );
  }

  /** A new secret; the old one keeps signing (beside it) until `until`. */
  async rotateSecret(m: EntityManager, id: string, secret: string, until: Date): Promise<void> {
    await m.query(
      `UPDATE webhook_endpoint SET previous_secret = secret, previous_secret_until = $3, secret = $2, updated_at = now()
        WHERE id = $1`,
      [id, secret, until],
    );
  }

  async listEndpoints(clientId: string): Promise<EndpointRow[]> {
    return this.dataSource.query(`${ENDPOINT_SELECT} WHERE e.client_id = $1 ORDER BY e.created_at, e.id`, [
      clientId,
    ]);
  }

  async findEndpoint(
    clientId: string,
    id: string,
    m: EntityManager = this.dataSource.manager,
  ): Promise<EndpointRow | null> {
    const rows: EndpointRow[] = await m.query(`${ENDPOINT_SELECT} WHERE e.client_id = $1 AND e.id = $2`, [
      clientId,
      id,
    ]);
    return rows[0] ?? null;
  }

  async listDeliveries(
    endpointId: string,
    status: DeliveryStatus | undefined,
    limit: number,
    offset: number,
  ) {
    return pagedQuery<DeliveryRow>(
      this.dataSource,
      `${DELIVERY_SELECT} WHERE d.endpoint_id = $1 AND ($2::text IS NULL OR d.status = $2)`,
      [endpointId, status ?? null],
      '"createdAt" DESC, id',
      limit,
      offset,
    );
  }

  async findDelivery(
    endpointId: string,
    id: string,
    m: EntityManager = this.dataSource.manager,
  ): Promise<(DeliveryRow & { body: string }) | null> {
    const rows: (DeliveryRow & { body: string })[] = await m.query(
      `SELECT x.*, m.body FROM (${DELIVERY_SELECT} WHERE d.endpoint_id = $1 AND d.id = $2) x
         JOIN webhook_message m ON m.id = x."messageId"`,
      [endpointId, id],
    );
    return rows[0] ?? null;
  }

  /** The delivery of the message with this dedupe key (a test event, sent to one endpoint). */
  async deliveryByDedupeKey(dedupeKey: string): Promise<DeliveryRow> {
    const [delivery]: DeliveryRow[] = await this.dataSource.query(
      `${DELIVERY_SELECT} WHERE m.dedupe_key = $1`,
      [dedupeKey],
    );
    return delivery;
  }

  async attempts(deliveryId: string): Promise<AttemptRow[]> {
    return this.dataSource.query(
      `SELECT attempt, trigger, at, status, duration_ms AS "durationMs", error, response
         FROM webhook_attempt WHERE delivery_id = $1 ORDER BY id`,
      [deliveryId],
    );
  }

  /** Sends a delivery again as soon as a dispatcher is free: a person asked for it. */
  async redeliver(m: EntityManager, id: string): Promise<void> {
    await m.query(
      `UPDATE webhook_delivery SET status = 'pending', next_attempt_at = now(), manual = true WHERE id = $1`,
      [id],
    );
  }

  /**
   * Claims due deliveries for sending: at most `limit`, and at most `perEndpoint` to any one endpoint (one slow
   * receiver does not take the whole round). Each is held for `holdSeconds` — longer than a request may take —
   * so no other dispatcher sends it meanwhile; no transaction stays open while requests are in flight.
   * Served by ix_webhook_delivery_due.
   */
  async claim(limit: number, perEndpoint: number, holdSeconds: number): Promise<ClaimedDelivery[]> {
    const claimed = await returning<{ id: string }>(
      this.dataSource,
      `WITH due AS (
         SELECT d.id, row_number() OVER (PARTITION BY d.endpoint_id ORDER BY d.next_attempt_at, d.id) AS n
           FROM webhook_delivery d
          WHERE d.status = 'pending' AND d.next_attempt_at <= now()
            AND (d.locked_until IS NULL OR d.locked_until < now())
          ORDER BY d.next_attempt_at LIMIT 1000),
       picked AS (
         SELECT d.id FROM webhook_delivery d JOIN due ON due.id = d.id
          WHERE due.n <= $2 ORDER BY d.next_attempt_at, d.id LIMIT $1 FOR UPDATE OF d SKIP LOCKED)
       UPDATE webhook_delivery d SET locked_until = now() + make_interval(secs => $3)
         FROM picked WHERE d.id = picked.id
       RETURNING d.id`,
      [limit, perEndpoint, holdSeconds],
    );
    if (!claimed.length) return [];
    return this.dataSource.query(
      `SELECT d.id, d.message_id AS "messageId", d.endpoint_id AS "endpointId", d.attempts, d.manual, e.url, m.body,
              e.secret, e.previous_secret AS "previousSecret", e.previous_secret_until AS "previousSecretUntil"
         FROM webhook_delivery d JOIN webhook_message m ON m.id = d.message_id
         JOIN webhook_endpoint e ON e.id = d.endpoint_id
        WHERE d.id = ANY ($1::uuid[])`,
      [claimed.map((c) => c.id)],
    );
  }

  /**
   * Logs an attempt and decides what follows: delivered; another try after `retryAfterSeconds`; or, with no
   * retry left (null), failed. After a failure the endpoint's other due deliveries wait as long too (without
   * counting an attempt): a dead endpoint is tried once per round of the schedule, not once per message.
   */
  async recordAttempt(
    d: ClaimedDelivery,
    outcome: AttemptOutcome,
    retryAfterSeconds: number | null,
  ): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      await m.query(
        `INSERT INTO webhook_attempt (delivery_id, attempt, trigger, at, status, duration_ms, error, response)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [
          d.id,
          d.attempts + 1,
          d.manual ? 'manual' : 'auto',
          outcome.at,
          outcome.status,
          Math.round(outcome.durationMs),
          outcome.error?.slice(0, 500) ?? null,
          outcome.response?.slice(0, 1000) ?? null,
        ],
      );
      const next =
        outcome.ok || retryAfterSeconds === null ? null : new Date(Date.now() + retryAfterSeconds * 1000);
      await m.query(
        `UPDATE webhook_delivery
            SET attempts = attempts + 1, last_status = $2, last_error = $3, locked_until = NULL, manual = false,
                status = $4::varchar, next_attempt_at = $5,
                delivered_at = CASE WHEN $4::varchar = 'succeeded' THEN $6 ELSE delivered_at END
          WHERE id = $1`,
        [
          d.id,
          outcome.status,
          outcome.ok ? null : (outcome.error?.slice(0, 500) ?? null),
          outcome.ok ? 'succeeded' : next ? 'pending' : 'failed',
          next,
          outcome.at,
        ],
      );
      if (next) {
        await m.query(
          `UPDATE webhook_delivery SET next_attempt_at = $3
            WHERE endpoint_id = $1 AND id <> $2 AND status = 'pending' AND NOT manual
              AND next_attempt_at < $3 AND (locked_until IS NULL OR locked_until < now())`,
          [d.endpointId, d.id, next],
        );
      }
    });
  }

  /** When the next pending delivery falls due (null: none pending). */
  async nextDue(): Promise<Date | null> {
    const [row]: { at: Date | null }[] = await this.dataSource.query(
      `SELECT min(greatest(next_attempt_at, coalesce(locked_until, next_attempt_at))) AS at
         FROM webhook_delivery WHERE status = 'pending'`,
    );
    return row.at ? new Date(row.at) : null;
  }
}
