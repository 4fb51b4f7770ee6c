import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The partner API: partner clients and their API keys (stored as SHA-256 hashes, scoped to programs and a
 * unit subtree), per-key rate windows shared by every API process, the partner's own ids for the people it
 * registered, online learning records (lessons, level completions, outcomes) that count in the KPI facts
 * beside class attendance, stored answers for Idempotency-Key, xAPI activity mappings, and outbound webhooks
 * (endpoints, messages, deliveries and every attempt).
 *
 * Outside the new tables: the audit log names non-user actors (a partner) in `actor_name`; jobs can wait
 * until `run_after` (webhook retries with backoff); the KPI facts carry the method that counted a person
 * (class, or online / partner) and the monthly sums its online share; record facts gain kind 'online'
 * (level completions recorded by partners, for the figures by level).
 */
export class PartnersApi1796724016000 implements MigrationInterface {
  name = 'PartnersApi1796724016000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE partner_client (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        name varchar(200) NOT NULL,
        kind varchar(20) NOT NULL,
        contact_name varchar(200),
        contact_email varchar(200),
        contact_phone varchar(30),
        unit_id integer NOT NULL,
        status varchar(10) NOT NULL DEFAULT 'active',
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_partner_client PRIMARY KEY (id),
        CONSTRAINT fk_partner_client_unit FOREIGN KEY (unit_id) REFERENCES admin_unit (id),
        CONSTRAINT ck_partner_client_kind CHECK (kind IN ('school', 'enterprise', 'online_platform', 'organisation', 'government')),
        CONSTRAINT ck_partner_client_status CHECK (status IN ('active', 'disabled'))
      )`);
    await q.query(`CREATE INDEX ix_partner_client_unit ON partner_client (unit_id)`);

    await q.query(`
      CREATE TABLE partner_key (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        client_id uuid NOT NULL,
        name varchar(100) NOT NULL,
        prefix varchar(20) NOT NULL,
        secret_hash varchar(64) NOT NULL,
        program_ids uuid[] NOT NULL,
        unit_id integer NOT NULL,
        rate_limit integer NOT NULL DEFAULT 120,
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz,
        revoked_reason varchar(500),
        rotated_from_id uuid,
        last_used_at timestamptz,
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_partner_key PRIMARY KEY (id),
        CONSTRAINT uq_partner_key_secret UNIQUE (secret_hash),
        CONSTRAINT fk_partner_key_client FOREIGN KEY (client_id) REFERENCES partner_client (id),
        CONSTRAINT fk_partner_key_unit FOREIGN KEY (unit_id) REFERENCES admin_unit (id),
        CONSTRAINT fk_partner_key_rotated_from FOREIGN KEY (rotated_from_id) REFERENCES partner_key (id),
        CONSTRAINT ck_partner_key_rate_limit CHECK (rate_limit > 0),
        CONSTRAINT ck_partner_key_programs CHECK (cardinality(program_ids) > 0)
      )`);
    await q.query(`CREATE INDEX ix_partner_key_client ON partner_key (client_id, created_at)`);

    await q.query(`
      CREATE TABLE partner_rate_window (
        key_id uuid NOT NULL,
        window_start timestamptz NOT NULL,
        calls integer NOT NULL,
        CONSTRAINT pk_partner_rate_window PRIMARY KEY (key_id),
        CONSTRAINT fk_partner_rate_window_key FOREIGN KEY (key_id) REFERENCES partner_key (id) ON DELETE CASCADE
      )`);

    await q.query(`
      CREATE TABLE partner_person (
        client_id uuid NOT NULL,
        external_id varchar(100) NOT NULL,
        person_id uuid NOT NULL,
        commune_id integer NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_partner_person PRIMARY KEY (client_id, external_id),
        CONSTRAINT fk_partner_person_client FOREIGN KEY (client_id) REFERENCES partner_client (id),
        CONSTRAINT fk_partner_person_person FOREIGN KEY (person_id) REFERENCES person (id),
        CONSTRAINT fk_partner_person_commune FOREIGN KEY (commune_id) REFERENCES admin_unit (id)
      )`);
    await q.query(`CREATE INDEX ix_partner_person_person ON partner_person (person_id)`);

    await q.query(`
      CREATE TABLE partner_learning_record (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        client_id uuid NOT NULL,
        key_id uuid,
        item_id varchar(200) NOT NULL,
        kind varchar(12) NOT NULL,
        source varchar(6) NOT NULL,
        program_id uuid NOT NULL,
        person_id uuid NOT NULL,
        unit_id integer NOT NULL,
        level smallint,
        lesson varchar(200),
        occurred_at timestamptz NOT NULL,
        can_apply boolean,
        score numeric(5,2),
        content_hash varchar(64) NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        voided_at timestamptz,
        CONSTRAINT pk_partner_learning_record PRIMARY KEY (id),
        CONSTRAINT uq_partner_learning_record_item UNIQUE (client_id, kind, item_id),
        CONSTRAINT fk_partner_learning_record_client FOREIGN KEY (client_id) REFERENCES partner_client (id),
        CONSTRAINT fk_partner_learning_record_program FOREIGN KEY (program_id) REFERENCES program (id),
        CONSTRAINT fk_partner_learning_record_person FOREIGN KEY (person_id) REFERENCES person (id),
        CONSTRAINT fk_partner_learning_record_unit FOREIGN KEY (unit_id) REFERENCES admin_unit (id),
        CONSTRAINT ck_partner_learning_record_kind CHECK (kind IN ('lesson', 'completion', 'outcome')),
        CONSTRAINT ck_partner_learning_record_source CHECK (source IN ('api', 'xapi')),
        CONSTRAINT ck_partner_learning_record_level CHECK (level BETWEEN 1 AND 5),
        CONSTRAINT ck_partner_learning_record_score CHECK (score BETWEEN 0 AND 100)
      )`);
    // The KPI facts of a person are recomputed by (program, person).
    await q.query(
      `CREATE INDEX ix_partner_learning_record_person ON partner_learning_record (program_id, person_id)`,
    );
    await q.query(
      `CREATE INDEX ix_partner_learning_record_client ON partner_learning_record (client_id, received_at)`,
    );

    await q.query(`
      CREATE TABLE partner_idempotency (
        client_id uuid NOT NULL,
        key varchar(200) NOT NULL,
        operation varchar(200) NOT NULL,
        request_hash varchar(64) NOT NULL,
        status smallint NOT NULL,
        response text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_partner_idempotency PRIMARY KEY (client_id, key),
        CONSTRAINT fk_partner_idempotency_client FOREIGN KEY (client_id) REFERENCES partner_client (id)
      )`);
    await q.query(
      `CREATE INDEX ix_partner_idempotency_created ON partner_idempotency (client_id, created_at)`,
    );

    await q.query(`
      CREATE TABLE partner_xapi_activity (
        client_id uuid NOT NULL,
        activity_id varchar(500) NOT NULL,
        program_id uuid NOT NULL,
        level smallint NOT NULL,
        lesson varchar(200),
        CONSTRAINT pk_partner_xapi_activity PRIMARY KEY (client_id, activity_id),
        CONSTRAINT fk_partner_xapi_activity_client FOREIGN KEY (client_id) REFERENCES partner_client (id),
        CONSTRAINT fk_partner_xapi_activity_program FOREIGN KEY (program_id) REFERENCES program (id),
        CONSTRAINT ck_partner_xapi_activity_level CHECK (level BETWEEN 1 AND 5)
      )`);

    await q.query(`
      CREATE TABLE webhook_endpoint (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        client_id uuid NOT NULL,
        url varchar(2000) NOT NULL,
        description varchar(200),
        events text[] NOT NULL,
        program_ids uuid[] NOT NULL,
        unit_id integer NOT NULL,
        secret varchar(100) NOT NULL,
        previous_secret varchar(100),
        previous_secret_until timestamptz,
        status varchar(10) NOT NULL DEFAULT 'active',
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_webhook_endpoint PRIMARY KEY (id),
        CONSTRAINT fk_webhook_endpoint_client FOREIGN KEY (client_id) REFERENCES partner_client (id),
        CONSTRAINT fk_webhook_endpoint_unit FOREIGN KEY (unit_id) REFERENCES admin_unit (id),
        CONSTRAINT ck_webhook_endpoint_status CHECK (status IN ('active', 'disabled'))
      )`);
    await q.query(`CREATE INDEX ix_webhook_endpoint_client ON webhook_endpoint (client_id)`);

    await q.query(`
      CREATE TABLE webhook_message (
        id varchar(40) NOT NULL,
        type varchar(40) NOT NULL,
        dedupe_key varchar(200) NOT NULL,
        program_id uuid,
        unit_path varchar(200) NOT NULL,
        body text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_webhook_message PRIMARY KEY (id),
        CONSTRAINT uq_webhook_message_dedupe UNIQUE (dedupe_key)
      )`);

    await q.query(`
      CREATE TABLE webhook_delivery (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        message_id varchar(40) NOT NULL,
        endpoint_id uuid NOT NULL,
        status varchar(10) NOT NULL DEFAULT 'pending',
        attempts smallint NOT NULL DEFAULT 0,
        next_attempt_at timestamptz,
        locked_until timestamptz,
        manual boolean NOT NULL DEFAULT false,
        last_status smallint,
        last_error varchar(500),
        created_at timestamptz NOT NULL DEFAULT now(),
        delivered_at timestamptz,
        CONSTRAINT pk_webhook_delivery PRIMARY KEY (id),
        CONSTRAINT uq_webhook_delivery UNIQUE (message_id, endpoint_id),
        CONSTRAINT fk_webhook_delivery_message FOREIGN KEY (message_id) REFERENCES webhook_message (id),
        CONSTRAINT fk_webhook_delivery_endpoint FOREIGN KEY (endpoint_id) REFERENCES webhook_endpoint (id),
        CONSTRAINT ck_webhook_delivery_status CHECK (status IN ('pending', 'succeeded', 'failed'))
      )`);
    // The dispatcher's claim: pending deliveries by due time.
    await q.query(
      `CREATE INDEX ix_webhook_delivery_due ON webhook_delivery (next_attempt_at) WHERE status = 'pending'`,
    );
    await q.query(`CREATE INDEX ix_webhook_delivery_endpoint ON webhook_delivery (endpoint_id, created_at)`);

    await q.query(`
      CREATE TABLE webhook_attempt (
        id bigint GENERATED ALWAYS AS IDENTITY,
        delivery_id uuid NOT NULL,
        attempt smallint NOT NULL,
        trigger varchar(10) NOT NULL,
        at timestamptz NOT NULL,
        status smallint,
        duration_ms integer NOT NULL,
        error varchar(500),
        response varchar(1000),
        CONSTRAINT pk_webhook_attempt PRIMARY KEY (id),
        CONSTRAINT fk_webhook_attempt_delivery FOREIGN KEY (delivery_id) REFERENCES webhook_delivery (id),
        CONSTRAINT ck_webhook_attempt_trigger CHECK (trigger IN ('auto', 'manual'))
      )`);
    await q.query(`CREATE INDEX ix_webhook_attempt_delivery ON webhook_attempt (delivery_id, id)`);

    // Outside the partner library (see the class comment).
    await q.query(`ALTER TABLE audit_log ADD COLUMN actor_name varchar(200)`);
    await q.query(`ALTER TABLE job ADD COLUMN run_after timestamptz`);
    await q.query(`
      ALTER TABLE kpi_person_fact
        ADD COLUMN reached_via varchar(10) NOT NULL DEFAULT 'class',
        ADD COLUMN completed_via varchar(10),
        ADD CONSTRAINT ck_kpi_person_fact_reached_via CHECK (reached_via IN ('class', 'online')),
        ADD CONSTRAINT ck_kpi_person_fact_completed_via CHECK (completed_via IN ('class', 'online'))`);
    await q.query(`UPDATE kpi_person_fact SET completed_via = 'class' WHERE completed_on IS NOT NULL`);
    await q.query(`
      ALTER TABLE kpi_monthly
        ADD COLUMN reached_online integer NOT NULL DEFAULT 0,
        ADD COLUMN completed_online integer NOT NULL DEFAULT 0,
        ADD COLUMN proficient_online integer NOT NULL DEFAULT 0`);
    await q.query(`ALTER TABLE kpi_record_fact DROP CONSTRAINT ck_kpi_record_fact_kind`);
    await q.query(
      `ALTER TABLE kpi_record_fact ADD CONSTRAINT ck_kpi_record_fact_kind CHECK (kind IN ('class', 'certificate', 'online'))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    // Online learning leaves the KPI facts with its tables: a rebuild of every program's facts is queued.
    await q.query(
      `INSERT INTO job (kind, params) SELECT 'kpi.rebuild', '{}' WHERE EXISTS (SELECT 1 FROM partner_learning_record)`,
    );
    await q.query(`DELETE FROM kpi_record_fact WHERE kind = 'online'`);
    await q.query(`ALTER TABLE kpi_record_fact DROP CONSTRAINT ck_kpi_record_fact_kind`);
    await q.query(
      `ALTER TABLE kpi_record_fact ADD CONSTRAINT ck_kpi_record_fact_kind CHECK (kind IN ('class', 'certificate'))`,
    );
    await q.query(`
      ALTER TABLE kpi_monthly DROP COLUMN reached_online, DROP COLUMN completed_online, DROP COLUMN proficient_online`);
    await q.query(`ALTER TABLE kpi_person_fact DROP COLUMN reached_via, DROP COLUMN completed_via`);
    await q.query(`ALTER TABLE job DROP COLUMN run_after`);
    await q.query(`ALTER TABLE audit_log DROP COLUMN actor_name`);
    await q.query(`DROP TABLE webhook_attempt`);
    await q.query(`DROP TABLE webhook_delivery`);
    await q.query(`DROP TABLE webhook_message`);
    await q.query(`DROP TABLE webhook_endpoint`);
    await q.query(`DROP TABLE partner_xapi_activity`);
    await q.query(`DROP TABLE partner_idempotency`);
    await q.query(`DROP TABLE partner_learning_record`);
    await q.query(`DROP TABLE partner_person`);
    await q.query(`DROP TABLE partner_rate_window`);
    await q.query(`DROP TABLE partner_key`);
    await q.query(`DROP TABLE partner_client`);
  }
}
