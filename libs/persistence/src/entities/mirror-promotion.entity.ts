import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * Where a promotion stands. `stopped`: mirroring stopped, nothing changed on lakeFS yet;
 * `dumped`: the mirror's refs are dumped into its namespace; `deleted`: the read-only repository
 * record is gone (its namespace untouched); `created`: a writable bare repository is on the
 * namespace; `restored`: its refs are back and checked; `done`: the mirror is promoted.
 */
export type PromotionStep = 'stopped' | 'dumped' | 'deleted' | 'created' | 'restored' | 'done';

/** What the mirror repository was when mirroring stopped: re-created writable with these settings. */
export interface PromotedRepository {
  storageNamespace: string;
  defaultBranch: string;
  metadata: Record<string, string>;
}

/** lakeFS's refs dump: the metarange IDs of the commits, branches and tags, in the repository's namespace. */
export interface RefsDumpIds {
  commits: string;
  branches: string;
  tags: string;
}

/** Verified work that a forced promotion left behind (empty unless forced). */
export interface DiscardedWork {
  verifiedCommits?: string[];
  branches?: { branch: string; mirroredHead: string | null; verifiedHead: string }[];
}

/** The promotion of one mirror to a writable repository (failover). */
@Entity('mirror_promotions')
export class MirrorPromotionEntity {
  @PrimaryColumn({ name: 'mirror_id', type: 'varchar', length: 63 })
  mirrorId!: string;

  @Column({ type: 'varchar', length: 16 })
  step!: PromotionStep;

  @Column({ type: 'boolean' })
  forced!: boolean;

  @Column({ name: 'requested_by', type: 'varchar', length: 256 })
  requestedBy!: string;

  @Column({ name: 'requested_at', type: 'timestamptz' })
  requestedAt!: Date;

  @Column({ type: 'jsonb' })
  discarded!: DiscardedWork;

  @Column({ type: 'jsonb', nullable: true })
  repository!: PromotedRepository | null;

  /** Branch name → commit ID, as the mirror held them when mirroring stopped. */
  @Column({ type: 'jsonb', nullable: true })
  branches!: Record<string, string> | null;

  /** Tag name → commit ID, as the mirror held them when mirroring stopped. */
  @Column({ type: 'jsonb', nullable: true })
  tags!: Record<string, string> | null;

  @Column({ name: 'refs_dump', type: 'jsonb', nullable: true })
  refsDump!: RefsDumpIds | null;

  @Column({ name: 'restore_task_id', type: 'varchar', length: 128, nullable: true })
  restoreTaskId!: string | null;

  /** How many times the writable repository was re-created after an interrupted restore. */
  @Column({ type: 'integer' })
  attempts!: number;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt!: Date | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
