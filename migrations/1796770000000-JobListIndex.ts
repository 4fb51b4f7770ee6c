import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An administrator's list of background jobs reads every job newest first: an index on the creation time
 * serves it (a caller's own list is served by ix_job_created_by), so the page does not sort the whole queue
 * history, which grows with every sync and export.
 */
export class JobListIndex1796770000000 implements MigrationInterface {
  name = 'JobListIndex1796770000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX ix_job_created_at ON job (created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ix_job_created_at`);
  }
}
