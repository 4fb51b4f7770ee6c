import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reports climb a chain of levels. A program may name the unit levels that approve, bottom up (e.g.
 * {commune,province}); without it a report is approved once, by the level above the reporter, as before.
 * A report remembers how many levels have approved it in this round, and each approval is kept; a return at
 * any level starts the chain again at its first level. The figures the records gave when the report was
 * submitted are frozen with it, so that a later correction does not silently change what was approved.
 */
export class ReportApprovalChain1796755000000 implements MigrationInterface {
  name = 'ReportApprovalChain1796755000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE program ADD report_approval_levels varchar(10)[]`);
    await q.query(`
      ALTER TABLE program ADD CONSTRAINT ck_program_report_approval_levels
        CHECK (report_approval_levels <@ ARRAY['commune', 'district', 'province']::varchar(10)[])`);
    await q.query(`ALTER TABLE progress_report ADD approval_step smallint NOT NULL DEFAULT 0`);
    await q.query(`ALTER TABLE progress_report ADD record_figures jsonb`);
    // The unit whose steering members act next on a submitted report (their inbox).
    await q.query(`ALTER TABLE progress_report ADD awaiting_unit_id integer`);
    await q.query(`
      ALTER TABLE progress_report ADD CONSTRAINT fk_progress_report_awaiting_unit
        FOREIGN KEY (awaiting_unit_id) REFERENCES admin_unit (id)`);
    await q.query(`CREATE INDEX ix_progress_report_awaiting_unit ON progress_report (awaiting_unit_id)`);
    await q.query(`
      CREATE TABLE progress_report_approval (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        report_id uuid NOT NULL,
        step smallint NOT NULL,
        unit_id integer NOT NULL,
        approved_by uuid,
        approved_at timestamptz NOT NULL DEFAULT now(),
        comment varchar(1000),
        CONSTRAINT pk_progress_report_approval PRIMARY KEY (id),
        CONSTRAINT fk_progress_report_approval_report FOREIGN KEY (report_id) REFERENCES progress_report (id)
          ON DELETE CASCADE,
        CONSTRAINT fk_progress_report_approval_unit FOREIGN KEY (unit_id) REFERENCES admin_unit (id),
        CONSTRAINT uq_progress_report_approval_step UNIQUE (report_id, step)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE progress_report_approval`);
    await q.query(`DROP INDEX ix_progress_report_awaiting_unit`);
    await q.query(`ALTER TABLE progress_report DROP CONSTRAINT fk_progress_report_awaiting_unit`);
    await q.query(`ALTER TABLE progress_report DROP COLUMN awaiting_unit_id`);
    await q.query(`ALTER TABLE progress_report DROP COLUMN record_figures`);
    await q.query(`ALTER TABLE progress_report DROP COLUMN approval_step`);
    await q.query(`ALTER TABLE program DROP CONSTRAINT ck_program_report_approval_levels`);
    await q.query(`ALTER TABLE program DROP COLUMN report_approval_levels`);
  }
}
