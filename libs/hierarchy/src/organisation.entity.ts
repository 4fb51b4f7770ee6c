import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { AdminUnitEntity } from './unit.entity';

export const ORGANISATION_KINDS = [
  'agency',
  'mass_organisation',
  'school',
  'enterprise',
  'cooperative',
  'other',
] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

/** An agency, mass organisation, school, enterprise or cooperative, attached to an administrative unit. */
@Entity('organisation')
@Check(
  'ck_organisation_kind',
  `kind IN ('agency', 'mass_organisation', 'school', 'enterprise', 'cooperative', 'other')`,
)
export class OrganisationEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_organisation' })
  id!: string;

  @Index('ix_organisation_unit')
  @Column({ name: 'unit_id', type: 'integer' })
  unitId!: number;

  @ManyToOne(() => AdminUnitEntity)
  @JoinColumn({ name: 'unit_id', foreignKeyConstraintName: 'fk_organisation_unit' })
  unit?: AdminUnitEntity;

  @Column({ type: 'varchar', length: 300 })
  name!: string;

  @Column({ type: 'varchar', length: 20 })
  kind!: OrganisationKind;

  /** The head (thủ trưởng): a user account (named by entity name: the auth library builds on this one). */
  @Index('ix_organisation_head')
  @Column({ name: 'head_user_id', type: 'uuid', nullable: true })
  headUserId!: string | null;

  @ManyToOne('UserEntity', { nullable: true })
  @JoinColumn({ name: 'head_user_id', foreignKeyConstraintName: 'fk_organisation_head' })
  head?: unknown;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
