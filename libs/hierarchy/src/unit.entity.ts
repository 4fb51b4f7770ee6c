import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';

export type UnitLevel = 'province' | 'district' | 'commune';
export const UNIT_LEVELS: readonly UnitLevel[] = ['province', 'district', 'commune'];

/*
 * The entities mirror the migrations exactly (the suite fails if generating a migration from them would
 * change anything). Queries are written in SQL in unit.repository.ts; these classes describe the schema.
 * Indexes TypeORM cannot express (operator classes, partial, GIN) are declared with synchronize: false.
 */

@Entity('admin_unit')
@Check('ck_admin_unit_level', `level IN ('province', 'district', 'commune')`)
@Check('ck_admin_unit_validity', `valid_to IS NULL OR valid_to > valid_from`)
@Check('ck_admin_unit_state', `state_from >= valid_from`)
@Index('ix_admin_unit_path', { synchronize: false })
@Index('ux_admin_unit_current_code', { synchronize: false })
@Index('ix_admin_unit_search', { synchronize: false })
export class AdminUnitEntity {
  @PrimaryGeneratedColumn('identity', {
    generatedIdentity: 'BY DEFAULT',
    primaryKeyConstraintName: 'pk_admin_unit',
  })
  id!: number;

  @Index('ix_admin_unit_code')
  @Column({ type: 'varchar', length: 10 })
  code!: string;

  @Column({ type: 'varchar', length: 10 })
  level!: UnitLevel;

  @Column({ type: 'varchar', length: 20 })
  type!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ name: 'full_name', type: 'varchar', length: 250 })
  fullName!: string;

  @Column({ name: 'search_text', type: 'text' })
  searchText!: string;

  @Column({ name: 'sort_key', type: 'text', collation: 'C' })
  sortKey!: string;

  @Index('ix_admin_unit_parent')
  @Column({ name: 'parent_id', type: 'integer', nullable: true })
  parentId!: number | null;

  @ManyToOne(() => AdminUnitEntity, { nullable: true })
  @JoinColumn({ name: 'parent_id', foreignKeyConstraintName: 'fk_admin_unit_parent' })
  parent?: AdminUnitEntity;

  @Column({ type: 'text' })
  path!: string;

  @Column({ type: 'smallint' })
  depth!: number;

  @Column({ name: 'valid_from', type: 'date' })
  validFrom!: string;

  @Column({ name: 'valid_to', type: 'date', nullable: true })
  validTo!: string | null;

  @Column({ name: 'state_from', type: 'date' })
  stateFrom!: string;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}

@Entity('admin_unit_history')
@Check('ck_admin_unit_history_change', `change IN ('rename', 'reparent')`)
@Check('ck_admin_unit_history_validity', `valid_to > valid_from`)
@Index('ix_admin_unit_history_unit', ['unitId', 'validFrom'])
export class AdminUnitHistoryEntity {
  @PrimaryGeneratedColumn('identity', {
    type: 'bigint',
    generatedIdentity: 'BY DEFAULT',
    primaryKeyConstraintName: 'pk_admin_unit_history',
  })
  id!: string;

  @Column({ name: 'unit_id', type: 'integer' })
  unitId!: number;

  @ManyToOne(() => AdminUnitEntity)
  @JoinColumn({ name: 'unit_id', foreignKeyConstraintName: 'fk_admin_unit_history_unit' })
  unit?: AdminUnitEntity;

  @Column({ type: 'varchar', length: 10 })
  code!: string;

  @Column({ type: 'varchar', length: 20 })
  type!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ name: 'full_name', type: 'varchar', length: 250 })
  fullName!: string;

  @Column({ name: 'search_text', type: 'text' })
  searchText!: string;

  @Column({ name: 'sort_key', type: 'text', collation: 'C' })
  sortKey!: string;

  @Index('ix_admin_unit_history_parent')
  @Column({ name: 'parent_id', type: 'integer', nullable: true })
  parentId!: number | null;

  @ManyToOne(() => AdminUnitEntity, { nullable: true })
  @JoinColumn({ name: 'parent_id', foreignKeyConstraintName: 'fk_admin_unit_history_parent' })
  parent?: AdminUnitEntity;

  @Column({ name: 'valid_from', type: 'date' })
  validFrom!: string;

  @Column({ name: 'valid_to', type: 'date' })
  validTo!: string;

  @Column({ type: 'varchar', length: 10 })
  change!: 'rename' | 'reparent';

  @Column({ name: 'recorded_at', type: 'timestamptz', default: () => 'now()' })
  recordedAt!: Date;
}

@Entity('admin_unit_succession')
@Unique('uq_admin_unit_succession', ['predecessorId', 'successorId'])
@Check('ck_admin_unit_succession_kind', `kind IN ('merge', 'split')`)
export class AdminUnitSuccessionEntity {
  @PrimaryGeneratedColumn('identity', {
    type: 'bigint',
    generatedIdentity: 'BY DEFAULT',
    primaryKeyConstraintName: 'pk_admin_unit_succession',
  })
  id!: string;

  @Column({ name: 'predecessor_id', type: 'integer' })
  predecessorId!: number;

  @ManyToOne(() => AdminUnitEntity)
  @JoinColumn({ name: 'predecessor_id', foreignKeyConstraintName: 'fk_admin_unit_succession_predecessor' })
  predecessor?: AdminUnitEntity;

  @Index('ix_admin_unit_succession_successor')
  @Column({ name: 'successor_id', type: 'integer' })
  successorId!: number;

  @ManyToOne(() => AdminUnitEntity)
  @JoinColumn({ name: 'successor_id', foreignKeyConstraintName: 'fk_admin_unit_succession_successor' })
  successor?: AdminUnitEntity;

  @Column({ type: 'varchar', length: 10 })
  kind!: 'merge' | 'split';

  @Column({ name: 'effective_date', type: 'date' })
  effectiveDate!: string;

  @Column({ name: 'recorded_at', type: 'timestamptz', default: () => 'now()' })
  recordedAt!: Date;
}
