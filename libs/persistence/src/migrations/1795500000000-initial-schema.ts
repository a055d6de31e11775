import { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1795500000000 implements MigrationInterface {
  name = 'InitialSchema1795500000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE TABLE mirrors (
      id varchar(63) PRIMARY KEY,
      source_repository varchar(63) NOT NULL,
      region varchar(63) NOT NULL,
      storage_namespace varchar(1024) NOT NULL,
      state varchar(16) NOT NULL,
      created_by varchar(256) NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now())`);
    await db.query(`CREATE INDEX mirrors_source_repository ON mirrors (source_repository)`);
    await db.query(`CREATE TABLE branch_states (
      mirror_id varchar(63) NOT NULL REFERENCES mirrors (id) ON DELETE CASCADE,
      branch varchar(256) NOT NULL,
      source_head varchar(64),
      observed_sequence bigint NOT NULL DEFAULT 0,
      mirrored_head varchar(64),
      mirrored_sequence bigint NOT NULL DEFAULT 0,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (mirror_id, branch))`);
    await db.query(`CREATE TABLE policies (
      id varchar(128) PRIMARY KEY,
      document jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now())`);
    await db.query(`CREATE TABLE policy_attachments (
      policy_id varchar(128) NOT NULL REFERENCES policies (id) ON DELETE CASCADE,
      principal_type varchar(8) NOT NULL CHECK (principal_type IN ('user', 'group')),
      principal_id varchar(256) NOT NULL,
      PRIMARY KEY (policy_id, principal_type, principal_id))`);
    await db.query(`CREATE TABLE group_members (
      group_id varchar(128) NOT NULL,
      user_id varchar(256) NOT NULL,
      PRIMARY KEY (group_id, user_id))`);
    await db.query(`CREATE TABLE audit_log (
      id bigserial PRIMARY KEY,
      at timestamptz NOT NULL DEFAULT now(),
      actor varchar(256) NOT NULL,
      action varchar(64) NOT NULL,
      target varchar(1024) NOT NULL,
      result varchar(16) NOT NULL,
      detail jsonb NOT NULL DEFAULT '{}')`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of ['audit_log', 'group_members', 'policy_attachments', 'policies', 'branch_states', 'mirrors']) {
      await db.query(`DROP TABLE ${table}`);
    }
  }
}
