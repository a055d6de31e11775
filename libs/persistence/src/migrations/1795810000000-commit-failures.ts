import { MigrationInterface, QueryRunner } from 'typeorm';

/** A commit may fail for good (`failed`): why (a closed list), the error itself and when, until an operator retries it. */
export class CommitFailures1795810000000 implements MigrationInterface {
  name = 'CommitFailures1795810000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE mirror_commits DROP CONSTRAINT mirror_commits_state_check`);
    await db.query(
      `ALTER TABLE mirror_commits ADD CONSTRAINT mirror_commits_state_check CHECK (state IN ('pending', 'verifying', 'verified', 'recorded', 'failed'))`,
    );
    await db.query(`ALTER TABLE mirror_commits ADD COLUMN failure_reason varchar(32), ADD COLUMN last_error text, ADD COLUMN failed_at timestamptz`);
    // A failed commit always says why and since when; any other state never carries a stale failure.
    await db.query(
      `ALTER TABLE mirror_commits ADD CONSTRAINT mirror_commits_failure_recorded CHECK ((state = 'failed') = (failure_reason IS NOT NULL AND last_error IS NOT NULL AND failed_at IS NOT NULL))`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE mirror_commits DROP CONSTRAINT mirror_commits_failure_recorded`);
    // Failed commits go back to a fresh verification: the older schema cannot say why they stopped.
    await db.query(`UPDATE mirror_commits SET state = 'pending', generation = generation + 1 WHERE state = 'failed'`);
    await db.query(`ALTER TABLE mirror_commits DROP COLUMN failed_at, DROP COLUMN last_error, DROP COLUMN failure_reason`);
    await db.query(`ALTER TABLE mirror_commits DROP CONSTRAINT mirror_commits_state_check`);
    await db.query(`ALTER TABLE mirror_commits ADD CONSTRAINT mirror_commits_state_check CHECK (state IN ('pending', 'verifying', 'verified', 'recorded'))`);
  }
}
