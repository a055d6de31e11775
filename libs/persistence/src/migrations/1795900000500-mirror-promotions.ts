import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The promotion of a mirror to a writable repository (failover), step by step: what the mirror
 * held when it stopped, where lakeFS dumped its refs, and how far the steps got, so that a crash
 * between two steps resumes where it stopped (docs/api.md "Failover").
 */
export class MirrorPromotions1795900000500 implements MigrationInterface {
  name = 'MirrorPromotions1795900000500';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE TABLE mirror_promotions (
      mirror_id varchar(63) PRIMARY KEY REFERENCES mirrors (id) ON DELETE CASCADE,
      step varchar(16) NOT NULL CHECK (step IN ('stopped', 'dumped', 'deleted', 'created', 'restored', 'done')),
      forced boolean NOT NULL,
      requested_by varchar(256) NOT NULL,
      requested_at timestamptz NOT NULL DEFAULT now(),
      discarded jsonb NOT NULL DEFAULT '{}',
      repository jsonb,
      branches jsonb,
      tags jsonb,
      refs_dump jsonb,
      restore_task_id varchar(128),
      attempts integer NOT NULL DEFAULT 0,
      last_error text,
      completed_at timestamptz,
      updated_at timestamptz NOT NULL DEFAULT now())`);
    // Every step past "stopped" knows what the mirror held; from "dumped" on, where its refs were dumped.
    await db.query(`ALTER TABLE mirror_promotions ADD CONSTRAINT mirror_promotions_snapshot CHECK (
      step = 'stopped' OR (repository IS NOT NULL AND branches IS NOT NULL AND tags IS NOT NULL AND refs_dump IS NOT NULL))`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE mirror_promotions`);
  }
}
