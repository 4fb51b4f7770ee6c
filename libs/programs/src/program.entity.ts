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

export interface SegmentDefinition {
  code: string;
  name: string;
}

@Entity('program')
@Unique('uq_program_code', ['code'])
@Check('ck_program_dates', 'ends_on >= starts_on')
@Check('ck_program_certificate_issue_mode', `certificate_issue_mode IN ('auto', 'manual')`)
@Check('ck_program_quota', 'default_quota > 0')
@Check(
  'ck_program_report_approval_levels',
  `report_approval_levels <@ ARRAY['commune', 'district', 'province']::varchar(10)[]`,
)
@Check(
  'ck_program_completion',
  `(completion_min_sessions IS NOT NULL AND completion_min_share IS NULL AND completion_min_sessions > 0)
   OR (completion_min_sessions IS NULL AND completion_min_share IS NOT NULL
       AND completion_min_share > 0 AND completion_min_share <= 1)`,
)
export class ProgramEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_program' })
  id!: string;

  /** Short code used in certificate serials ("TN" → TN-2026-000123). */
  @Column({ type: 'varchar', length: 10 })
  code!: string;

  @Column({ type: 'varchar', length: 300 })
  name!: string;

  @Index('ix_program_owner_unit')
  @Column({ name: 'owner_unit_id', type: 'integer' })
  ownerUnitId!: number;

  @ManyToOne(() => AdminUnitEntity)
  @JoinColumn({ name: 'owner_unit_id', foreignKeyConstraintName: 'fk_program_owner_unit' })
  ownerUnit?: AdminUnitEntity;

  @Column({ name: 'starts_on', type: 'date' })
  startsOn!: string;

  @Column({ name: 'ends_on', type: 'date' })
  endsOn!: string;

  @Column({ name: 'default_quota', type: 'integer', default: 1500 })
  defaultQuota!: number;

  @Column({ name: 'completion_min_sessions', type: 'smallint', nullable: true })
  completionMinSessions!: number | null;

  @Column({ name: 'completion_min_share', type: 'numeric', precision: 4, scale: 3, nullable: true })
  completionMinShare!: string | null;

  @Column({ name: 'extra_segments', type: 'jsonb', default: () => "'[]'" })
  extraSegments!: SegmentDefinition[];

  /** Figures that progress reports carry besides headcount, trained and proficient: [{ code, name }]. */
  @Column({ name: 'reported_indicators', type: 'jsonb', default: () => "'[]'" })
  reportedIndicators!: SegmentDefinition[];

  /**
   * The unit levels that approve a progress report, bottom up (e.g. commune then province); null: the level
   * above the reporter approves once.
   */
  @Column({ name: 'report_approval_levels', type: 'varchar', length: 10, array: true, nullable: true })
  reportApprovalLevels!: ('commune' | 'district' | 'province')[] | null;

  /** 'auto': a certificate is issued the moment an enrolment completes; 'manual': a person issues them. */
  @Column({ name: 'certificate_issue_mode', type: 'varchar', length: 10, default: 'manual' })
  certificateIssueMode!: 'auto' | 'manual';

  /** A template in templates/certificates/ (file name without .json). */
  @Column({ name: 'certificate_template', type: 'varchar', length: 60, default: 'default' })
  certificateTemplate!: string;

  @Column({ name: 'certificate_issuer', type: 'varchar', length: 300, nullable: true })
  certificateIssuer!: string | null;

  @Column({ name: 'certificate_signer_title', type: 'varchar', length: 200, nullable: true })
  certificateSignerTitle!: string | null;

  @Column({ name: 'certificate_signer_name', type: 'varchar', length: 200, nullable: true })
  certificateSignerName!: string | null;

  /** The place in the "place and date" line ("Thái Nguyên, ngày … tháng … năm …"). */
  @Column({ name: 'certificate_place', type: 'varchar', length: 100, nullable: true })
  certificatePlace!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}

@Entity('program_phase')
@Unique('uq_program_phase_position', ['programId', 'position'])
@Check('ck_program_phase_dates', 'ends_on >= starts_on')
export class ProgramPhaseEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_program_phase' })
  id!: string;

  @Column({ name: 'program_id', type: 'uuid' })
  programId!: string;

  @ManyToOne(() => ProgramEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'program_id', foreignKeyConstraintName: 'fk_program_phase_program' })
  program?: ProgramEntity;

  @Column({ type: 'smallint' })
  position!: number;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ name: 'starts_on', type: 'date' })
  startsOn!: string;

  @Column({ name: 'ends_on', type: 'date' })
  endsOn!: string;
}

@Entity('program_level')
@Check('ck_program_level_level', 'level BETWEEN 1 AND 5')
export class ProgramLevelEntity {
  @PrimaryColumn({ name: 'program_id', type: 'uuid', primaryKeyConstraintName: 'pk_program_level' })
  programId!: string;

  @ManyToOne(() => ProgramEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'program_id', foreignKeyConstraintName: 'fk_program_level_program' })
  program?: ProgramEntity;

  @PrimaryColumn({ type: 'smallint', primaryKeyConstraintName: 'pk_program_level' })
  level!: number;

  @Column({ type: 'varchar', length: 200 })
  title!: string;

  @Column({ type: 'text', nullable: true })
  description!: string | null;
}

@Entity('learning_material')
@Check('ck_learning_material_kind', `kind IN ('video', 'document', 'link')`)
@Check('ck_learning_material_level', 'level BETWEEN 1 AND 5')
@Index('ix_learning_material_program', ['programId', 'level'])
export class LearningMaterialEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_learning_material' })
  id!: string;

  @Column({ name: 'program_id', type: 'uuid' })
  programId!: string;

  @ManyToOne(() => ProgramEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'program_id', foreignKeyConstraintName: 'fk_learning_material_program' })
  program?: ProgramEntity;

  @Column({ type: 'smallint' })
  level!: number;

  @Column({ type: 'varchar', length: 300 })
  title!: string;

  @Column({ type: 'varchar', length: 10 })
  kind!: 'video' | 'document' | 'link';

  @Column({ type: 'varchar', length: 2000 })
  url!: string;

  @Column({ name: 'published_at', type: 'timestamptz', default: () => 'now()' })
  publishedAt!: Date;

  /** Entered after the fact, with the day it was published in the past. */
  @Column({ type: 'boolean', default: false })
  imported!: boolean;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy!: string | null;
}

export const PROGRAM_ENTITIES = [
  ProgramEntity,
  ProgramPhaseEntity,
  ProgramLevelEntity,
  LearningMaterialEntity,
];
