import { MigrationInterface, QueryRunner } from 'typeorm';

/** Each branch's lag, sampled by the scanner at a fixed interval and kept for a limited time (the status page's lag history). */
export class LagSamples1795900000700 implements MigrationInterface {
  name = 'LagSamples1795900000700';

  async up(db: QueryRunner): Promise<void> {
    // sampled_at is the start of the sampling interval: several scanners sampling the same interval write one row.
    await db.query(`CREATE TABLE lag_samples (
      mirror_id varchar(63) NOT NULL REFERENCES mirrors (id) ON DELETE CASCADE,
      branch varchar(256) NOT NULL,
      sampled_at timestamptz NOT NULL,
      lag_seconds integer NOT NULL CHECK (lag_seconds >= 0),
      lag_commits integer NOT NULL CHECK (lag_commits >= 0),
      PRIMARY KEY (mirror_id, branch, sampled_at))`);
    // The retention deletes by age across every mirror.
    await db.query(`CREATE INDEX lag_samples_sampled_at ON lag_samples (sampled_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE lag_samples`);
  }
}
