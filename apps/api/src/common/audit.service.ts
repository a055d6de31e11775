import { Inject, Injectable } from '@nestjs/common';
import { AuditRecordEntity } from '@lakemirror/persistence';
import { DataSource } from 'typeorm';
import { DATA_SOURCE } from '../database.provider';

/** Records every mutating call, whether it succeeded or not. */
@Injectable()
export class AuditService {
  constructor(@Inject(DATA_SOURCE) private readonly db: DataSource) {}

  /** Runs `work` and records who did `action` on `target`, and how it ended. */
  async record<T>(actor: string, action: string, target: string, work: () => Promise<T>, detail: Record<string, unknown> = {}): Promise<T> {
    try {
      const result = await work();
      await this.write({ actor, action, target, result: 'success', detail });
      return result;
    } catch (error) {
      const status = (error as { getStatus?: () => number }).getStatus?.();
      await this.write({ actor, action, target, result: 'failure', detail: { ...detail, error: (error as Error).message, status } });
      throw error;
    }
  }

  private async write(record: Pick<AuditRecordEntity, 'actor' | 'action' | 'target' | 'result' | 'detail'>): Promise<void> {
    await this.db.getRepository(AuditRecordEntity).save(this.db.getRepository(AuditRecordEntity).create(record));
  }
}
