import { DataSource, Migration, QueryRunner } from 'typeorm';
import { MigrationExecutor } from 'typeorm/migration/MigrationExecutor';

/** Advisory lock keys, one per kind of start-up work that must not run twice at once. */
export const ADVISORY_LOCKS = {
  migrations: 7_402_001,
  seed: 7_402_002,
  /** The pass that drains offline sync's derived work (attendance_outbox). */
  attendanceDerive: 7_402_020,
  /** The pass that raises data-honesty flags after marks changed (data_flag_outbox). */
  flagDetect: 7_402_021,
} as const;

/** Runs `work` holding a session-level advisory lock on its own connection (other processes wait). */
export async function withAdvisoryLock<T>(
  dataSource: DataSource,
  key: number,
  work: (runner: QueryRunner) => Promise<T>,
): Promise<T> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [key]);
    try {
      return await work(runner);
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [key]);
    }
  } finally {
    await runner.release();
  }
}

/**
 * Applies pending migrations, each in its own transaction, under an advisory lock so that two processes
 * starting together (API and worker, or two API replicas) cannot race. Returns the names applied.
 */
export async function runMigrations(dataSource: DataSource): Promise<string[]> {
  return withAdvisoryLock(dataSource, ADVISORY_LOCKS.migrations, async (runner) => {
    const executor = new MigrationExecutor(dataSource, runner);
    executor.transaction = 'each';
    const applied: Migration[] = await executor.executePendingMigrations();
    return applied.map((migration) => migration.name);
  });
}
