import { MigrationInterface, QueryRunner } from 'typeorm';

/** A mirror may be paused (since when; null while it runs) and may set how old its lag may grow before its branches count as stale. */
export class MirrorPauseAndMaxLag1795900000300 implements MigrationInterface {
  name = 'MirrorPauseAndMaxLag1795900000300';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE mirrors ADD COLUMN paused_at timestamptz, ADD COLUMN max_lag_seconds integer`);
    await db.query(`ALTER TABLE mirrors ADD CONSTRAINT mirrors_max_lag_seconds_positive CHECK (max_lag_seconds IS NULL OR max_lag_seconds > 0)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE mirrors DROP CONSTRAINT mirrors_max_lag_seconds_positive`);
    await db.query(`ALTER TABLE mirrors DROP COLUMN max_lag_seconds, DROP COLUMN paused_at`);
  }
}
