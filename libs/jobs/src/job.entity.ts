import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed';

/** A background job in PostgreSQL: no queue server; any worker process claims it with SKIP LOCKED. */
@Entity('job')
@Check('ck_job_status', `status IN ('queued', 'running', 'succeeded', 'failed')`)
@Index('ix_job_queue', ['status', 'createdAt'])
@Index('ix_job_created_by', ['createdBy', 'createdAt'])
@Index('ix_job_created_at', ['createdAt'])
export class JobEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_job' })
  id!: string;

  @Column({ type: 'varchar', length: 40 })
  kind!: string;

  @Column({ type: 'varchar', length: 12, default: 'queued' })
  status!: JobStatus;

  @Column({ type: 'jsonb' })
  params!: Record<string, unknown>;

  @Column({ type: 'integer', default: 0 })
  progress!: number;

  @Column({ type: 'integer', nullable: true })
  total!: number | null;

  @Column({ type: 'jsonb', nullable: true })
  result!: Record<string, unknown> | null;

  @Column({ name: 'file_name', type: 'varchar', length: 200, nullable: true })
  fileName!: string | null;

  @Column({ name: 'file_path', type: 'varchar', length: 500, nullable: true })
  filePath!: string | null;

  @Column({ name: 'file_type', type: 'varchar', length: 100, nullable: true })
  fileType!: string | null;

  @Column({ type: 'varchar', length: 1000, nullable: true })
  error!: string | null;

  @Column({ type: 'smallint', default: 0 })
  attempts!: number;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  /** Not claimed before this moment (a retry with backoff); null: as soon as a worker is free. */
  @Column({ name: 'run_after', type: 'timestamptz', nullable: true })
  runAfter!: Date | null;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt!: Date | null;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;

  @Column({ name: 'heartbeat_at', type: 'timestamptz', nullable: true })
  heartbeatAt!: Date | null;
}

export const JOB_ENTITIES = [JobEntity];
