import { MigrationInterface, QueryRunner } from 'typeorm';

/** What the scanner, verifier and promoter need to survive a crash or a Redis flush (docs/pipeline.md). */
export class PipelineState1795600000000 implements MigrationInterface {
  name = 'PipelineState1795600000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE TABLE observed_heads (
      mirror_id varchar(63) NOT NULL REFERENCES mirrors (id) ON DELETE CASCADE,
      branch varchar(256) NOT NULL,
      sequence bigint NOT NULL,
      commit_id varchar(64) NOT NULL,
      observed_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (mirror_id, branch, sequence))`);
    await db.query(`CREATE TABLE mirror_commits (
      mirror_id varchar(63) NOT NULL REFERENCES mirrors (id) ON DELETE CASCADE,
      commit_id varchar(64) NOT NULL,
      parents varchar(64)[] NOT NULL,
      metarange_id varchar(128) NOT NULL,
      source_commit jsonb NOT NULL,
      creation_date bigint NOT NULL,
      state varchar(16) NOT NULL CHECK (state IN ('pending', 'verifying', 'verified', 'recorded')),
      generation integer NOT NULL DEFAULT 0,
      planning_requests integer NOT NULL DEFAULT 0,
      discovered_at timestamptz NOT NULL DEFAULT now(),
      verified_at timestamptz,
      recorded_at timestamptz,
      PRIMARY KEY (mirror_id, commit_id))`);
    await db.query(`CREATE INDEX mirror_commits_unfinished ON mirror_commits (mirror_id, discovered_at) WHERE state <> 'recorded'`);
    await db.query(`CREATE TABLE commit_chunks (
      mirror_id varchar(63) NOT NULL,
      commit_id varchar(64) NOT NULL,
      range_id varchar(128) NOT NULL,
      first_entry integer NOT NULL,
      end_entry integer NOT NULL,
      objects integer NOT NULL,
      full_address_objects integer NOT NULL DEFAULT 0,
      requests integer NOT NULL DEFAULT 0,
      checked_at timestamptz,
      PRIMARY KEY (mirror_id, commit_id, range_id, first_entry),
      FOREIGN KEY (mirror_id, commit_id) REFERENCES mirror_commits (mirror_id, commit_id) ON DELETE CASCADE)`);
    await db.query(`CREATE TABLE verified_ranges (
      mirror_id varchar(63) NOT NULL REFERENCES mirrors (id) ON DELETE CASCADE,
      range_id varchar(128) NOT NULL,
      objects integer NOT NULL,
      full_address_objects integer NOT NULL,
      verified_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (mirror_id, range_id))`);
    await db.query(`CREATE TABLE missing_objects (
      mirror_id varchar(63) NOT NULL,
      commit_id varchar(64) NOT NULL,
      key varchar(1024) NOT NULL,
      checked_by varchar(200) NOT NULL,
      missing_since timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (mirror_id, commit_id, key),
      FOREIGN KEY (mirror_id, commit_id) REFERENCES mirror_commits (mirror_id, commit_id) ON DELETE CASCADE)`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of ['missing_objects', 'verified_ranges', 'commit_chunks', 'mirror_commits', 'observed_heads']) {
      await db.query(`DROP TABLE ${table}`);
    }
  }
}
