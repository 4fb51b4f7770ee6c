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
import { UserEntity } from '../../auth/src';
import { AdminUnitEntity } from '../../hierarchy/src';
import { ProgramEntity } from '../../programs/src';

/** A contest ("hội thi") of a program, held by a unit over a period; results are published once. */
@Entity('contest')
@Check('ck_contest_status', `status IN ('open', 'published')`)
@Check('ck_contest_winners', 'winners BETWEEN 1 AND 100')
@Check('ck_contest_days', 'starts_on <= ends_on')
@Index('ix_contest_program_ends', ['programId', 'endsOn'])
export class ContestEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_contest' })
  id!: string;

  @Column({ name: 'program_id', type: 'uuid' })
  programId!: string;

  @ManyToOne(() => ProgramEntity)
  @JoinColumn({ name: 'program_id', foreignKeyConstraintName: 'fk_contest_program' })
  program?: ProgramEntity;

  @Index('ix_contest_unit')
  @Column({ name: 'unit_id', type: 'integer' })
  unitId!: number;

  @ManyToOne(() => AdminUnitEntity)
  @JoinColumn({ name: 'unit_id', foreignKeyConstraintName: 'fk_contest_unit' })
  unit?: AdminUnitEntity;

  @Column({ type: 'varchar', length: 300 })
  name!: string;

  @Column({ type: 'varchar', length: 2000, nullable: true })
  description!: string | null;

  /** The period code (libs/kpi/src/period.ts); its days are starts_on … ends_on. */
  @Column({ type: 'varchar', length: 22 })
  period!: string;

  @Column({ name: 'starts_on', type: 'date' })
  startsOn!: string;

  /** The contest's day in the KPI: entries and winners count in the period holding it. */
  @Column({ name: 'ends_on', type: 'date' })
  endsOn!: string;

  /** How many ranks win a prize. */
  @Column({ type: 'smallint', default: 3 })
  winners!: number;

  @Column({ type: 'varchar', length: 12, default: 'open' })
  status!: 'open' | 'published';

  @Column({ name: 'published_at', type: 'timestamptz', nullable: true })
  publishedAt!: Date | null;

  @Column({ name: 'published_by', type: 'uuid', nullable: true })
  publishedBy!: string | null;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}

/** A scoring criterion: its weight in the total and the most points a judge can give. */
@Entity('contest_criterion')
@Unique('uq_contest_criterion_position', ['contestId', 'position'])
@Check('ck_contest_criterion_points', 'weight BETWEEN 1 AND 100 AND max_points BETWEEN 1 AND 1000')
export class ContestCriterionEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_contest_criterion' })
  id!: string;

  @Column({ name: 'contest_id', type: 'uuid' })
  contestId!: string;

  @ManyToOne(() => ContestEntity)
  @JoinColumn({ name: 'contest_id', foreignKeyConstraintName: 'fk_contest_criterion_contest' })
  contest?: ContestEntity;

  @Column({ type: 'smallint' })
  position!: number;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'smallint' })
  weight!: number;

  @Column({ name: 'max_points', type: 'smallint' })
  maxPoints!: number;
}

/** An entry: a person, trainer, class or organisation of the contest's unit, counted at its own unit. */
@Entity('contest_entry')
@Unique('uq_contest_entry_subject', ['contestId', 'kind', 'subjectId'])
@Check('ck_contest_entry_kind', `kind IN ('person', 'trainer', 'class', 'organisation')`)
export class ContestEntryEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_contest_entry' })
  id!: string;

  @Column({ name: 'contest_id', type: 'uuid' })
  contestId!: string;

  @ManyToOne(() => ContestEntity)
  @JoinColumn({ name: 'contest_id', foreignKeyConstraintName: 'fk_contest_entry_contest' })
  contest?: ContestEntity;

  @Column({ type: 'varchar', length: 20 })
  kind!: 'person' | 'trainer' | 'class' | 'organisation';

  @Column({ name: 'subject_id', type: 'uuid' })
  subjectId!: string;

  @Index('ix_contest_entry_unit')
  @Column({ name: 'unit_id', type: 'integer' })
  unitId!: number;

  @ManyToOne(() => AdminUnitEntity)
  @JoinColumn({ name: 'unit_id', foreignKeyConstraintName: 'fk_contest_entry_unit' })
  unit?: AdminUnitEntity;

  @Column({ type: 'varchar', length: 300, nullable: true })
  title!: string | null;

  /** Weighted total out of 100, set when results are published. */
  @Column({ type: 'numeric', precision: 6, scale: 2, nullable: true })
  total!: string | null;

  @Column({ type: 'integer', nullable: true })
  rank!: number | null;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}

/** One judge's points for one entry on one criterion. */
@Entity('contest_score')
@Check('ck_contest_score_points', 'points >= 0')
export class ContestScoreEntity {
  @PrimaryColumn({ name: 'entry_id', type: 'uuid', primaryKeyConstraintName: 'pk_contest_score' })
  entryId!: string;

  @ManyToOne(() => ContestEntryEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'entry_id', foreignKeyConstraintName: 'fk_contest_score_entry' })
  entry?: ContestEntryEntity;

  @PrimaryColumn({ name: 'criterion_id', type: 'uuid', primaryKeyConstraintName: 'pk_contest_score' })
  criterionId!: string;

  @ManyToOne(() => ContestCriterionEntity)
  @JoinColumn({ name: 'criterion_id', foreignKeyConstraintName: 'fk_contest_score_criterion' })
  criterion?: ContestCriterionEntity;

  @PrimaryColumn({ name: 'judge_id', type: 'uuid', primaryKeyConstraintName: 'pk_contest_score' })
  judgeId!: string;

  @ManyToOne(() => UserEntity)
  @JoinColumn({ name: 'judge_id', foreignKeyConstraintName: 'fk_contest_score_judge' })
  judge?: UserEntity;

  @Column({ type: 'numeric', precision: 6, scale: 2 })
  points!: string;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}

export const CONTEST_ENTITIES = [
  ContestEntity,
  ContestCriterionEntity,
  ContestEntryEntity,
  ContestScoreEntity,
];
