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
import { TrainerEntity } from '../../trainers/src';

export const CLASS_KINDS = ['citizen', 'training_of_trainers'] as const;
export const VENUE_TYPES = [
  'cultural_house',
  'library',
  'community_learning_centre',
  'commune_committee',
  'school',
  'online',
  'other',
] as const;
export const CLASS_MODES = ['in_person', 'online', 'blended'] as const;
export const CLASS_STATUSES = ['draft', 'scheduled', 'in_progress', 'completed', 'cancelled'] as const;
export const ATTENDANCE_STATUSES = ['present', 'late', 'excused', 'absent'] as const;
export const ATTENDANCE_METHODS = ['roster', 'qr', 'import', 'offline_sync', 'api'] as const;

export type ClassKind = (typeof CLASS_KINDS)[number];
export type ClassStatus = (typeof CLASS_STATUSES)[number];
export type AttendanceStatus = (typeof ATTENDANCE_STATUSES)[number];
export type AttendanceMethod = (typeof ATTENDANCE_METHODS)[number];

@Entity('training_class')
@Check('ck_training_class_level', 'level BETWEEN 1 AND 5')
@Check('ck_training_class_kind', `kind IN ('citizen', 'training_of_trainers')`)
@Check(
  'ck_training_class_venue',
  `venue_type IN ('cultural_house', 'library', 'community_learning_centre', 'commune_committee', 'school', 'online', 'other')`,
)
@Check('ck_training_class_mode', `mode IN ('in_person', 'online', 'blended')`)
@Check('ck_training_class_capacity', 'capacity BETWEEN 1 AND 1000')
@Check(
  'ck_training_class_status',
  `status IN ('draft', 'scheduled', 'in_progress', 'completed', 'cancelled')`,
)
@Check('ck_training_class_enrolled', 'enrolled_count >= 0 AND enrolled_count <= capacity')
@Index('ix_training_class_program', ['programId', 'status'])
export class TrainingClassEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_training_class' })
  id!: string;

  @Column({ name: 'program_id', type: 'uuid' })
  programId!: string;

  @ManyToOne(() => ProgramEntity)
  @JoinColumn({ name: 'program_id', foreignKeyConstraintName: 'fk_training_class_program' })
  program?: ProgramEntity;

  @Column({ type: 'smallint' })
  level!: number;

  @Column({ type: 'varchar', length: 30 })
  kind!: ClassKind;

  @Column({ type: 'varchar', length: 300 })
  title!: string;

  @Index('ix_training_class_lead')
  @Column({ name: 'lead_trainer_id', type: 'uuid' })
  leadTrainerId!: string;

  @ManyToOne(() => TrainerEntity)
  @JoinColumn({ name: 'lead_trainer_id', foreignKeyConstraintName: 'fk_training_class_lead' })
  leadTrainer?: TrainerEntity;

  @Index('ix_training_class_unit')
  @Column({ name: 'unit_id', type: 'integer' })
  unitId!: number;

  @ManyToOne(() => AdminUnitEntity)
  @JoinColumn({ name: 'unit_id', foreignKeyConstraintName: 'fk_training_class_unit' })
  unit?: AdminUnitEntity;

  @Column({ name: 'venue_type', type: 'varchar', length: 40 })
  venueType!: string;

  @Column({ name: 'venue_address', type: 'varchar', length: 500, nullable: true })
  venueAddress!: string | null;

  @Column({ type: 'varchar', length: 20 })
  mode!: string;

  @Column({ type: 'integer' })
  capacity!: number;

  @Column({ name: 'target_segment', type: 'varchar', length: 40, nullable: true })
  targetSegment!: string | null;

  @Column({ type: 'varchar', length: 20, default: 'draft' })
  status!: ClassStatus;

  /** Kept with enrolments under the class row's lock: capacity is never exceeded, whatever the concurrency. */
  @Column({ name: 'enrolled_count', type: 'integer', default: 0 })
  enrolledCount!: number;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}

@Entity('class_assistant')
export class ClassAssistantEntity {
  @PrimaryColumn({ name: 'class_id', type: 'uuid', primaryKeyConstraintName: 'pk_class_assistant' })
  classId!: string;

  @ManyToOne(() => TrainingClassEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'class_id', foreignKeyConstraintName: 'fk_class_assistant_class' })
  trainingClass?: TrainingClassEntity;

  @Index('ix_class_assistant_trainer')
  @PrimaryColumn({ name: 'trainer_id', type: 'uuid', primaryKeyConstraintName: 'pk_class_assistant' })
  trainerId!: string;

  @ManyToOne(() => TrainerEntity)
  @JoinColumn({ name: 'trainer_id', foreignKeyConstraintName: 'fk_class_assistant_trainer' })
  trainer?: TrainerEntity;
}

@Entity('class_session')
@Unique('uq_class_session_position', ['classId', 'position'])
@Check('ck_class_session_times', 'ends_at > starts_at')
export class ClassSessionEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_class_session' })
  id!: string;

  @Column({ name: 'class_id', type: 'uuid' })
  classId!: string;

  @ManyToOne(() => TrainingClassEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'class_id', foreignKeyConstraintName: 'fk_class_session_class' })
  trainingClass?: TrainingClassEntity;

  @Column({ type: 'smallint' })
  position!: number;

  @Column({ name: 'starts_at', type: 'timestamptz' })
  startsAt!: Date;

  @Column({ name: 'ends_at', type: 'timestamptz' })
  endsAt!: Date;
}

@Entity('enrolment')
@Unique('uq_enrolment_class_person', ['classId', 'personId'])
@Check('ck_enrolment_status', `status IN ('enrolled', 'completed', 'withdrawn')`)
@Check('ck_enrolment_completed', `(status = 'completed') = (completed_at IS NOT NULL)`)
@Check('ck_enrolment_score', 'outcome_score IS NULL OR outcome_score BETWEEN 0 AND 100')
export class EnrolmentEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_enrolment' })
  id!: string;

  @Column({ name: 'class_id', type: 'uuid' })
  classId!: string;

  @ManyToOne(() => TrainingClassEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'class_id', foreignKeyConstraintName: 'fk_enrolment_class' })
  trainingClass?: TrainingClassEntity;

  @Index('ix_enrolment_person')
  @Column({ name: 'person_id', type: 'uuid' })
  personId!: string;

  @ManyToOne(() => PersonEntity)
  @JoinColumn({ name: 'person_id', foreignKeyConstraintName: 'fk_enrolment_person' })
  person?: PersonEntity;

  @Column({ type: 'varchar', length: 20, default: 'enrolled' })
  status!: 'enrolled' | 'completed' | 'withdrawn';

  @Column({ name: 'walk_in', type: 'boolean', default: false })
  walkIn!: boolean;

  @Column({ name: 'attended_sessions', type: 'smallint', default: 0 })
  attendedSessions!: number;

  /** When the completion rule was met: the start of the session that met it. */
  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt!: Date | null;

  @Column({ name: 'outcome_can_apply', type: 'boolean', nullable: true })
  outcomeCanApply!: boolean | null;

  @Column({ name: 'outcome_score', type: 'numeric', precision: 5, scale: 2, nullable: true })
  outcomeScore!: string | null;

  @Column({ name: 'outcome_recorded_at', type: 'timestamptz', nullable: true })
  outcomeRecordedAt!: Date | null;

  @Column({ name: 'enrolled_by', type: 'uuid', nullable: true })
  enrolledBy!: string | null;

  @Column({ name: 'enrolled_at', type: 'timestamptz', default: () => 'now()' })
  enrolledAt!: Date;
}

@Entity('attendance')
@Check('ck_attendance_status', `status IN ('present', 'late', 'excused', 'absent')`)
@Check('ck_attendance_version', 'version > 0')
@Check('ck_attendance_checked_in', `checked_in_at IS NULL OR status IN ('present', 'late')`)
@Check('ck_attendance_method', `method IN ('roster', 'qr', 'import', 'offline_sync', 'api')`)
@Index('ix_attendance_class_person', ['classId', 'personId'])
export class AttendanceEntity {
  @PrimaryColumn({ name: 'session_id', type: 'uuid', primaryKeyConstraintName: 'pk_attendance' })
  sessionId!: string;

  @ManyToOne(() => ClassSessionEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'session_id', foreignKeyConstraintName: 'fk_attendance_session' })
  session?: ClassSessionEntity;

  @Index('ix_attendance_person')
  @PrimaryColumn({ name: 'person_id', type: 'uuid', primaryKeyConstraintName: 'pk_attendance' })
  personId!: string;

  // Checked per statement by a trigger, not a foreign key (migrations/1796773000000-AttendanceKeysBySet.ts).
  @ManyToOne(() => PersonEntity, { createForeignKeyConstraints: false })
  @JoinColumn({ name: 'person_id' })
  person?: PersonEntity;

  @Column({ name: 'class_id', type: 'uuid' })
  classId!: string;

  // The session's class, checked per statement by a trigger (as `person`); removed with the class's sessions.
  @ManyToOne(() => TrainingClassEntity, { createForeignKeyConstraints: false })
  @JoinColumn({ name: 'class_id' })
  trainingClass?: TrainingClassEntity;

  @Column({ type: 'varchar', length: 10 })
  status!: AttendanceStatus;

  @Column({ type: 'varchar', length: 20 })
  method!: AttendanceMethod;

  @Column({ name: 'recorded_by', type: 'uuid', nullable: true })
  recordedBy!: string | null;

  /** When the mark was made (the device's clock for offline marks). */
  @Column({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt!: Date;

  @Column({ name: 'received_at', type: 'timestamptz', default: () => 'now()' })
  receivedAt!: Date;

  /**
   * 1 for the first write of the (session, person), +1 on every write after it. Offline devices send back
   * the version they showed (`baseVersion`), which tells whether they had seen the mark they change.
   */
  @Column({ type: 'integer', default: 1 })
  version!: number;

  /** When the learner checked in by QR, while that check-in stands: an offline device cannot lower it unseen. */
  @Column({ name: 'checked_in_at', type: 'timestamptz', nullable: true })
  checkedInAt!: Date | null;
}

/**
 * Every offline mark ever received, by the client's id, with the answer given: a replayed batch is recognised
 * item by item and answered as the first time. Conflicts stay here for the trainer to resolve.
 */
@Entity('sync_mark')
@Check(
  'ck_sync_mark_result',
  `result IN ('pending', 'applied', 'applied_over', 'stale', 'superseded', 'rejected', 'conflict')`,
)
@Index('ix_sync_mark_conflict', ['sessionId'], { where: `result = 'conflict'` })
export class SyncMarkEntity {
  @PrimaryColumn({ name: 'client_id', type: 'uuid', primaryKeyConstraintName: 'pk_sync_mark' })
  clientId!: string;

  @Column({ name: 'session_id', type: 'uuid' })
  sessionId!: string;

  @Column({ name: 'person_id', type: 'uuid' })
  personId!: string;

  @Column({ type: 'varchar', length: 10 })
  status!: string;

  @Column({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt!: Date;

  /** The stored mark's version the device showed, when it said. */
  @Column({ name: 'base_version', type: 'integer', nullable: true })
  baseVersion!: number | null;

  @Column({ type: 'varchar', length: 20 })
  result!: string;

  /** The rest of the answer given (reason, the mark kept), for replays. */
  @Column({ type: 'jsonb', nullable: true })
  answer!: unknown;

  @Column({ name: 'submitted_by', type: 'uuid', nullable: true })
  submittedBy!: string | null;

  @Column({ name: 'received_at', type: 'timestamptz', default: () => 'now()' })
  receivedAt!: Date;
}

/**
 * Derived work of an offline sync batch, stored in its transaction: the (class, person) pairs whose marks
 * changed, for the worker to re-decide completion, reach, certificates and KPI facts (attendance-outbox.ts).
 */
@Entity('attendance_outbox')
export class AttendanceOutboxEntity {
  @PrimaryGeneratedColumn('identity', {
    type: 'bigint',
    generatedIdentity: 'ALWAYS',
    primaryKeyConstraintName: 'pk_attendance_outbox',
  })
  id!: string;

  @Column({ name: 'class_ids', type: 'uuid', array: true })
  classIds!: string[];

  @Column({ name: 'person_ids', type: 'uuid', array: true })
  personIds!: string[];

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}

/** A QR token used by a person: using it again is a replay. */
@Entity('checkin_use')
export class CheckinUseEntity {
  @PrimaryColumn({
    name: 'token_id',
    type: 'varchar',
    length: 40,
    primaryKeyConstraintName: 'pk_checkin_use',
  })
  tokenId!: string;

  @PrimaryColumn({ name: 'person_id', type: 'uuid', primaryKeyConstraintName: 'pk_checkin_use' })
  personId!: string;

  @Column({ name: 'used_at', type: 'timestamptz', default: () => 'now()' })
  usedAt!: Date;
}

export const CLASS_ENTITIES = [
  TrainingClassEntity,
  ClassAssistantEntity,
  ClassSessionEntity,
  EnrolmentEntity,
  AttendanceEntity,
  SyncMarkEntity,
  AttendanceOutboxEntity,
  CheckinUseEntity,
];
