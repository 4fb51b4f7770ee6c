import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { AdminUnitEntity, OrganisationEntity } from '../../hierarchy/src';

export type Gender = 'male' | 'female' | 'other';

/**
 * A learner: one record per real person, however many classes they attend. Merged-away records stay, with
 * merged_into_id pointing at the survivor, so that the trail and old references still resolve.
 */
@Entity('person')
@Check('ck_person_gender', `gender IN ('male', 'female', 'other')`)
@Check('ck_person_birth_year', 'birth_year BETWEEN 1900 AND 2100')
@Check('ck_person_cccd', `cccd ~ '^[0-9]{12}$'`)
@Check('ck_person_phone', `phone ~ '^\\+84[0-9]{9,10}$'`)
@Index('ux_person_cccd', { synchronize: false })
@Index('ix_person_phone', { synchronize: false })
@Index('ix_person_name_search', { synchronize: false })
@Index('ix_person_name', ['nameKey', 'birthYear', 'communeId'])
@Index('ix_person_swapped_name', ['swappedNameKey', 'birthYear'])
@Index('ix_person_sort', ['sortKey', 'id'])
export class PersonEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_person' })
  id!: string;

  /** NFC. */
  @Column({ name: 'full_name', type: 'varchar', length: 200 })
  fullName!: string;

  /** The name folded (no diacritics, lower case): duplicate detection and search. */
  @Column({ name: 'name_key', type: 'varchar', length: 200 })
  nameKey!: string;

  /** The folded name with its first and last words swapped ("an van nguyen" for "Nguyễn Văn An"). */
  @Column({ name: 'swapped_name_key', type: 'varchar', length: 200 })
  swappedNameKey!: string;

  @Column({ name: 'sort_key', type: 'text', collation: 'C' })
  sortKey!: string;

  @Column({ name: 'birth_date', type: 'date', nullable: true })
  birthDate!: string | null;

  @Column({ name: 'birth_year', type: 'smallint' })
  birthYear!: number;

  @Column({ type: 'varchar', length: 10 })
  gender!: Gender;

  @Index('ix_person_commune')
  @Column({ name: 'commune_id', type: 'integer' })
  communeId!: number;

  @ManyToOne(() => AdminUnitEntity)
  @JoinColumn({ name: 'commune_id', foreignKeyConstraintName: 'fk_person_commune' })
  commune?: AdminUnitEntity;

  @Column({ type: 'varchar', length: 40 })
  segment!: string;

  @Index('ix_person_organisation')
  @Column({ name: 'organisation_id', type: 'uuid', nullable: true })
  organisationId!: string | null;

  @ManyToOne(() => OrganisationEntity, { nullable: true })
  @JoinColumn({ name: 'organisation_id', foreignKeyConstraintName: 'fk_person_organisation' })
  organisation?: OrganisationEntity;

  @Column({ type: 'varchar', length: 12, nullable: true })
  cccd!: string | null;

  /** E.164: +84… */
  @Column({ type: 'varchar', length: 16, nullable: true })
  phone!: string | null;

  @Index('ix_person_merged_into')
  @Column({ name: 'merged_into_id', type: 'uuid', nullable: true })
  mergedIntoId!: string | null;

  @ManyToOne(() => PersonEntity, { nullable: true })
  @JoinColumn({ name: 'merged_into_id', foreignKeyConstraintName: 'fk_person_merged_into' })
  mergedInto?: PersonEntity;

  @Index('ix_person_created_by')
  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}

export type DuplicateReason = 'same_name' | 'same_phone' | 'swapped_name';

/** The review queue of likely duplicates (pairs ordered by id so each pair is stored once per reason). */
@Entity('person_duplicate')
@Unique('uq_person_duplicate', ['personId', 'otherPersonId', 'reason'])
@Check('ck_person_duplicate_order', 'person_id < other_person_id')
@Check('ck_person_duplicate_reason', `reason IN ('same_name', 'same_phone', 'swapped_name')`)
@Check('ck_person_duplicate_status', `status IN ('open', 'dismissed', 'merged')`)
@Index('ix_person_duplicate_status', ['status', 'createdAt'])
export class PersonDuplicateEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_person_duplicate' })
  id!: string;

  @Column({ name: 'person_id', type: 'uuid' })
  personId!: string;

  @ManyToOne(() => PersonEntity)
  @JoinColumn({ name: 'person_id', foreignKeyConstraintName: 'fk_person_duplicate_person' })
  person?: PersonEntity;

  @Index('ix_person_duplicate_other')
  @Column({ name: 'other_person_id', type: 'uuid' })
  otherPersonId!: string;

  @ManyToOne(() => PersonEntity)
  @JoinColumn({ name: 'other_person_id', foreignKeyConstraintName: 'fk_person_duplicate_other' })
  otherPerson?: PersonEntity;

  @Column({ type: 'varchar', length: 20 })
  reason!: DuplicateReason;

  @Column({ type: 'varchar', length: 10, default: 'open' })
  status!: 'open' | 'dismissed' | 'merged';

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'resolved_by', type: 'uuid', nullable: true })
  resolvedBy!: string | null;

  @Column({ name: 'resolved_at', type: 'timestamptz', nullable: true })
  resolvedAt!: Date | null;
}

export const PEOPLE_ENTITIES = [PersonEntity, PersonDuplicateEntity];
