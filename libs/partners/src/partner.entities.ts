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
import { PersonEntity } from '../../people/src';
import { ProgramEntity } from '../../programs/src';

export const PARTNER_KINDS = [
  'school',
  'enterprise',
  'online_platform',
  'organisation',
  'government',
] as const;
export type PartnerKind = (typeof PARTNER_KINDS)[number];

export const PARTNER_KIND_NAMES: Record<PartnerKind, string> = {
  school: 'Trường học',
  enterprise: 'Doanh nghiệp',
  online_platform: 'Nền tảng học trực tuyến',
  organisation: 'Tổ chức',
  government: 'Hệ thống của cơ quan nhà nước',
};

export type PartnerStatus = 'active' | 'disabled';

/** A school, enterprise, online platform or the province's own system that calls the partner API. */
@Entity('partner_client')
@Check(
  'ck_partner_client_kind',
  `kind IN ('school', 'enterprise', 'online_platform', 'organisation', 'government')`,
)
@Check('ck_partner_client_status', `status IN ('active', 'disabled')`)
export class PartnerClientEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_partner_client' })
  id!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'varchar', length: 20 })
  kind!: PartnerKind;

  @Column({ name: 'contact_name', type: 'varchar', length: 200, nullable: true })
  contactName!: string | null;

  @Column({ name: 'contact_email', type: 'varchar', length: 200, nullable: true })
  contactEmail!: string | null;

  @Column({ name: 'contact_phone', type: 'varchar', length: 30, nullable: true })
  contactPhone!: string | null;

  /** The unit whose steering members manage the partner; its keys reach no further than this subtree. */
  @Index('ix_partner_client_unit')
  @Column({ name: 'unit_id', type: 'integer' })
  unitId!: number;

  @ManyToOne(() => AdminUnitEntity)
  @JoinColumn({ name: 'unit_id', foreignKeyConstraintName: 'fk_partner_client_unit' })
  unit?: AdminUnitEntity;

  @Column({ type: 'varchar', length: 10, default: 'active' })
  status!: PartnerStatus;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}

/**
 * An API key: the secret is shown once and stored as its SHA-256 (it is 256 random bits, so a fast hash is
 * enough: nothing to brute-force), scoped to programs and a unit subtree, with an expiry, a rate limit, and
 * the key it replaced when it was issued by a rotation.
 */
@Entity('partner_key')
@Unique('uq_partner_key_secret', ['secretHash'])
@Check('ck_partner_key_rate_limit', 'rate_limit > 0')
@Check('ck_partner_key_programs', 'cardinality(program_ids) > 0')
@Index('ix_partner_key_client', ['clientId', 'createdAt'])
export class PartnerKeyEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_partner_key' })
  id!: string;

  @Column({ name: 'client_id', type: 'uuid' })
  clientId!: string;

  @ManyToOne(() => PartnerClientEntity)
  @JoinColumn({ name: 'client_id', foreignKeyConstraintName: 'fk_partner_key_client' })
  client?: PartnerClientEntity;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  /** The key's first characters, shown in lists to tell keys apart (never enough to use it). */
  @Column({ type: 'varchar', length: 20 })
  prefix!: string;

  @Column({ name: 'secret_hash', type: 'varchar', length: 64 })
  secretHash!: string;

  @Column({ name: 'program_ids', type: 'uuid', array: true })
  programIds!: string[];

  @Column({ name: 'unit_id', type: 'integer' })
  unitId!: number;

  @ManyToOne(() => AdminUnitEntity)
  @JoinColumn({ name: 'unit_id', foreignKeyConstraintName: 'fk_partner_key_unit' })
  unit?: AdminUnitEntity;

  /** Calls per minute. */
  @Column({ name: 'rate_limit', type: 'integer', default: 120 })
  rateLimit!: number;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  @Column({ name: 'revoked_reason', type: 'varchar', length: 500, nullable: true })
  revokedReason!: string | null;

  @Column({ name: 'rotated_from_id', type: 'uuid', nullable: true })
  rotatedFromId!: string | null;

  @ManyToOne(() => PartnerKeyEntity, { nullable: true })
  @JoinColumn({ name: 'rotated_from_id', foreignKeyConstraintName: 'fk_partner_key_rotated_from' })
  rotatedFrom?: PartnerKeyEntity;

  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt!: Date | null;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}

/** The current rate window of a key, shared by every API process (one row per key). */
@Entity('partner_rate_window')
export class PartnerRateWindowEntity {
  @PrimaryColumn({ name: 'key_id', type: 'uuid', primaryKeyConstraintName: 'pk_partner_rate_window' })
  keyId!: string;

  @ManyToOne(() => PartnerKeyEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'key_id', foreignKeyConstraintName: 'fk_partner_rate_window_key' })
  key?: PartnerKeyEntity;

  @Column({ name: 'window_start', type: 'timestamptz' })
  windowStart!: Date;

  @Column({ type: 'integer' })
  calls!: number;
}

/** A partner's own id for a person it registered (or that matched one already known). */
@Entity('partner_person')
@Index('ix_partner_person_person', ['personId'])
export class PartnerPersonEntity {
  @PrimaryColumn({ name: 'client_id', type: 'uuid', primaryKeyConstraintName: 'pk_partner_person' })
  clientId!: string;

  @ManyToOne(() => PartnerClientEntity)
  @JoinColumn({ name: 'client_id', foreignKeyConstraintName: 'fk_partner_person_client' })
  client?: PartnerClientEntity;

  @PrimaryColumn({
    name: 'external_id',
    type: 'varchar',
    length: 100,
    primaryKeyConstraintName: 'pk_partner_person',
  })
  externalId!: string;

  @Column({ name: 'person_id', type: 'uuid' })
  personId!: string;

  @ManyToOne(() => PersonEntity)
  @JoinColumn({ name: 'person_id', foreignKeyConstraintName: 'fk_partner_person_person' })
  person?: PersonEntity;

  /** The commune the partner gave: where its records of the person count unless an item says otherwise. */
  @Column({ name: 'commune_id', type: 'integer' })
  communeId!: number;

  @ManyToOne(() => AdminUnitEntity)
  @JoinColumn({ name: 'commune_id', foreignKeyConstraintName: 'fk_partner_person_commune' })
  commune?: AdminUnitEntity;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}

export const LEARNING_KINDS = ['lesson', 'completion', 'outcome'] as const;
export type LearningKind = (typeof LEARNING_KINDS)[number];

/**
 * Online learning a partner recorded: a lesson taken, a level completed, an outcome reported. The KPI facts
 * read these beside class attendance (libs/kpi), so a person counts once whichever way they learned.
 */
@Entity('partner_learning_record')
@Unique('uq_partner_learning_record_item', ['clientId', 'kind', 'itemId'])
@Check('ck_partner_learning_record_kind', `kind IN ('lesson', 'completion', 'outcome')`)
@Check('ck_partner_learning_record_source', `source IN ('api', 'xapi')`)
@Check('ck_partner_learning_record_level', 'level BETWEEN 1 AND 5')
@Check('ck_partner_learning_record_score', 'score BETWEEN 0 AND 100')
@Index('ix_partner_learning_record_person', ['programId', 'personId'])
@Index('ix_partner_learning_record_client', ['clientId', 'receivedAt'])
export class PartnerLearningRecordEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_partner_learning_record' })
  id!: string;

  @Column({ name: 'client_id', type: 'uuid' })
  clientId!: string;

  @ManyToOne(() => PartnerClientEntity)
  @JoinColumn({ name: 'client_id', foreignKeyConstraintName: 'fk_partner_learning_record_client' })
  client?: PartnerClientEntity;

  @Column({ name: 'key_id', type: 'uuid', nullable: true })
  keyId!: string | null;

  /** The partner's own id of the item (an xAPI statement's id): sending it again changes nothing. */
  @Column({ name: 'item_id', type: 'varchar', length: 200 })
  itemId!: string;

  @Column({ type: 'varchar', length: 12 })
  kind!: LearningKind;

  @Column({ type: 'varchar', length: 6 })
  source!: 'api' | 'xapi';

  @Column({ name: 'program_id', type: 'uuid' })
  programId!: string;

  @ManyToOne(() => ProgramEntity)
  @JoinColumn({ name: 'program_id', foreignKeyConstraintName: 'fk_partner_learning_record_program' })
  program?: ProgramEntity;

  @Column({ name: 'person_id', type: 'uuid' })
  personId!: string;

  @ManyToOne(() => PersonEntity)
  @JoinColumn({ name: 'person_id', foreignKeyConstraintName: 'fk_partner_learning_record_person' })
  person?: PersonEntity;

  /** The commune it counts in. */
  @Column({ name: 'unit_id', type: 'integer' })
  unitId!: number;

  @ManyToOne(() => AdminUnitEntity)
  @JoinColumn({ name: 'unit_id', foreignKeyConstraintName: 'fk_partner_learning_record_unit' })
  unit?: AdminUnitEntity;

  @Column({ type: 'smallint', nullable: true })
  level!: number | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  lesson!: string | null;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt!: Date;

  @Column({ name: 'can_apply', type: 'boolean', nullable: true })
  canApply!: boolean | null;

  @Column({ type: 'numeric', precision: 5, scale: 2, nullable: true })
  score!: string | null;

  /** SHA-256 of what the item said: the same id with different content is refused, not overwritten. */
  @Column({ name: 'content_hash', type: 'varchar', length: 64 })
  contentHash!: string;

  @Column({ name: 'received_at', type: 'timestamptz', default: () => 'now()' })
  receivedAt!: Date;

  /** Withdrawn by the partner (an xAPI voiding statement): kept, no longer counted. */
  @Column({ name: 'voided_at', type: 'timestamptz', nullable: true })
  voidedAt!: Date | null;
}

/** The answer to a request sent with an Idempotency-Key, replayed when the same request comes again. */
@Entity('partner_idempotency')
@Index('ix_partner_idempotency_created', ['clientId', 'createdAt'])
export class PartnerIdempotencyEntity {
  @PrimaryColumn({ name: 'client_id', type: 'uuid', primaryKeyConstraintName: 'pk_partner_idempotency' })
  clientId!: string;

  @ManyToOne(() => PartnerClientEntity)
  @JoinColumn({ name: 'client_id', foreignKeyConstraintName: 'fk_partner_idempotency_client' })
  client?: PartnerClientEntity;

  @PrimaryColumn({ type: 'varchar', length: 200, primaryKeyConstraintName: 'pk_partner_idempotency' })
  key!: string;

  /** Method and route the key was first used with. */
  @Column({ type: 'varchar', length: 200 })
  operation!: string;

  @Column({ name: 'request_hash', type: 'varchar', length: 64 })
  requestHash!: string;

  @Column({ type: 'smallint' })
  status!: number;

  /** The answer as it was sent (text: a replay is the same bytes, keys in the same order). */
  @Column({ type: 'text' })
  response!: string;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}

/** An xAPI activity of the partner's platform that stands for a program level (or a lesson of it). */
@Entity('partner_xapi_activity')
@Check('ck_partner_xapi_activity_level', 'level BETWEEN 1 AND 5')
export class PartnerXapiActivityEntity {
  @PrimaryColumn({ name: 'client_id', type: 'uuid', primaryKeyConstraintName: 'pk_partner_xapi_activity' })
  clientId!: string;

  @ManyToOne(() => PartnerClientEntity)
  @JoinColumn({ name: 'client_id', foreignKeyConstraintName: 'fk_partner_xapi_activity_client' })
  client?: PartnerClientEntity;

  @PrimaryColumn({
    name: 'activity_id',
    type: 'varchar',
    length: 500,
    primaryKeyConstraintName: 'pk_partner_xapi_activity',
  })
  activityId!: string;

  @Column({ name: 'program_id', type: 'uuid' })
  programId!: string;

  @ManyToOne(() => ProgramEntity)
  @JoinColumn({ name: 'program_id', foreignKeyConstraintName: 'fk_partner_xapi_activity_program' })
  program?: ProgramEntity;

  @Column({ type: 'smallint' })
  level!: number;

  /** Set when the activity is one lesson of the level (its completion is a lesson, not the level). */
  @Column({ type: 'varchar', length: 200, nullable: true })
  lesson!: string | null;
}
