import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { AuditMissingFile, AuditState, AuditedCommit, MissingClassification } from '@lakemirror/mirroring';

/** PostgreSQL bigint columns arrive as strings; counts of objects fit a JS number. */
const bigintAsNumber = { to: (value: number) => value, from: (value: string | number) => Number(value) };

/** One consistency audit of a mirror: what it re-verified from the mirror region, and what it found missing. */
@Entity('mirror_audits')
export class MirrorAuditEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'mirror_id', type: 'varchar', length: 63 })
  mirrorId!: string;

  @Column({ type: 'varchar', length: 16 })
  state!: AuditState;

  @Column({ name: 'requested_by', type: 'varchar', length: 256 })
  requestedBy!: string;

  @Column({ name: 'requested_at', type: 'timestamptz', default: () => 'now()' })
  requestedAt!: Date;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt!: Date | null;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;

  @Column({ type: 'jsonb', default: [] })
  commits!: AuditedCommit[];

  @Column({ name: 'ranges_total', type: 'integer', default: 0 })
  rangesTotal!: number;

  @Column({ name: 'ranges_checked', type: 'integer', default: 0 })
  rangesChecked!: number;

  @Column({ name: 'objects_total', type: 'bigint', default: 0, transformer: bigintAsNumber })
  objectsTotal!: number;

  @Column({ name: 'objects_checked', type: 'bigint', default: 0, transformer: bigintAsNumber })
  objectsChecked!: number;

  @Column({ name: 'objects_outside_namespace', type: 'bigint', default: 0, transformer: bigintAsNumber })
  objectsOutsideNamespace!: number;

  /** Object-store requests the audit made. */
  @Column({ type: 'bigint', default: 0, transformer: bigintAsNumber })
  requests!: number;

  /** Every missing file found; `missing` lists at most the first few thousand of them. */
  @Column({ name: 'missing_count', type: 'integer', default: 0 })
  missingCount!: number;

  @Column({ type: 'jsonb', default: [] })
  missing!: AuditMissingFile[];

  /** Missing files by classification (of those classified), plus "unclassified" past the listed ones. */
  @Column({ type: 'jsonb', default: {} })
  classification!: Partial<Record<MissingClassification | 'unclassified', number>>;

  @Column({ type: 'text', nullable: true })
  error!: string | null;
}
