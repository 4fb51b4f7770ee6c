import { MigrationInterface, QueryRunner } from 'typeorm';

/** Sign-in with OpenID Connect providers: identities linked to staff accounts, and the provider of a session. */
export class OidcIdentities1796757000000 implements MigrationInterface {
  name = 'OidcIdentities1796757000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE user_identity (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL,
        provider varchar(20) NOT NULL,
        subject varchar(255) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        created_by uuid,
        last_login_at timestamptz,
        CONSTRAINT pk_user_identity PRIMARY KEY (id),
        CONSTRAINT uq_user_identity_subject UNIQUE (provider, subject),
        CONSTRAINT fk_user_identity_user FOREIGN KEY (user_id) REFERENCES app_user (id) ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX ix_user_identity_user ON user_identity (user_id)`);
    await q.query(
      `ALTER TABLE auth_session ADD COLUMN oidc_provider varchar(20), ADD COLUMN oidc_id_token text`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE auth_session DROP COLUMN oidc_id_token, DROP COLUMN oidc_provider`);
    await q.query(`DROP TABLE user_identity`);
  }
}
