import {
  Check,
  Column,
  Entity,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  Unique,
} from 'typeorm';
import { AdminUnitEntity } from './unit.entity';

/** Standard figures, always named; plans may name others (population_figure_kind). */
export const POPULATION_FIGURES = ['total', 'working_age', 'civil_servants', 'enterprise_owners'] as const;

/** A figure's code: lower case, digits and underscores ("adults_with_smartphone"). */
export const POPULATION_FIGURE_CODE = /^[a-z][a-z0-9_]{1,39}$/;

/**
 * The population figures a plan can name as a denominator, with their Vietnamese names: the standard four
 * (seeded by the migration) and those added for a plan ("adults with a smartphone").
 */
@Entity('population_figure_kind')
@Check('ck_population_figure_kind_code', `code ~ '^[a-z][a-z0-9_]{1,39}$'`)
export class PopulationFigureKindEntity {
  @PrimaryColumn({ type: 'varchar', length: 40, primaryKeyConstraintName: 'pk_population_figure_kind' })
  code!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}

/** A population figure of a unit in a year: the denominators of percentage targets. */
@Entity('population_figure')
@Unique('uq_population_figure', ['unitId', 'year', 'figure'])
@Check('ck_population_figure_value', 'value >= 0')
@Check('ck_population_figure_year', 'year BETWEEN 1900 AND 2200')
export class PopulationFigureEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_population_figure' })
  id!: string;

  @Column({ name: 'unit_id', type: 'integer' })
  unitId!: number;

  @ManyToOne(() => AdminUnitEntity)
  @JoinColumn({ name: 'unit_id', foreignKeyConstraintName: 'fk_population_figure_unit' })
  unit?: AdminUnitEntity;

  @Column({ type: 'smallint' })
  year!: number;

  @Column({ type: 'varchar', length: 40 })
  figure!: string;

  @Column({ type: 'bigint' })
  value!: string;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
