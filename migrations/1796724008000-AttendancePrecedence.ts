import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The precedence of attendance sources (docs/attendance.md). Each mark gets a version, so an offline device can
 * say which mark it had seen, and the time of the learner's QR check-in while it stands, so an offline mark
 * made without seeing it cannot take it away. Offline marks keep the version their device showed and the whole
 * answer they were given: a replay answers the same, and conflicts are listed for the trainer.
 *
 * Adding a column with a constant default rewrites nothing; only the marks made by QR check-in are updated.
 */
export class AttendancePrecedence1796724008000 implements MigrationInterface {
  name = 'AttendancePrecedence1796724008000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE attendance ADD COLUMN version integer NOT NULL DEFAULT 1`);
    await q.query(`ALTER TABLE attendance ADD COLUMN checked_in_at timestamptz`);
    await q.query(
      `UPDATE attendance SET checked_in_at = recorded_at WHERE method = 'qr' AND status IN ('present', 'late')`,
    );
    await q.query(`ALTER TABLE attendance ADD CONSTRAINT ck_attendance_version CHECK (version > 0)`);
    await q.query(
      `ALTER TABLE attendance ADD CONSTRAINT ck_attendance_checked_in
         CHECK (checked_in_at IS NULL OR status IN ('present', 'late'))`,
    );
    await q.query(`ALTER TABLE sync_mark ADD COLUMN base_version integer`);
    await q.query(`ALTER TABLE sync_mark ADD COLUMN answer jsonb`);
    await q.query(
      `ALTER TABLE sync_mark ADD CONSTRAINT ck_sync_mark_result
         CHECK (result IN ('pending', 'applied', 'applied_over', 'stale', 'superseded', 'rejected', 'conflict'))`,
    );
    await q.query(`CREATE INDEX ix_sync_mark_conflict ON sync_mark (session_id) WHERE result = 'conflict'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ix_sync_mark_conflict`);
    await q.query(`ALTER TABLE sync_mark DROP CONSTRAINT ck_sync_mark_result`);
    await q.query(`ALTER TABLE sync_mark DROP COLUMN answer`);
    await q.query(`ALTER TABLE sync_mark DROP COLUMN base_version`);
    await q.query(`ALTER TABLE attendance DROP CONSTRAINT ck_attendance_checked_in`);
    await q.query(`ALTER TABLE attendance DROP CONSTRAINT ck_attendance_version`);
    await q.query(`ALTER TABLE attendance DROP COLUMN checked_in_at`);
    await q.query(`ALTER TABLE attendance DROP COLUMN version`);
  }
}
