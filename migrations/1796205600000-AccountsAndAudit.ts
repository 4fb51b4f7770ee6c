import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Organisations (the scope of a department head), user accounts with role assignments, login sessions with
 * rotating refresh tokens, login throttling, and the append-only audit log.
 */
export class AccountsAndAudit1796205600000 implements MigrationInterface {
  name = 'AccountsAndAudit1796205600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE organisation (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        unit_id integer NOT NULL,
        name varchar(300) NOT NULL,
        kind varchar(20) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_organisation PRIMARY KEY (id),
        CONSTRAINT fk_organisation_unit FOREIGN KEY (unit_id) REFERENCES admin_unit (id),
        CONSTRAINT ck_organisation_kind
          CHECK (kind IN ('agency', 'mass_organisation', 'school', 'enterprise', 'cooperative', 'other'))
      )`);
    await q.query(`CREATE INDEX ix_organisation_unit ON organisation (unit_id)`);

    await q.query(`
      CREATE TABLE app_user (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        login varchar(254) NOT NULL,
        display_name varchar(200) NOT NULL,
        sort_key text COLLATE "C" NOT NULL,
        password_hash varchar(200) NOT NULL,
        status varchar(10) NOT NULL DEFAULT 'active',
        must_change_password boolean NOT NULL DEFAULT false,
        password_changed_at timestamptz NOT NULL DEFAULT now(),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_app_user PRIMARY KEY (id),
        CONSTRAINT uq_app_user_login UNIQUE (login),
        CONSTRAINT ck_app_user_status CHECK (status IN ('active', 'disabled'))
      )`);

    await q.query(`
      CREATE TABLE role_assignment (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL,
        role varchar(20) NOT NULL,
        unit_id integer,
        organisation_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        created_by uuid,
        CONSTRAINT pk_role_assignment PRIMARY KEY (id),
        CONSTRAINT fk_role_assignment_user FOREIGN KEY (user_id) REFERENCES app_user (id) ON DELETE CASCADE,
        CONSTRAINT fk_role_assignment_unit FOREIGN KEY (unit_id) REFERENCES admin_unit (id),
        CONSTRAINT fk_role_assignment_organisation FOREIGN KEY (organisation_id) REFERENCES organisation (id),
        CONSTRAINT ck_role_assignment_role
          CHECK (role IN ('admin', 'steering', 'department_head', 'trainer', 'viewer')),
        CONSTRAINT ck_role_assignment_scope CHECK (
          (role = 'admin' AND unit_id IS NULL AND organisation_id IS NULL)
          OR (role IN ('steering', 'viewer', 'trainer') AND unit_id IS NOT NULL AND organisation_id IS NULL)
          OR (role = 'department_head' AND organisation_id IS NOT NULL AND unit_id IS NULL))
      )`);
    await q.query(`CREATE INDEX ix_role_assignment_user ON role_assignment (user_id)`);
    await q.query(`CREATE INDEX ix_role_assignment_unit ON role_assignment (unit_id)`);
    await q.query(`CREATE INDEX ix_role_assignment_organisation ON role_assignment (organisation_id)`);
    // One assignment per user, role and scope.
    await q.query(`
      CREATE UNIQUE INDEX ux_role_assignment_scope ON role_assignment
        (user_id, role, coalesce(unit_id, 0), coalesce(organisation_id, '00000000-0000-0000-0000-000000000000'))`);

    await q.query(`
      CREATE TABLE auth_session (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz,
        revoked_reason varchar(20),
        ip varchar(64),
        user_agent varchar(300),
        CONSTRAINT pk_auth_session PRIMARY KEY (id),
        CONSTRAINT fk_auth_session_user FOREIGN KEY (user_id) REFERENCES app_user (id) ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX ix_auth_session_user ON auth_session (user_id)`);

    await q.query(`
      CREATE TABLE refresh_token (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        session_id uuid NOT NULL,
        token_hash varchar(64) NOT NULL,
        expires_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        used_at timestamptz,
        CONSTRAINT pk_refresh_token PRIMARY KEY (id),
        CONSTRAINT fk_refresh_token_session FOREIGN KEY (session_id) REFERENCES auth_session (id) ON DELETE CASCADE,
        CONSTRAINT uq_refresh_token_hash UNIQUE (token_hash)
      )`);
    await q.query(`CREATE INDEX ix_refresh_token_session ON refresh_token (session_id)`);

    await q.query(`
      CREATE TABLE login_throttle (
        key varchar(300) NOT NULL,
        failures integer NOT NULL,
        window_start timestamptz NOT NULL,
        locked_until timestamptz,
        CONSTRAINT pk_login_throttle PRIMARY KEY (key)
      )`);

    await q.query(`
      CREATE TABLE audit_log (
        id bigint GENERATED ALWAYS AS IDENTITY,
        at timestamptz NOT NULL DEFAULT now(),
        actor_id uuid,
        action varchar(60) NOT NULL,
        entity_type varchar(40) NOT NULL,
        entity_id varchar(64),
        before jsonb,
        after jsonb,
        scope_paths text[] NOT NULL DEFAULT '{}',
        request_id varchar(64),
        ip varchar(64),
        CONSTRAINT pk_audit_log PRIMARY KEY (id)
      )`);
    await q.query(`CREATE INDEX ix_audit_log_entity ON audit_log (entity_type, entity_id, at)`);
    await q.query(`CREATE INDEX ix_audit_log_at ON audit_log (at)`);
    await q.query(`CREATE INDEX ix_audit_log_actor ON audit_log (actor_id, at)`);
    // Append-only: rows are never changed or removed, not even by the application's own role.
    await q.query(`
      CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
        FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`);
    await q.query(`
      CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
        FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_log`);
    await q.query(`DROP FUNCTION audit_log_append_only()`);
    await q.query(`DROP TABLE login_throttle`);
    await q.query(`DROP TABLE refresh_token`);
    await q.query(`DROP TABLE auth_session`);
    await q.query(`DROP TABLE role_assignment`);
    await q.query(`DROP TABLE app_user`);
    await q.query(`DROP TABLE organisation`);
  }
}
