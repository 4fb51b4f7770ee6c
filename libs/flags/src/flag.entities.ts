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
import { TrainingClassEntity } from '../../classes/src';
import { PersonEntity } from '../../people/src';
import { ProgramEntity } from '../../programs/src';

/**
 * A pattern of records that is probably not real, raised when the records arrive (flag-detector.ts). One row
 * per subject (a session, a class, a person's pair of classes, a phone number, a partner), updated in place
 * while it stays open; a reviewer's decision is kept on it and can be reversed.
 */
@Entity('data_flag')
@Unique('uq_data_flag_subject', ['programId', 'pattern', 'subjectKey'])
@Check('ck_data_flag_severity', `severity IN ('low', 'medium', 'high')`)
@Check('ck_data_flag_status', `status IN ('open', 'cleared', 'excluded', 'resolved')`)
@Check('ck_data_flag_decision', `status = 'open' OR (decided_at IS NOT NULL AND decision_reason IS NOT NULL)`)
@Index('ix_data_flag_queue', ['programId', 'status', 'raisedAt'])
export class DataFlagEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_data_flag' })
  id!: string;

  @Column({ name: 'program_id', type: 'uuid' })
  programId!: string;

  @ManyToOne(() => ProgramEntity)
  @JoinColumn({ name: 'program_id', foreignKeyConstraintName: 'fk_data_flag_program' })
  program?: ProgramEntity;

  @Column({ type: 'varchar', length: 40 })
  pattern!: string;

  @Column({ name: 'subject_key', type: 'varchar', length: 300 })
  subjectKey!: string;

  @Column({ type: 'varchar', length: 10 })
  severity!: string;

  /** Where the flag is reviewed: the class's unit, or the program's owner unit for a partner. */
  @Column({ name: 'unit_id', type: 'integer' })
  unitId!: number;

  @Index('ix_data_flag_class')
  @Column({ name: 'class_id', type: 'uuid', nullable: true })
  classId!: string | null;

  @ManyToOne(() => TrainingClassEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'class_id', foreignKeyConstraintName: 'fk_data_flag_class' })
  trainingClass?: TrainingClassEntity;

  @Index('ix_data_flag_trainer')
  @Column({ name: 'trainer_id', type: 'uuid', nullable: true })
  trainerId!: string | null;

  @Column({ name: 'partner_client_id', type: 'uuid', nullable: true })
  partnerClientId!: string | null;

  @Column({ type: 'jsonb' })
  evidence!: unknown;

  @Column({ type: 'integer', default: 0 })
  records!: number;

  @Column({ type: 'varchar', length: 10, default: 'open' })
  status!: string;

  @Column({ name: 'raised_at', type: 'timestamptz', default: () => 'now()' })
  raisedAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;

  @Column({ name: 'decided_by', type: 'uuid', nullable: true })
  decidedBy!: string | null;

  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt!: Date | null;

  @Column({ name: 'decision_reason', type: 'varchar', length: 1000, nullable: true })
  decisionReason!: string | null;

  @Column({ type: 'varchar', length: 2000, nullable: true })
  explanation!: string | null;

  @Column({ name: 'explained_by', type: 'uuid', nullable: true })
  explainedBy!: string | null;

  @Column({ name: 'explained_at', type: 'timestamptz', nullable: true })
  explainedAt!: Date | null;
}

/** A person whose records a flag questions (in `class_id`, or through a partner when it is null). */
@Entity('data_flag_record')
export class DataFlagRecordEntity {
  @PrimaryColumn({ name: 'flag_id', type: 'uuid', primaryKeyConstraintName: 'pk_data_flag_record' })
  flagId!: string;

  @ManyToOne(() => DataFlagEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'flag_id', foreignKeyConstraintName: 'fk_data_flag_record_flag' })
  flag?: DataFlagEntity;

  @Index('ix_data_flag_record_person')
  @PrimaryColumn({ name: 'person_id', type: 'uuid', primaryKeyConstraintName: 'pk_data_flag_record' })
  personId!: string;

  @ManyToOne(() => PersonEntity)
  @JoinColumn({ name: 'person_id', foreignKeyConstraintName: 'fk_data_flag_record_person' })
  person?: PersonEntity;

  @Column({ name: 'class_id', type: 'uuid', nullable: true })
  classId!: string | null;
}

/** A program's threshold, severity and switch for one pattern (defaults in flag-patterns.ts). */
@Entity('data_flag_setting')
@Check('ck_data_flag_setting_severity', `severity IN ('low', 'medium', 'high')`)
@Check('ck_data_flag_setting_threshold', 'threshold >= 0')
export class DataFlagSettingEntity {
  @PrimaryColumn({ name: 'program_id', type: 'uuid', primaryKeyConstraintName: 'pk_data_flag_setting' })
  programId!: string;

  @ManyToOne(() => ProgramEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'program_id', foreignKeyConstraintName: 'fk_data_flag_setting_program' })
  program?: ProgramEntity;

  @PrimaryColumn({ type: 'varchar', length: 40, primaryKeyConstraintName: 'pk_data_flag_setting' })
  pattern!: string;

  @Column({ type: 'boolean', default: true })
  enabled!: boolean;

  @Column({ type: 'numeric', precision: 12, scale: 3 })
  threshold!: string;

  @Column({ type: 'varchar', length: 10 })
  severity!: string;

  @Column({ name: 'updated_by', type: 'uuid', nullable: true })
  updatedBy!: string | null;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}

/**
 * Marks whose flags are still to be evaluated, stored in the transaction that wrote them: the (class, person)
 * pairs they changed, for the detector's job (flag-detector.ts).
 */
@Entity('data_flag_outbox')
export class DataFlagOutboxEntity {
  @PrimaryGeneratedColumn('identity', {
    type: 'bigint',
    generatedIdentity: 'ALWAYS',
    primaryKeyConstraintName: 'pk_data_flag_outbox',
  })
  id!: string;

  @Column({ name: 'class_ids', type: 'uuid', array: true })
  classIds!: string[];

  @Column({ name: 'person_ids', type: 'uuid', array: true })
  personIds!: string[];

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}

export const FLAG_ENTITIES = [
  DataFlagEntity,
  DataFlagRecordEntity,
  DataFlagSettingEntity,
  DataFlagOutboxEntity,
];
