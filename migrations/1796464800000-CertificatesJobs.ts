import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Certificates (one valid per person × program level; serials gapless per program and year through a
 * counter row updated in the issuing transaction; status kept for ever), the certificate settings of a
 * program, and background jobs kept in PostgreSQL.
 */
export class CertificatesJobs1796464800000 implements MigrationInterface {
  name = 'CertificatesJobs1796464800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE program
        ADD COLUMN certificate_issue_mode varchar(10) NOT NULL DEFAULT 'manual',
        ADD COLUMN certificate_template varchar(60) NOT NULL DEFAULT 'default',
        ADD COLUMN certificate_issuer varchar(300),
        ADD COLUMN certificate_signer_title varchar(200),
        ADD COLUMN certificate_signer_name varchar(200),
        ADD COLUMN certificate_place varchar(100),
        ADD CONSTRAINT ck_program_certificate_issue_mode CHECK (certificate_issue_mode IN ('auto', 'manual'))`);

    await q.query(`
      CREATE TABLE certificate_counter (
        program_id uuid NOT NULL,
        year smallint NOT NULL,
        last_number integer NOT NULL,
        CONSTRAINT pk_certificate_counter PRIMARY KEY (program_id, year),
        CONSTRAINT fk_certificate_counter_program FOREIGN KEY (program_id) REFERENCES program (id)
      )`);

    await q.query(`
      CREATE TABLE certificate (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        program_id uuid NOT NULL,
        person_id uuid NOT NULL,
        level smallint NOT NULL,
        enrolment_id uuid,
        class_id uuid,
        serial varchar(40) NOT NULL,
        serial_year smallint NOT NULL,
        serial_number integer NOT NULL,
        verification_code varchar(64) NOT NULL,
        status varchar(10) NOT NULL DEFAULT 'valid',
        issued_at timestamptz NOT NULL,
        issued_on date NOT NULL,
        issued_by uuid,
        revoked_at timestamptz,
        revoked_reason varchar(500),
        revoked_by uuid,
        replaces_id uuid,
        replaced_by_id uuid,
        snapshot jsonb NOT NULL,
        unit_path text NOT NULL,
        CONSTRAINT pk_certificate PRIMARY KEY (id),
        CONSTRAINT fk_certificate_program FOREIGN KEY (program_id) REFERENCES program (id),
        CONSTRAINT fk_certificate_person FOREIGN KEY (person_id) REFERENCES person (id),
        CONSTRAINT fk_certificate_enrolment FOREIGN KEY (enrolment_id) REFERENCES enrolment (id) ON DELETE SET NULL,
        CONSTRAINT fk_certificate_class FOREIGN KEY (class_id) REFERENCES training_class (id) ON DELETE SET NULL,
        CONSTRAINT fk_certificate_replaces FOREIGN KEY (replaces_id) REFERENCES certificate (id),
        CONSTRAINT fk_certificate_replaced_by FOREIGN KEY (replaced_by_id) REFERENCES certificate (id),
        CONSTRAINT uq_certificate_serial UNIQUE (serial),
        CONSTRAINT uq_certificate_number UNIQUE (program_id, serial_year, serial_number),
        CONSTRAINT uq_certificate_code UNIQUE (verification_code),
        CONSTRAINT ck_certificate_status CHECK (status IN ('valid', 'revoked')),
        CONSTRAINT ck_certificate_level CHECK (level BETWEEN 1 AND 5),
        CONSTRAINT ck_certificate_revoked CHECK ((status = 'revoked') = (revoked_at IS NOT NULL))
      )`);
    // One valid certificate per person and program level; revoked ones stay beside it.
    await q.query(`
      CREATE UNIQUE INDEX ux_certificate_valid ON certificate (program_id, person_id, level) WHERE status = 'valid'`);
    await q.query(`CREATE INDEX ix_certificate_person ON certificate (person_id)`);
    await q.query(`CREATE INDEX ix_certificate_class ON certificate (class_id)`);
    await q.query(`CREATE INDEX ix_certificate_enrolment ON certificate (enrolment_id)`);
    await q.query(`CREATE INDEX ix_certificate_unit_path ON certificate (unit_path text_pattern_ops)`);
    await q.query(`CREATE INDEX ix_certificate_program_issued ON certificate (program_id, issued_on)`);

    await q.query(`
      CREATE TABLE job (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        kind varchar(40) NOT NULL,
        status varchar(12) NOT NULL DEFAULT 'queued',
        params jsonb NOT NULL,
        progress integer NOT NULL DEFAULT 0,
        total integer,
        result jsonb,
        file_name varchar(200),
        file_path varchar(500),
        file_type varchar(100),
        error varchar(1000),
        attempts smallint NOT NULL DEFAULT 0,
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        finished_at timestamptz,
        heartbeat_at timestamptz,
        CONSTRAINT pk_job PRIMARY KEY (id),
        CONSTRAINT ck_job_status CHECK (status IN ('queued', 'running', 'succeeded', 'failed'))
      )`);
    await q.query(`CREATE INDEX ix_job_queue ON job (status, created_at)`);
    await q.query(`CREATE INDEX ix_job_created_by ON job (created_by, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE job`);
    await q.query(`DROP TABLE certificate`);
    await q.query(`DROP TABLE certificate_counter`);
    await q.query(`
      ALTER TABLE program
        DROP CONSTRAINT ck_program_certificate_issue_mode,
        DROP COLUMN certificate_place,
        DROP COLUMN certificate_signer_name,
        DROP COLUMN certificate_signer_title,
        DROP COLUMN certificate_issuer,
        DROP COLUMN certificate_template,
        DROP COLUMN certificate_issue_mode`);
  }
}
