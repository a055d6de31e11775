import { MigrationInterface, QueryRunner } from 'typeorm';

/** An object-created event names a bucket key only: finding the checks that wait for it must not scan the table. */
export class MissingObjectsByKey1795900000800 implements MigrationInterface {
  name = 'MissingObjectsByKey1795900000800';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE INDEX missing_objects_key ON missing_objects (key)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX missing_objects_key`);
  }
}
