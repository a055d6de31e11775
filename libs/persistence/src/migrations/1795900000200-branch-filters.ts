import { MigrationInterface, QueryRunner } from 'typeorm';

/** Which source branches a mirror follows: glob patterns to include and to exclude (existing mirrors keep following every branch). */
export class BranchFilters1795900000200 implements MigrationInterface {
  name = 'BranchFilters1795900000200';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE mirrors ADD COLUMN branch_include jsonb NOT NULL DEFAULT '["*"]', ADD COLUMN branch_exclude jsonb NOT NULL DEFAULT '[]'`);
    await db.query(
      `ALTER TABLE mirrors ADD CONSTRAINT mirrors_branch_patterns_are_lists CHECK (jsonb_typeof(branch_include) = 'array' AND jsonb_typeof(branch_exclude) = 'array')`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE mirrors DROP CONSTRAINT mirrors_branch_patterns_are_lists`);
    await db.query(`ALTER TABLE mirrors DROP COLUMN branch_exclude, DROP COLUMN branch_include`);
  }
}
