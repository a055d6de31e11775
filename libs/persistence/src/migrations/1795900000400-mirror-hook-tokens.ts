import { MigrationInterface, QueryRunner } from 'typeorm';

/** A mirror's hook token (lakeFS webhooks ask for a scan with it): only its SHA-256 is kept, the token is shown once. */
export class MirrorHookTokens1795900000400 implements MigrationInterface {
  name = 'MirrorHookTokens1795900000400';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE TABLE mirror_hook_tokens (
      mirror_id varchar(63) PRIMARY KEY REFERENCES mirrors (id) ON DELETE CASCADE,
      token_sha256 char(64) NOT NULL,
      created_by varchar(256) NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now())`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE mirror_hook_tokens`);
  }
}
