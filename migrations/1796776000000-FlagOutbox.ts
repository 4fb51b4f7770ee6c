import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The detector's outbox (docs/flags.md, "When flags are raised"): the transaction that writes marks stores one
 * row naming the (class, person) pairs they changed; the detector's job evaluates every pattern over many rows
 * at once and deletes them in the same transaction, so no change of marks goes unexamined if the worker or the
 * database stops in between. Rosters no longer evaluate the eleven patterns in the request.
 */
export class FlagOutbox1796776000000 implements MigrationInterface {
  name = 'FlagOutbox1796776000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE data_flag_outbox (
        id bigint GENERATED ALWAYS AS IDENTITY,
        class_ids uuid[] NOT NULL,
        person_ids uuid[] NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_data_flag_outbox PRIMARY KEY (id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE data_flag_outbox`);
  }
}
