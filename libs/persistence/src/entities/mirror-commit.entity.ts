import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Commit } from '@lakemirror/lakefs-client';
import type { CommitFailureReason, CommitState } from '@lakemirror/mirroring';

/** A source commit the pipeline knows for one mirror, and how far its mirroring has come. */
@Entity('mirror_commits')
export class MirrorCommitEntity {
  @PrimaryColumn({ name: 'mirror_id', type: 'varchar', length: 63 })
  mirrorId!: string;

  @PrimaryColumn({ name: 'commit_id', type: 'varchar', length: 64 })
  commitId!: string;

  @Column({ type: 'varchar', length: 64, array: true })
  parents!: string[];

  @Column({ name: 'metarange_id', type: 'varchar', length: 128 })
  metaRangeId!: string;

  @Column({ name: 'source_commit', type: 'jsonb' })
  sourceCommit!: Commit;

  @Column({ name: 'creation_date', type: 'bigint' })
  creationDate!: string;

  @Column({ type: 'varchar', length: 16 })
  state!: CommitState;

  @Column({ type: 'integer', default: 0 })
  generation!: number;

  @Column({ name: 'planning_requests', type: 'integer', default: 0 })
  planningRequests!: number;

  @Column({ name: 'discovered_at', type: 'timestamptz', default: () => 'now()' })
  discoveredAt!: Date;

  @Column({ name: 'verified_at', type: 'timestamptz', nullable: true })
  verifiedAt!: Date | null;

  @Column({ name: 'recorded_at', type: 'timestamptz', nullable: true })
  recordedAt!: Date | null;

  @Column({ name: 'failure_reason', type: 'varchar', length: 32, nullable: true })
  failureReason!: CommitFailureReason | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ name: 'failed_at', type: 'timestamptz', nullable: true })
  failedAt!: Date | null;
}
