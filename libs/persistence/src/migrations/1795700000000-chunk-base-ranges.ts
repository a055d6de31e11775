import { MigrationInterface, QueryRunner } from 'typeorm';

/** Per chunk, the parent's verified ranges its range overlaps: objects found there need no new check. */
export class ChunkBaseRanges1795700000000 implements MigrationInterface {
  name = 'ChunkBaseRanges1795700000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE commit_chunks ADD COLUMN base_ranges text NOT NULL DEFAULT ''`);
    await db.query(`ALTER TABLE commit_chunks ADD COLUMN skipped_objects integer NOT NULL DEFAULT 0`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE commit_chunks DROP COLUMN skipped_objects`);
    await db.query(`ALTER TABLE commit_chunks DROP COLUMN base_ranges`);
  }
}
