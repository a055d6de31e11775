import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';

/** Where a repository call runs: inside a caller's transaction, or on its own. */
export type Tx = EntityManager | undefined;

/** Transactions and session-level locks spanning several repositories. */
@Injectable()
export class DatabaseSession {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  transaction<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  /**
   * Runs `work` holding a PostgreSQL advisory lock named `name` on one pooled connection:
   * at most one holder at a time across every process.
   */
  async withAdvisoryLock<T>(name: string, work: () => Promise<T>): Promise<T> {
    const runner = this.db.createQueryRunner();
    await runner.connect();
    try {
      await runner.query(`SELECT pg_advisory_lock(hashtext($1))`, [name]);
      try {
        return await work();
      } finally {
        await runner.query(`SELECT pg_advisory_unlock(hashtext($1))`, [name]);
      }
    } finally {
      await runner.release();
    }
  }
}
