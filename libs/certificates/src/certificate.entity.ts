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
import { EnrolmentEntity, TrainingClassEntity } from '../../classes/src';
import { PersonEntity } from '../../people/src';
import { ProgramEntity } from '../../programs/src';

/** The last serial number used per program and year; its row lock makes serials gapless under concurrency. */
@Entity('certificate_counter')
export class CertificateCounterEntity {
  @PrimaryColumn({ name: 'program_id', type: 'uuid', primaryKeyConstraintName: 'pk_certificate_counter' })
  programId!: string;

  @ManyToOne(() => ProgramEntity)
  @JoinColumn({ name: 'program_id', foreignKeyConstraintName: 'fk_certificate_counter_program' })
  program?: ProgramEntity;

  @PrimaryColumn({ type: 'smallint', primaryKeyConstraintName: 'pk_certificate_counter' })
  year!: number;

  @Column({ name: 'last_number', type: 'integer' })
  lastNumber!: number;
}

export interface CertificateSnapshot {
  learnerName: string;
  birthYear: number;
  commune: string;
  province: string | null;
  programName: string;
  level: number;
  levelTitle: string;
  issuer: string;
  signerTitle: string;
  signerName: string;
  /** The issuing unit's seal (certificate_seal.hash), printed over the signature; absent: none. */
  sealHash?: string | null;
  place: string;
  issuedOn: string;
}

/** A completion certificate. Never deleted: revocation and reissue keep the record and the link between them. */
@Entity('certificate')
@Unique('uq_certificate_serial', ['serial'])
@Unique('uq_certificate_number', ['programId', 'serialYear', 'serialNumber'])
@Unique('uq_certificate_code', ['verificationCode'])
@Check('ck_certificate_status', `status IN ('valid', 'revoked')`)
@Check('ck_certificate_level', 'level BETWEEN 1 AND 5')
@Check('ck_certificate_revoked', `(status = 'revoked') = (revoked_at IS NOT NULL)`)
@Index('ux_certificate_valid', { synchronize: false })
@Index('ix_certificate_unit_path', { synchronize: false })
@Index('ix_certificate_program_issued', ['programId', 'issuedOn'])
export class CertificateEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_certificate' })
  id!: string;

  @Column({ name: 'program_id', type: 'uuid' })
  programId!: string;

  @ManyToOne(() => ProgramEntity)
  @JoinColumn({ name: 'program_id', foreignKeyConstraintName: 'fk_certificate_program' })
  program?: ProgramEntity;

  @Index('ix_certificate_person')
  @Column({ name: 'person_id', type: 'uuid' })
  personId!: string;

  @ManyToOne(() => PersonEntity)
  @JoinColumn({ name: 'person_id', foreignKeyConstraintName: 'fk_certificate_person' })
  person?: PersonEntity;

  @Column({ type: 'smallint' })
  level!: number;

  @Index('ix_certificate_enrolment')
  @Column({ name: 'enrolment_id', type: 'uuid', nullable: true })
  enrolmentId!: string | null;

  @ManyToOne(() => EnrolmentEntity, { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'enrolment_id', foreignKeyConstraintName: 'fk_certificate_enrolment' })
  enrolment?: EnrolmentEntity;

  @Index('ix_certificate_class')
  @Column({ name: 'class_id', type: 'uuid', nullable: true })
  classId!: string | null;

  @ManyToOne(() => TrainingClassEntity, { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'class_id', foreignKeyConstraintName: 'fk_certificate_class' })
  trainingClass?: TrainingClassEntity;

  /** "TN-2026-000123". */
  @Column({ type: 'varchar', length: 40 })
  serial!: string;

  @Column({ name: 'serial_year', type: 'smallint' })
  serialYear!: number;

  @Column({ name: 'serial_number', type: 'integer' })
  serialNumber!: number;

  /** 192 random bits, URL-safe: the QR code on the paper leads to /verify/<code>. */
  @Column({ name: 'verification_code', type: 'varchar', length: 64 })
  verificationCode!: string;

  @Column({ type: 'varchar', length: 10, default: 'valid' })
  status!: 'valid' | 'revoked';

  @Column({ name: 'issued_at', type: 'timestamptz' })
  issuedAt!: Date;

  @Column({ name: 'issued_on', type: 'date' })
  issuedOn!: string;

  /** Entered after the fact: issued before the campaign used Lan Tỏa, on the day given. */
  @Column({ type: 'boolean', default: false })
  imported!: boolean;

  @Column({ name: 'issued_by', type: 'uuid', nullable: true })
  issuedBy!: string | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  @Column({ name: 'revoked_reason', type: 'varchar', length: 500, nullable: true })
  revokedReason!: string | null;

  @Column({ name: 'revoked_by', type: 'uuid', nullable: true })
  revokedBy!: string | null;

  @Column({ name: 'replaces_id', type: 'uuid', nullable: true })
  replacesId!: string | null;

  @ManyToOne(() => CertificateEntity, { nullable: true })
  @JoinColumn({ name: 'replaces_id', foreignKeyConstraintName: 'fk_certificate_replaces' })
  replaces?: CertificateEntity;

  @Column({ name: 'replaced_by_id', type: 'uuid', nullable: true })
  replacedById!: string | null;

  @ManyToOne(() => CertificateEntity, { nullable: true })
  @JoinColumn({ name: 'replaced_by_id', foreignKeyConstraintName: 'fk_certificate_replaced_by' })
  replacedBy?: CertificateEntity;

  /** Everything printed on the certificate, as issued: the verification page shows exactly this. */
  @Column({ type: 'jsonb' })
  snapshot!: CertificateSnapshot;

  /** The learner's commune path when issued: scope of who may list, revoke and reissue. */
  @Column({ name: 'unit_path', type: 'text' })
  unitPath!: string;
}

export const CERTIFICATE_ENTITIES = [CertificateCounterEntity, CertificateEntity];
