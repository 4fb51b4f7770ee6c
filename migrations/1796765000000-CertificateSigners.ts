import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who signs a program's certificates for an issuing unit (a province's or a commune's steering committee):
 * the issuing body's name, the signer's title and name, and the unit's seal. A certificate takes the signer
 * of the nearest unit above its class that has one (the program's own columns otherwise) and keeps them in
 * its snapshot; seals are stored once by their content's hash and never changed, so a certificate prints
 * the seal it was issued under even after the unit replaces it.
 */
export class CertificateSigners1796765000000 implements MigrationInterface {
  name = 'CertificateSigners1796765000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE certificate_seal (
        hash char(64) NOT NULL,
        mime varchar(20) NOT NULL,
        image bytea NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_certificate_seal PRIMARY KEY (hash),
        CONSTRAINT ck_certificate_seal_mime CHECK (mime IN ('image/png', 'image/jpeg'))
      )`);
    await q.query(`
      CREATE TABLE certificate_signer (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        program_id uuid NOT NULL,
        unit_id integer NOT NULL,
        issuer varchar(300),
        signer_title varchar(200) NOT NULL,
        signer_name varchar(200) NOT NULL,
        seal_hash char(64),
        updated_by uuid,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_certificate_signer PRIMARY KEY (id),
        CONSTRAINT uq_certificate_signer_unit UNIQUE (program_id, unit_id),
        CONSTRAINT fk_certificate_signer_program FOREIGN KEY (program_id) REFERENCES program (id),
        CONSTRAINT fk_certificate_signer_unit FOREIGN KEY (unit_id) REFERENCES admin_unit (id),
        CONSTRAINT fk_certificate_signer_seal FOREIGN KEY (seal_hash) REFERENCES certificate_seal (hash),
        CONSTRAINT fk_certificate_signer_user FOREIGN KEY (updated_by) REFERENCES app_user (id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE certificate_signer`);
    await q.query(`DROP TABLE certificate_seal`);
  }
}
