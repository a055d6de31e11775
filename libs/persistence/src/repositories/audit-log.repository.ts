import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AuditRecordEntity } from '../entities/audit-record.entity';

export type AuditEntry = Pick<AuditRecordEntity, 'actor' | 'action' | 'target' | 'result' | 'detail'>;

/** The audit_log table: one row per mutating call, appended only. */
@Injectable()
export class AuditLogRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async append(entry: AuditEntry): Promise<void> {
    const rows = this.db.getRepository(AuditRecordEntity);
    await rows.save(rows.create(entry));
  }
}
