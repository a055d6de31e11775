import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One mutating call: who, what, on what, when, and how it ended. */
@Entity('audit_log')
export class AuditRecordEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  at!: Date;

  @Column({ type: 'varchar', length: 256 })
  actor!: string;

  @Column({ type: 'varchar', length: 64 })
  action!: string;

  @Column({ type: 'varchar', length: 1024 })
  target!: string;

  @Column({ type: 'varchar', length: 16 })
  result!: 'success' | 'failure';

  @Column({ type: 'jsonb', default: {} })
  detail!: Record<string, unknown>;
}
