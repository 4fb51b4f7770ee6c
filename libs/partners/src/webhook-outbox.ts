import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { JobService } from '../../jobs/src';
import { WEBHOOK_TEST_EVENT, WebhookEvent } from './webhook.entities';
import { OutboxMessage, WebhookOutboxRepository } from './webhook-outbox.repository';

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
  constructor(
    private readonly jobs: JobService,
    private readonly repository: WebhookOutboxRepository,
  ) {}

  /** Whether any endpoint listens at all (when none does, events are not even built). */
  async listening(m: EntityManager): Promise<boolean> {
    return this.repository.anyActiveEndpoint(m);
  }

  async emit(m: EntityManager, events: OutboundEvent[]): Promise<number> {
    if (!events.length || !(await this.listening(m))) return 0;
    const unitIds = [...new Set(events.map((e) => e.unitId).filter((id): id is number => id !== undefined))];
    const found = unitIds.length ? await this.repository.units(m, unitIds) : [];
    const units = new Map(found.map((u) => [u.id, { code: u.code, fullName: u.fullName }]));
    const rows = events.map((e): OutboxMessage => ({
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
    const deliveries = await this.repository.insert(m, rows);
    if (deliveries > 0) await this.jobs.schedule(m, DELIVER_JOB, new Date());
    return deliveries;
  }
}
