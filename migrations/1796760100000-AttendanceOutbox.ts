import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The outbox of offline sync (docs/attendance.md, "Derived work"): a batch's transaction stores its marks and
 * one row naming the (class, person) pairs they changed; the worker re-decides completion, reach,
 * certificates and KPI facts for many rows at once and deletes them in the same transaction, so work
 * acknowledged to a device is never lost, whether the worker or the database stops in between.
 */
export class AttendanceOutbox1796760100000 implements MigrationInterface {
  name = 'AttendanceOutbox1796760100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE attendance_outbox (
        id bigint GENERATED ALWAYS AS IDENTITY,
        class_ids uuid[] NOT NULL,
        person_ids uuid[] NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_attendance_outbox PRIMARY KEY (id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE attendance_outbox`);
  }
}
