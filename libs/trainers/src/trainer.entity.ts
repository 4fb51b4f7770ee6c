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

export const TRAINER_TIERS = ['provincial_core', 'commune_core', 'organisation'] as const;
export type TrainerTier = (typeof TRAINER_TIERS)[number];

/**
 * A person with a trainer role in a program. `trained_by_id` links form the cascade; `lineage_path`
 * ('/<seq>/<seq>/…', root first, ending with the trainer's own seq) materialises it so that a whole
 * downstream subtree is one indexed prefix match. `direct_reach` is maintained with reach_fact.
 */
@Entity('trainer')
@Unique('uq_trainer_program_person', ['programId', 'personId'])
@Unique('uq_trainer_seq', ['seq'])
@Check('ck_trainer_tier', `tier IN ('provincial_core', 'commune_core', 'organisation')`)
@Check('ck_trainer_status', `status IN ('active', 'inactive')`)
@Check('ck_trainer_quota', 'quota IS NULL OR quota > 0')
@Check('ck_trainer_reach', 'direct_reach >= 0')
@Index('ix_trainer_lineage', { synchronize: false })
export class TrainerEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_trainer' })
  id!: string;

  @Column({ type: 'bigint', generated: 'identity', generatedIdentity: 'ALWAYS' })
  seq!: string;

  @Column({ name: 'program_id', type: 'uuid' })
  programId!: string;

  @ManyToOne(() => ProgramEntity)
  @JoinColumn({ name: 'program_id', foreignKeyConstraintName: 'fk_trainer_program' })
  program?: ProgramEntity;

  @Index('ix_trainer_person')
  @Column({ name: 'person_id', type: 'uuid' })
  personId!: string;

  @ManyToOne(() => PersonEntity)
  @JoinColumn({ name: 'person_id', foreignKeyConstraintName: 'fk_trainer_person' })
  person?: PersonEntity;

  @Column({ type: 'varchar', length: 20 })
  tier!: TrainerTier;

  @Index('ix_trainer_home_unit')
  @Column({ name: 'home_unit_id', type: 'integer' })
  homeUnitId!: number;

  @ManyToOne(() => AdminUnitEntity)
  @JoinColumn({ name: 'home_unit_id', foreignKeyConstraintName: 'fk_trainer_home_unit' })
  homeUnit?: AdminUnitEntity;

  @Column({ type: 'integer', nullable: true })
  quota!: number | null;

  @Column({ type: 'varchar', length: 10, default: 'active' })
  status!: 'active' | 'inactive';

  @Index('ix_trainer_trained_by')
  @Column({ name: 'trained_by_id', type: 'uuid', nullable: true })
  trainedById!: string | null;

  @ManyToOne(() => TrainerEntity, { nullable: true })
  @JoinColumn({ name: 'trained_by_id', foreignKeyConstraintName: 'fk_trainer_trained_by' })
  trainedBy?: TrainerEntity;

  @Column({ name: 'lineage_path', type: 'text' })
  lineagePath!: string;

  @Column({ type: 'smallint' })
  depth!: number;

  @Column({ name: 'direct_reach', type: 'integer', default: 0 })
  directReach!: number;

  /** The Vietnamese day the trainer counts from among the core trainers (back-dated when entered as history). */
  @Column({ name: 'registered_on', type: 'date' })
  registeredOn!: string;

  /** Entered after the fact, with a registration day in the past. */
  @Column({ type: 'boolean', default: false })
  imported!: boolean;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}

/** One row per (trainer, person reached): a distinct person who completed one of the trainer's citizen classes. */
@Entity('reach_fact')
@Index('ix_reach_fact_program', ['programId', 'personId'])
export class ReachFactEntity {
  @PrimaryColumn({ name: 'trainer_id', type: 'uuid', primaryKeyConstraintName: 'pk_reach_fact' })
  trainerId!: string;

  @ManyToOne(() => TrainerEntity)
  @JoinColumn({ name: 'trainer_id', foreignKeyConstraintName: 'fk_reach_fact_trainer' })
  trainer?: TrainerEntity;

  @Index('ix_reach_fact_person')
  @PrimaryColumn({ name: 'person_id', type: 'uuid', primaryKeyConstraintName: 'pk_reach_fact' })
  personId!: string;

  @ManyToOne(() => PersonEntity)
  @JoinColumn({ name: 'person_id', foreignKeyConstraintName: 'fk_reach_fact_person' })
  person?: PersonEntity;

  @Column({ name: 'program_id', type: 'uuid' })
  programId!: string;

  @ManyToOne(() => ProgramEntity)
  @JoinColumn({ name: 'program_id', foreignKeyConstraintName: 'fk_reach_fact_program' })
  program?: ProgramEntity;

  /** The Vietnamese calendar day of the person's first completion with this trainer. */
  @Column({ name: 'reached_on', type: 'date' })
  reachedOn!: string;
}

/**
 * One row per (trainer, person reached by the trainer or anyone downstream), with how many of the subtree's
 * trainers reached them: cascade reach is the number of a trainer's rows. Kept with reach_fact.
 */
@Entity('cascade_reach_fact')
@Check('ck_cascade_reach_fact_via', 'via > 0')
export class CascadeReachFactEntity {
  @PrimaryColumn({ name: 'trainer_id', type: 'uuid', primaryKeyConstraintName: 'pk_cascade_reach_fact' })
  trainerId!: string;

  @ManyToOne(() => TrainerEntity)
  @JoinColumn({ name: 'trainer_id', foreignKeyConstraintName: 'fk_cascade_reach_fact_trainer' })
  trainer?: TrainerEntity;

  @Index('ix_cascade_reach_fact_person')
  @PrimaryColumn({ name: 'person_id', type: 'uuid', primaryKeyConstraintName: 'pk_cascade_reach_fact' })
  personId!: string;

  @ManyToOne(() => PersonEntity)
  @JoinColumn({ name: 'person_id', foreignKeyConstraintName: 'fk_cascade_reach_fact_person' })
  person?: PersonEntity;

  @Column({ type: 'int' })
  via!: number;
}

/** People newly reached per trainer and day: the 4-week pace without scanning reach_fact. */
@Entity('trainer_reach_daily')
// (day) INCLUDE (trainer_id, reached): every trainer's last 4 weeks in one index-only range scan.
@Index('ix_trainer_reach_daily_day', { synchronize: false })
export class TrainerReachDailyEntity {
  @PrimaryColumn({ name: 'trainer_id', type: 'uuid', primaryKeyConstraintName: 'pk_trainer_reach_daily' })
  trainerId!: string;

  @ManyToOne(() => TrainerEntity)
  @JoinColumn({ name: 'trainer_id', foreignKeyConstraintName: 'fk_trainer_reach_daily_trainer' })
  trainer?: TrainerEntity;

  @PrimaryColumn({ type: 'date', primaryKeyConstraintName: 'pk_trainer_reach_daily' })
  day!: string;

  @Column({ type: 'integer' })
  reached!: number;
}

export const TRAINER_ENTITIES = [
  TrainerEntity,
  ReachFactEntity,
  CascadeReachFactEntity,
  TrainerReachDailyEntity,
];
