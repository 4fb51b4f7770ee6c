import { Check, Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { AdminUnitEntity } from './unit.entity';

/** Standard figures; programs may use other named ones (snake_case). */
export const POPULATION_FIGURES = ['total', 'working_age', 'civil_servants', 'enterprise_owners'] as const;

export const POPULATION_FIGURE_NAMES: Record<string, string> = {
  total: 'Tổng dân số',
  working_age: 'Người trong độ tuổi lao động',
  civil_servants: 'Cán bộ, công chức, viên chức',
  enterprise_owners: 'Chủ doanh nghiệp, hợp tác xã, hộ kinh doanh',
};

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
