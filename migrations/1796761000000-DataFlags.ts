import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Data-honesty flags (docs/flags.md): patterns of attendance that is probably not real, raised as records
 * arrive, each with its evidence and severity; the records (people) behind each flag, one row per person; a reviewer's decision
 * (cleared, or records excluded), reversible; and each program's thresholds per pattern.
 */
export class DataFlags1796761000000 implements MigrationInterface {
  name = 'DataFlags1796761000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE data_flag (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        program_id uuid NOT NULL,
        pattern varchar(40) NOT NULL,
        subject_key varchar(300) NOT NULL,
        severity varchar(10) NOT NULL,
        unit_id integer NOT NULL,
        class_id uuid,
        trainer_id uuid,
        partner_client_id uuid,
        evidence jsonb NOT NULL,
        records integer NOT NULL DEFAULT 0,
        status varchar(10) NOT NULL DEFAULT 'open',
        raised_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        decided_by uuid,
        decided_at timestamptz,
        decision_reason varchar(1000),
        explanation varchar(2000),
        explained_by uuid,
        explained_at timestamptz,
        CONSTRAINT pk_data_flag PRIMARY KEY (id),
        CONSTRAINT uq_data_flag_subject UNIQUE (program_id, pattern, subject_key),
        CONSTRAINT fk_data_flag_program FOREIGN KEY (program_id) REFERENCES program (id),
        CONSTRAINT fk_data_flag_class FOREIGN KEY (class_id) REFERENCES training_class (id) ON DELETE CASCADE,
        CONSTRAINT ck_data_flag_severity CHECK (severity IN ('low', 'medium', 'high')),
        CONSTRAINT ck_data_flag_status CHECK (status IN ('open', 'cleared', 'excluded')),
        CONSTRAINT ck_data_flag_decision CHECK (status = 'open' OR (decided_at IS NOT NULL AND decision_reason IS NOT NULL))
      )`);
    // The review queue: a program's flags by status, newest first.
    await q.query(`CREATE INDEX ix_data_flag_queue ON data_flag (program_id, status, raised_at)`);
    await q.query(`CREATE INDEX ix_data_flag_class ON data_flag (class_id)`);
    await q.query(`CREATE INDEX ix_data_flag_trainer ON data_flag (trainer_id)`);

    // The people whose records a flag questions (in a class, or through a partner when class_id is null).
    await q.query(`
      CREATE TABLE data_flag_record (
        flag_id uuid NOT NULL,
        person_id uuid NOT NULL,
        class_id uuid,
        CONSTRAINT pk_data_flag_record PRIMARY KEY (flag_id, person_id),
        CONSTRAINT fk_data_flag_record_flag FOREIGN KEY (flag_id) REFERENCES data_flag (id) ON DELETE CASCADE,
        CONSTRAINT fk_data_flag_record_person FOREIGN KEY (person_id) REFERENCES person (id)
      )`);
    // Verified / flagged figures: the people of a program with open or excluded flags.
    await q.query(`CREATE INDEX ix_data_flag_record_person ON data_flag_record (person_id)`);

    await q.query(`
      CREATE TABLE data_flag_setting (
        program_id uuid NOT NULL,
        pattern varchar(40) NOT NULL,
        enabled boolean NOT NULL DEFAULT true,
        threshold numeric(12,3) NOT NULL,
        severity varchar(10) NOT NULL,
        updated_by uuid,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_data_flag_setting PRIMARY KEY (program_id, pattern),
        CONSTRAINT fk_data_flag_setting_program FOREIGN KEY (program_id) REFERENCES program (id) ON DELETE CASCADE,
        CONSTRAINT ck_data_flag_setting_severity CHECK (severity IN ('low', 'medium', 'high')),
        CONSTRAINT ck_data_flag_setting_threshold CHECK (threshold >= 0)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE data_flag_setting`);
    await q.query(`DROP TABLE data_flag_record`);
    await q.query(`DROP TABLE data_flag`);
  }
}
