import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** `promoting`, `promoted`: turned into a writable repository (failover); never mirrored again. */
export type MirrorState = 'creating' | 'active' | 'deleting' | 'promoting' | 'promoted';

/** A read-only mirror of a source repository in one region. Its ID is the mirror repository's name. */
@Entity('mirrors')
export class MirrorEntity {
  @PrimaryColumn({ type: 'varchar', length: 63 })
  id!: string;

  @Column({ name: 'source_repository', type: 'varchar', length: 63 })
  sourceRepository!: string;

  @Column({ type: 'varchar', length: 63 })
  region!: string;

  @Column({ name: 'storage_namespace', type: 'varchar', length: 1024 })
  storageNamespace!: string;

  @Column({ type: 'varchar', length: 16 })
  state!: MirrorState;

  @Column({ name: 'created_by', type: 'varchar', length: 256 })
  createdBy!: string;

  /** Since when the mirror is paused (not scanned, nothing promoted); null while it runs. */
  @Column({ name: 'paused_at', type: 'timestamptz', nullable: true })
  pausedAt!: Date | null;

  /** How old a branch's lag may grow before the branch counts as stale; null: never stale. */
  @Column({ name: 'max_lag_seconds', type: 'integer', nullable: true })
  maxLagSeconds!: number | null;

  /** Whether the source's tags are mirrored (each once its commit is recorded on the mirror). */
  @Column({ name: 'mirror_tags', type: 'boolean', default: true })
  mirrorTags!: boolean;

  /** Glob patterns of the source branches the mirror follows (libs/mirroring branch-filter). */
  @Column({ name: 'branch_include', type: 'jsonb', default: () => `'["*"]'` })
  branchInclude!: string[];

  /** Glob patterns of the source branches the mirror does not follow, even when included. */
  @Column({ name: 'branch_exclude', type: 'jsonb', default: () => `'[]'` })
  branchExclude!: string[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
