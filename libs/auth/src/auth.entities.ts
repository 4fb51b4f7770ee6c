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
import type { Role } from '../../access/src';

@Entity('app_user')
@Unique('uq_app_user_login', ['login'])
@Check('ck_app_user_status', `status IN ('active', 'disabled')`)
export class UserEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_app_user' })
  id!: string;

  /** An e-mail address (lower case) or a Vietnamese phone number in E.164 (+84…). */
  @Column({ type: 'varchar', length: 254 })
  login!: string;

  @Column({ name: 'display_name', type: 'varchar', length: 200 })
  displayName!: string;

  /** Vietnamese order of people: by given name, then family and middle names. */
  @Column({ name: 'sort_key', type: 'text', collation: 'C' })
  sortKey!: string;

  /** argon2id. Never leaves the auth library. */
  @Column({ name: 'password_hash', type: 'varchar', length: 200 })
  passwordHash!: string;

  @Column({ type: 'varchar', length: 10, default: 'active' })
  status!: 'active' | 'disabled';

  @Column({ name: 'must_change_password', type: 'boolean', default: false })
  mustChangePassword!: boolean;

  @Column({ name: 'password_changed_at', type: 'timestamptz', default: () => 'now()' })
  passwordChangedAt!: Date;

  /** The person this account belongs to (a trainer signs in as themselves). */
  @Index('ix_app_user_person')
  @Column({ name: 'person_id', type: 'uuid', nullable: true })
  personId!: string | null;

  @ManyToOne('PersonEntity', { nullable: true })
  @JoinColumn({ name: 'person_id', foreignKeyConstraintName: 'fk_app_user_person' })
  person?: unknown;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}

@Entity('role_assignment')
@Check('ck_role_assignment_role', `role IN ('admin', 'steering', 'department_head', 'trainer', 'viewer')`)
@Check(
  'ck_role_assignment_scope',
  `(role = 'admin' AND unit_id IS NULL AND organisation_id IS NULL)
   OR (role IN ('steering', 'viewer', 'trainer') AND unit_id IS NOT NULL AND organisation_id IS NULL)
   OR (role = 'department_head' AND organisation_id IS NOT NULL AND unit_id IS NULL)`,
)
@Index('ux_role_assignment_scope', { synchronize: false })
export class RoleAssignmentEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_role_assignment' })
  id!: string;

  @Index('ix_role_assignment_user')
  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_role_assignment_user' })
  user?: UserEntity;

  @Column({ type: 'varchar', length: 20 })
  role!: Role;

  @Index('ix_role_assignment_unit')
  @Column({ name: 'unit_id', type: 'integer', nullable: true })
  unitId!: number | null;

  @ManyToOne(() => AdminUnitEntity, { nullable: true })
  @JoinColumn({ name: 'unit_id', foreignKeyConstraintName: 'fk_role_assignment_unit' })
  unit?: AdminUnitEntity;

  @Index('ix_role_assignment_organisation')
  @Column({ name: 'organisation_id', type: 'uuid', nullable: true })
  organisationId!: string | null;

  @ManyToOne(() => OrganisationEntity, { nullable: true })
  @JoinColumn({ name: 'organisation_id', foreignKeyConstraintName: 'fk_role_assignment_organisation' })
  organisation?: OrganisationEntity;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy!: string | null;
}

/** A login: the family of refresh tokens that rotate from it. Revoking it ends every token of the family. */
@Entity('auth_session')
export class AuthSessionEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_auth_session' })
  id!: string;

  @Index('ix_auth_session_user')
  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_auth_session_user' })
  user?: UserEntity;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  @Column({ name: 'revoked_reason', type: 'varchar', length: 20, nullable: true })
  revokedReason!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  ip!: string | null;

  @Column({ name: 'user_agent', type: 'varchar', length: 300, nullable: true })
  userAgent!: string | null;

  /** The OpenID provider the session was opened with (null: a password login). */
  @Column({ name: 'oidc_provider', type: 'varchar', length: 20, nullable: true })
  oidcProvider!: string | null;

  /** The provider's ID token, kept only as the id_token_hint of its end-session request at logout. */
  @Column({ name: 'oidc_id_token', type: 'text', nullable: true })
  oidcIdToken!: string | null;
}

/**
 * An identity at an OpenID provider (its issuer's `sub`) linked to a staff account. Only administrators
 * create links (or the provider's verified claim the configuration allows): an unknown identity gets no access.
 */
@Entity('user_identity')
@Unique('uq_user_identity_subject', ['provider', 'subject'])
export class UserIdentityEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_user_identity' })
  id!: string;

  @Index('ix_user_identity_user')
  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_user_identity_user' })
  user?: UserEntity;

  @Column({ type: 'varchar', length: 20 })
  provider!: string;

  @Column({ type: 'varchar', length: 255 })
  subject!: string;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy!: string | null;

  @Column({ name: 'last_login_at', type: 'timestamptz', nullable: true })
  lastLoginAt!: Date | null;
}

/** Only a SHA-256 of each refresh token is stored. */
@Entity('refresh_token')
@Unique('uq_refresh_token_hash', ['tokenHash'])
export class RefreshTokenEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_refresh_token' })
  id!: string;

  @Index('ix_refresh_token_session')
  @Column({ name: 'session_id', type: 'uuid' })
  sessionId!: string;

  @ManyToOne(() => AuthSessionEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'session_id', foreignKeyConstraintName: 'fk_refresh_token_session' })
  session?: AuthSessionEntity;

  @Column({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash!: string;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  /** Set when the token is exchanged; presenting it again is reuse. */
  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt!: Date | null;
}

/** Failed-login counters per account (`login:…`) and per address (`ip:…`), shared by every API process. */
@Entity('login_throttle')
export class LoginThrottleEntity {
  @PrimaryColumn({ type: 'varchar', length: 300, primaryKeyConstraintName: 'pk_login_throttle' })
  key!: string;

  @Column({ type: 'integer' })
  failures!: number;

  @Column({ name: 'window_start', type: 'timestamptz' })
  windowStart!: Date;

  @Column({ name: 'locked_until', type: 'timestamptz', nullable: true })
  lockedUntil!: Date | null;
}

export const AUTH_ENTITIES = [
  UserEntity,
  RoleAssignmentEntity,
  AuthSessionEntity,
  RefreshTokenEntity,
  LoginThrottleEntity,
  UserIdentityEntity,
];
