import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tags: a mirror may follow its source's tags (`mirror_tags`, on unless asked otherwise), and
 * each followed tag has a row saying which source commit it points at and whether the mirror
 * shows it yet: a tag waits until its commit is recorded on the mirror.
 */
export class MirrorTags1795900000100 implements MigrationInterface {
  name = 'MirrorTags1795900000100';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE mirrors ADD COLUMN mirror_tags boolean NOT NULL DEFAULT true`);
    await db.query(`CREATE TABLE mirror_tags (
      mirror_id varchar(63) NOT NULL REFERENCES mirrors (id) ON DELETE CASCADE,
      tag varchar(256) NOT NULL,
      commit_id varchar(64) NOT NULL,
      state varchar(16) NOT NULL CHECK (state IN ('waiting', 'applied', 'deleting')),
      observed_at timestamptz NOT NULL DEFAULT now(),
      applied_commit_id varchar(64),
      applied_at timestamptz,
      PRIMARY KEY (mirror_id, tag))`);
    await db.query(`CREATE INDEX mirror_tags_unapplied ON mirror_tags (mirror_id) WHERE state <> 'applied'`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE mirror_tags`);
    await db.query(`ALTER TABLE mirrors DROP COLUMN mirror_tags`);
  }
}
