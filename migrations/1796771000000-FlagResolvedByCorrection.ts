import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A data-honesty flag whose evidence no longer holds after its records were corrected (a back-filled mark
 * changed, a duplicate presence removed) closes itself: status `resolved`, with the time and the reason kept
 * like a decision's (decided_by stays empty: nobody decided). A reviewer never sets it.
 */
export class FlagResolvedByCorrection1796771000000 implements MigrationInterface {
  name = 'FlagResolvedByCorrection1796771000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE data_flag DROP CONSTRAINT ck_data_flag_status`);
    await q.query(
      `ALTER TABLE data_flag ADD CONSTRAINT ck_data_flag_status CHECK (status IN ('open', 'cleared', 'excluded', 'resolved'))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `UPDATE data_flag SET status = 'open', decided_at = NULL, decision_reason = NULL WHERE status = 'resolved'`,
    );
    await q.query(`ALTER TABLE data_flag DROP CONSTRAINT ck_data_flag_status`);
    await q.query(
      `ALTER TABLE data_flag ADD CONSTRAINT ck_data_flag_status CHECK (status IN ('open', 'cleared', 'excluded'))`,
    );
  }
}
