import {
  Check,
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  Unique,
} from 'typeorm';
import { AdminUnitEntity } from '../../hierarchy/src';
import { PartnerClientEntity } from './partner.entities';

export const WEBHOOK_EVENTS = [
  'completion.recorded',
  'certificate.issued',
  'certificate.revoked',
  'report.approved',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** Not subscribable: sent to one endpoint when someone asks for a test delivery. */
export const WEBHOOK_TEST_EVENT = 'webhook.test';

export const WEBHOOK_EVENT_NAMES: Record<WebhookEvent, string> = {
  'completion.recorded': 'Ghi nhận hoàn thành (tại lớp hoặc trực tuyến)',
  'certificate.issued': 'Cấp giấy chứng nhận',
  'certificate.revoked': 'Thu hồi giấy chứng nhận',
  'report.approved': 'Duyệt báo cáo tiến độ',
};

/**
 * Where a partner (or the province's own system) hears about events: a URL, the events, and the programs and
 * unit subtree they must concern. The signing secret is kept to sign with (it cannot be a hash); after a
 * rotation the previous one also signs until `previous_secret_until`.
 */
@Entity('webhook_endpoint')
@Check('ck_webhook_endpoint_status', `status IN ('active', 'disabled')`)
@Index('ix_webhook_endpoint_client', ['clientId'])
export class WebhookEndpointEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_webhook_endpoint' })
  id!: string;

  @Column({ name: 'client_id', type: 'uuid' })
  clientId!: string;

  @ManyToOne(() => PartnerClientEntity)
  @JoinColumn({ name: 'client_id', foreignKeyConstraintName: 'fk_webhook_endpoint_client' })
  client?: PartnerClientEntity;

  @Column({ type: 'varchar', length: 2000 })
  url!: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  description!: string | null;

  @Column({ type: 'text', array: true })
  events!: string[];

  @Column({ name: 'program_ids', type: 'uuid', array: true })
  programIds!: string[];

  @Column({ name: 'unit_id', type: 'integer' })
  unitId!: number;

  @ManyToOne(() => AdminUnitEntity)
  @JoinColumn({ name: 'unit_id', foreignKeyConstraintName: 'fk_webhook_endpoint_unit' })
  unit?: AdminUnitEntity;

  @Column({ type: 'varchar', length: 100 })
  secret!: string;

  @Column({ name: 'previous_secret', type: 'varchar', length: 100, nullable: true })
  previousSecret!: string | null;

  @Column({ name: 'previous_secret_until', type: 'timestamptz', nullable: true })
  previousSecretUntil!: Date | null;

  @Column({ type: 'varchar', length: 10, default: 'active' })
  status!: 'active' | 'disabled';

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}

/**
 * One event, written in the transaction of the change it reports (so it exists exactly when the change
 * committed), with the body every delivery sends byte for byte. Only written when some endpoint listens.
 */
@Entity('webhook_message')
@Unique('uq_webhook_message_dedupe', ['dedupeKey'])
export class WebhookMessageEntity {
  /** `msg_…`: the `webhook-id` header, the same on every attempt. */
  @PrimaryColumn({ type: 'varchar', length: 40, primaryKeyConstraintName: 'pk_webhook_message' })
  id!: string;

  @Column({ type: 'varchar', length: 40 })
  type!: string;

  /** What the event is about (`certificate.issued:<id>`): the same event is never written twice. */
  @Column({ name: 'dedupe_key', type: 'varchar', length: 200 })
  dedupeKey!: string;

  @Column({ name: 'program_id', type: 'uuid', nullable: true })
  programId!: string | null;

  @Column({ name: 'unit_path', type: 'varchar', length: 200 })
  unitPath!: string;

  @Column({ type: 'text' })
  body!: string;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}

export type DeliveryStatus = 'pending' | 'succeeded' | 'failed';

/** A message to one endpoint: pending until a 2xx, retried with backoff, failed after the last retry. */
@Entity('webhook_delivery')
@Unique('uq_webhook_delivery', ['messageId', 'endpointId'])
@Check('ck_webhook_delivery_status', `status IN ('pending', 'succeeded', 'failed')`)
@Index('ix_webhook_delivery_due', ['nextAttemptAt'], { where: `status = 'pending'` })
@Index('ix_webhook_delivery_endpoint', ['endpointId', 'createdAt'])
export class WebhookDeliveryEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_webhook_delivery' })
  id!: string;

  @Column({ name: 'message_id', type: 'varchar', length: 40 })
  messageId!: string;

  @ManyToOne(() => WebhookMessageEntity)
  @JoinColumn({ name: 'message_id', foreignKeyConstraintName: 'fk_webhook_delivery_message' })
  message?: WebhookMessageEntity;

  @Column({ name: 'endpoint_id', type: 'uuid' })
  endpointId!: string;

  @ManyToOne(() => WebhookEndpointEntity)
  @JoinColumn({ name: 'endpoint_id', foreignKeyConstraintName: 'fk_webhook_delivery_endpoint' })
  endpoint?: WebhookEndpointEntity;

  @Column({ type: 'varchar', length: 10, default: 'pending' })
  status!: DeliveryStatus;

  @Column({ type: 'smallint', default: 0 })
  attempts!: number;

  @Column({ name: 'next_attempt_at', type: 'timestamptz', nullable: true })
  nextAttemptAt!: Date | null;

  /** A dispatcher holds the delivery until then while its request is in flight (then it is free again). */
  @Column({ name: 'locked_until', type: 'timestamptz', nullable: true })
  lockedUntil!: Date | null;

  /** The next attempt was asked for by a person (a redelivery), not by the retry schedule. */
  @Column({ type: 'boolean', default: false })
  manual!: boolean;

  @Column({ name: 'last_status', type: 'smallint', nullable: true })
  lastStatus!: number | null;

  @Column({ name: 'last_error', type: 'varchar', length: 500, nullable: true })
  lastError!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'delivered_at', type: 'timestamptz', nullable: true })
  deliveredAt!: Date | null;
}

/** Every attempt of a delivery: the delivery log. */
@Entity('webhook_attempt')
@Check('ck_webhook_attempt_trigger', `trigger IN ('auto', 'manual')`)
@Index('ix_webhook_attempt_delivery', ['deliveryId', 'id'])
export class WebhookAttemptEntity {
  @PrimaryGeneratedColumn('identity', {
    type: 'bigint',
    generatedIdentity: 'ALWAYS',
    primaryKeyConstraintName: 'pk_webhook_attempt',
  })
  id!: string;

  @Column({ name: 'delivery_id', type: 'uuid' })
  deliveryId!: string;

  @ManyToOne(() => WebhookDeliveryEntity)
  @JoinColumn({ name: 'delivery_id', foreignKeyConstraintName: 'fk_webhook_attempt_delivery' })
  delivery?: WebhookDeliveryEntity;

  @Column({ type: 'smallint' })
  attempt!: number;

  /** 'manual': a redelivery someone asked for. */
  @Column({ type: 'varchar', length: 10 })
  trigger!: 'auto' | 'manual';

  @Column({ type: 'timestamptz' })
  at!: Date;

  /** The endpoint's HTTP status (null: no answer — refused, timed out). */
  @Column({ type: 'smallint', nullable: true })
  status!: number | null;

  @Column({ name: 'duration_ms', type: 'integer' })
  durationMs!: number;

  @Column({ type: 'varchar', length: 500, nullable: true })
  error!: string | null;

  /** The start of the endpoint's answer, for the partner's own debugging. */
  @Column({ type: 'varchar', length: 1000, nullable: true })
  response!: string | null;
}
