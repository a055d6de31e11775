import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Consistency audits: one row per audit of a mirror (what it checked, how far it got, what it
 * found missing and why). At most one audit of a mirror is queued or running at a time.
 */
export class MirrorAudits1795900000600 implements MigrationInterface {
  name = 'MirrorAudits1795900000600';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE TABLE mirror_audits (
      id uuid PRIMARY KEY,
      mirror_id varchar(63) NOT NULL REFERENCES mirrors (id) ON DELETE CASCADE,
      state varchar(16) NOT NULL CHECK (state IN ('queued', 'running', 'succeeded', 'failed')),
      requested_by varchar(256) NOT NULL,
      requested_at timestamptz NOT NULL DEFAULT now(),
      started_at timestamptz,
      finished_at timestamptz,
      commits jsonb NOT NULL DEFAULT '[]',
      ranges_total integer NOT NULL DEFAULT 0,
      ranges_checked integer NOT NULL DEFAULT 0,
      objects_total bigint NOT NULL DEFAULT 0,
      objects_checked bigint NOT NULL DEFAULT 0,
      objects_outside_namespace bigint NOT NULL DEFAULT 0,
      requests bigint NOT NULL DEFAULT 0,
      missing_count integer NOT NULL DEFAULT 0,
      missing jsonb NOT NULL DEFAULT '[]',
      classification jsonb NOT NULL DEFAULT '{}',
      error text)`);
    await db.query(`CREATE INDEX mirror_audits_of_mirror ON mirror_audits (mirror_id, requested_at DESC)`);
    await db.query(`CREATE UNIQUE INDEX mirror_audits_one_active ON mirror_audits (mirror_id) WHERE state IN ('queued', 'running')`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE mirror_audits`);
  }
}
