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
import { AdminUnitEntity, OrganisationEntity } from '../../hierarchy/src';
import { ProgramEntity } from '../../programs/src';
import { CONTEST_ENTITIES } from './contest.entities';

/** Every period code a target may have (libs/kpi/src/period.ts), as a PostgreSQL regular expression. */
export const TARGET_PERIOD_CHECK =
  `period ~ '^([0-9]{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?` +
  `|([0-9]{4}(-Q[1-4]|-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?)?[.][.]` +
  `[0-9]{4}(-Q[1-4]|-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?|P[1-9])$'`;

@Entity('target')
@Unique('uq_target', ['programId', 'unitId', 'indicator', 'period', 'segment'])
@Check('ck_target_kind', `kind IN ('absolute', 'percentage', 'rate')`)
@Check('ck_target_value', 'value >= 0')
@Check('ck_target_period', TARGET_PERIOD_CHECK)
@Check('ck_target_percentage', `(kind = 'percentage') = (population_figure IS NOT NULL)`)
@Check('ck_target_rate', `(kind = 'rate') = (base_indicator IS NOT NULL)`)
export class TargetEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_target' })
  id!: string;

  @Column({ name: 'program_id', type: 'uuid' })
  programId!: string;

  @ManyToOne(() => ProgramEntity)
  @JoinColumn({ name: 'program_id', foreignKeyConstraintName: 'fk_target_program' })
  program?: ProgramEntity;

  @Index('ix_target_unit')
  @Column({ name: 'unit_id', type: 'integer' })
  unitId!: number;

  @ManyToOne(() => AdminUnitEntity)
  @JoinColumn({ name: 'unit_id', foreignKeyConstraintName: 'fk_target_unit' })
  unit?: AdminUnitEntity;

  @Column({ type: 'varchar', length: 40 })
  indicator!: string;

  /** Any period code (libs/kpi/src/period.ts): 2026, 2026-Q2, 2026-05, 2028..2030, ..2030, P2 … */
  @Column({ type: 'varchar', length: 22 })
  period!: string;

  /** '' for all segments. */
  @Column({ type: 'varchar', length: 40, default: '' })
  segment!: string;

  @Column({ type: 'varchar', length: 12 })
  kind!: 'absolute' | 'percentage' | 'rate';

  /** A count; for 'percentage' the percent of `population_figure`, for 'rate' of `base_indicator` (80 = 80 %). */
  @Column({ type: 'numeric', precision: 14, scale: 3 })
  value!: string;

  @Column({ name: 'population_figure', type: 'varchar', length: 40, nullable: true })
  populationFigure!: string | null;

  /** For 'rate': the indicator whose figure (same unit, period and segment) the percent is taken of. */
  @Column({ name: 'base_indicator', type: 'varchar', length: 40, nullable: true })
  baseIndicator!: string | null;

  @Column({ name: 'split_from_id', type: 'uuid', nullable: true })
  splitFromId!: string | null;

  @ManyToOne(() => TargetEntity, { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'split_from_id', foreignKeyConstraintName: 'fk_target_split_from' })
  splitFrom?: TargetEntity;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}

@Entity('progress_report')
@Check('ck_progress_report_status', `status IN ('draft', 'submitted', 'approved', 'returned')`)
@Check('ck_progress_report_period', `period ~ '^[0-9]{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?$'`)
@Check(
  'ck_progress_report_figures',
  '(headcount IS NULL OR headcount >= 0) AND (trained IS NULL OR trained >= 0) AND (proficient IS NULL OR proficient >= 0)',
)
@Index('ux_progress_report', { synchronize: false })
export class ProgressReportEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_progress_report' })
  id!: string;

  @Column({ name: 'program_id', type: 'uuid' })
  programId!: string;

  @ManyToOne(() => ProgramEntity)
  @JoinColumn({ name: 'program_id', foreignKeyConstraintName: 'fk_progress_report_program' })
  program?: ProgramEntity;

  /** The reporting unit (an organisation's own unit for organisation reports). */
  @Index('ix_progress_report_unit')
  @Column({ name: 'unit_id', type: 'integer' })
  unitId!: number;

  @ManyToOne(() => AdminUnitEntity)
  @JoinColumn({ name: 'unit_id', foreignKeyConstraintName: 'fk_progress_report_unit' })
  unit?: AdminUnitEntity;

  @Index('ix_progress_report_organisation')
  @Column({ name: 'organisation_id', type: 'uuid', nullable: true })
  organisationId!: string | null;

  @ManyToOne(() => OrganisationEntity, { nullable: true })
  @JoinColumn({ name: 'organisation_id', foreignKeyConstraintName: 'fk_progress_report_organisation' })
  organisation?: OrganisationEntity;

  @Column({ type: 'varchar', length: 10 })
  period!: string;

  @Column({ type: 'varchar', length: 12, default: 'draft' })
  status!: 'draft' | 'submitted' | 'approved' | 'returned';

  @Column({ type: 'integer', nullable: true })
  headcount!: number | null;

  @Column({ type: 'integer', nullable: true })
  trained!: number | null;

  @Column({ type: 'integer', nullable: true })
  proficient!: number | null;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  indicators!: Record<string, number>;

  @Column({ type: 'text', nullable: true })
  notes!: string | null;

  @Column({ name: 'author_id', type: 'uuid', nullable: true })
  authorId!: string | null;

  @Column({ name: 'submitted_at', type: 'timestamptz', nullable: true })
  submittedAt!: Date | null;

  @Column({ name: 'reviewed_by', type: 'uuid', nullable: true })
  reviewedBy!: string | null;

  @Column({ name: 'reviewed_at', type: 'timestamptz', nullable: true })
  reviewedAt!: Date | null;

  @Column({ name: 'review_comment', type: 'varchar', length: 1000, nullable: true })
  reviewComment!: string | null;

  /** How many levels of the program's approval chain have approved the report in this round. */
  @Column({ name: 'approval_step', type: 'smallint', default: 0 })
  approvalStep!: number;

  /** The unit whose steering members act next on the submitted report. */
  @Index('ix_progress_report_awaiting_unit')
  @Column({ name: 'awaiting_unit_id', type: 'integer', nullable: true })
  awaitingUnitId!: number | null;

  @ManyToOne(() => AdminUnitEntity, { nullable: true })
  @JoinColumn({ name: 'awaiting_unit_id', foreignKeyConstraintName: 'fk_progress_report_awaiting_unit' })
  awaitingUnit?: AdminUnitEntity;

  /** The figures the records gave when the report was submitted (frozen with it). */
  @Column({ name: 'record_figures', type: 'jsonb', nullable: true })
  recordFigures!: Record<string, number> | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}

/** One level's approval of a report in the chain (kept until the report is returned and climbs again). */
@Entity('progress_report_approval')
@Unique('uq_progress_report_approval_step', ['reportId', 'step'])
export class ProgressReportApprovalEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_progress_report_approval' })
  id!: string;

  @Column({ name: 'report_id', type: 'uuid' })
  reportId!: string;

  @ManyToOne(() => ProgressReportEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'report_id', foreignKeyConstraintName: 'fk_progress_report_approval_report' })
  report?: ProgressReportEntity;

  @Column({ type: 'smallint' })
  step!: number;

  @Column({ name: 'unit_id', type: 'integer' })
  unitId!: number;

  @ManyToOne(() => AdminUnitEntity)
  @JoinColumn({ name: 'unit_id', foreignKeyConstraintName: 'fk_progress_report_approval_unit' })
  unit?: AdminUnitEntity;

  @Column({ name: 'approved_by', type: 'uuid', nullable: true })
  approvedBy!: string | null;

  @Column({ name: 'approved_at', type: 'timestamptz', default: () => 'now()' })
  approvedAt!: Date;

  @Column({ type: 'varchar', length: 1000, nullable: true })
  comment!: string | null;
}

/** One row per (program, view, unit, person): a person reached in a unit's subtree, distinct by construction. */
@Entity('kpi_person_fact')
@Check('ck_kpi_person_fact_view', `view IN ('recorded', 'current')`)
@Check('ck_kpi_person_fact_reached_via', `reached_via IN ('class', 'online')`)
@Check('ck_kpi_person_fact_completed_via', `completed_via IN ('class', 'online')`)
@Index('ix_kpi_person_fact_reached', ['programId', 'view', 'unitId', 'firstAttendedOn'])
@Index('ix_kpi_person_fact_completed', ['programId', 'view', 'unitId', 'completedOn'], {
  where: 'completed_on IS NOT NULL',
})
export class KpiPersonFactEntity {
  @PrimaryColumn({ name: 'program_id', type: 'uuid', primaryKeyConstraintName: 'pk_kpi_person_fact' })
  programId!: string;

  @PrimaryColumn({ type: 'varchar', length: 10, primaryKeyConstraintName: 'pk_kpi_person_fact' })
  view!: 'recorded' | 'current';

  @PrimaryColumn({ name: 'unit_id', type: 'integer', primaryKeyConstraintName: 'pk_kpi_person_fact' })
  unitId!: number;

  @Index('ix_kpi_person_fact_person')
  @PrimaryColumn({ name: 'person_id', type: 'uuid', primaryKeyConstraintName: 'pk_kpi_person_fact' })
  personId!: string;

  @Column({ type: 'varchar', length: 40 })
  segment!: string;

  @Column({ name: 'working_age', type: 'boolean' })
  workingAge!: boolean;

  @Column({ name: 'first_attended_on', type: 'date' })
  firstAttendedOn!: string;

  @Column({ name: 'completed_on', type: 'date', nullable: true })
  completedOn!: string | null;

  @Column({ type: 'boolean', default: false })
  proficient!: boolean;

  /** How the person was first reached here: in a class, or online through a partner. */
  @Column({ name: 'reached_via', type: 'varchar', length: 10, default: 'class' })
  reachedVia!: 'class' | 'online';

  /** How the person first completed here (null while not completed). */
  @Column({ name: 'completed_via', type: 'varchar', length: 10, nullable: true })
  completedVia!: 'class' | 'online' | null;
}

/** One row per (program, view, kind, record, unit): a class held or a certificate issued, in each unit it counts in. */
@Entity('kpi_record_fact')
@Check('ck_kpi_record_fact_view', `view IN ('recorded', 'current')`)
@Check('ck_kpi_record_fact_kind', `kind IN ('class', 'certificate', 'online')`)
@Index('ix_kpi_record_fact_unit', ['programId', 'view', 'unitId', 'kind', 'day', 'level'])
export class KpiRecordFactEntity {
  @PrimaryColumn({ name: 'program_id', type: 'uuid', primaryKeyConstraintName: 'pk_kpi_record_fact' })
  programId!: string;

  @PrimaryColumn({ type: 'varchar', length: 10, primaryKeyConstraintName: 'pk_kpi_record_fact' })
  view!: 'recorded' | 'current';

  @PrimaryColumn({ type: 'varchar', length: 12, primaryKeyConstraintName: 'pk_kpi_record_fact' })
  kind!: 'class' | 'certificate' | 'online';

  @PrimaryColumn({ name: 'record_id', type: 'uuid', primaryKeyConstraintName: 'pk_kpi_record_fact' })
  recordId!: string;

  @PrimaryColumn({ name: 'unit_id', type: 'integer', primaryKeyConstraintName: 'pk_kpi_record_fact' })
  unitId!: number;

  /** The day it counts on: the class's last session, the certificate's issue, the online completion's. */
  @Column({ type: 'date' })
  day!: string;

  /** The record's curriculum level (it never changes): the figures by level read it from here. */
  @Column({ type: 'smallint' })
  level!: number;
}

/** Monthly sums of the facts: a unit's figure for any period is a sum over a few hundred rows. */
@Entity('kpi_monthly')
export class KpiMonthlyEntity {
  @PrimaryColumn({ name: 'program_id', type: 'uuid', primaryKeyConstraintName: 'pk_kpi_monthly' })
  programId!: string;

  @PrimaryColumn({ type: 'varchar', length: 10, primaryKeyConstraintName: 'pk_kpi_monthly' })
  view!: string;

  @PrimaryColumn({ name: 'unit_id', type: 'integer', primaryKeyConstraintName: 'pk_kpi_monthly' })
  unitId!: number;

  /** The month's first day. */
  @PrimaryColumn({ type: 'date', primaryKeyConstraintName: 'pk_kpi_monthly' })
  month!: string;

  /** The people's segment ('' for classes and certificates). */
  @PrimaryColumn({ type: 'varchar', length: 40, primaryKeyConstraintName: 'pk_kpi_monthly' })
  segment!: string;

  @PrimaryColumn({ name: 'working_age', type: 'boolean', primaryKeyConstraintName: 'pk_kpi_monthly' })
  workingAge!: boolean;

  /** The curriculum level of the classes and certificates counted (0 for people). */
  @PrimaryColumn({ type: 'smallint', default: 0, primaryKeyConstraintName: 'pk_kpi_monthly' })
  level!: number;

  @Column({ type: 'integer', default: 0 })
  reached!: number;

  @Column({ type: 'integer', default: 0 })
  completed!: number;

  @Column({ type: 'integer', default: 0 })
  proficient!: number;

  @Column({ name: 'classes_held', type: 'integer', default: 0 })
  classesHeld!: number;

  @Column({ name: 'certificates_issued', type: 'integer', default: 0 })
  certificatesIssued!: number;

  /** Of `reached`, `completed` and `proficient`: the people whose first reach or completion was online. */
  @Column({ name: 'reached_online', type: 'integer', default: 0 })
  reachedOnline!: number;

  @Column({ name: 'completed_online', type: 'integer', default: 0 })
  completedOnline!: number;

  @Column({ name: 'proficient_online', type: 'integer', default: 0 })
  proficientOnline!: number;
}

export const KPI_ENTITIES = [
  TargetEntity,
  ProgressReportEntity,
  ProgressReportApprovalEntity,
  KpiPersonFactEntity,
  KpiRecordFactEntity,
  KpiMonthlyEntity,
  ...CONTEST_ENTITIES,
];
