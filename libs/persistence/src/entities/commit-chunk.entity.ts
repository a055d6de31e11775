import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A slice [firstEntry, endEntry) of one range of a commit: the unit of a verify-chunk job, and whether it passed. */
@Entity('commit_chunks')
export class CommitChunkEntity {
  @PrimaryColumn({ name: 'mirror_id', type: 'varchar', length: 63 })
  mirrorId!: string;

  @PrimaryColumn({ name: 'commit_id', type: 'varchar', length: 64 })
  commitId!: string;

  @PrimaryColumn({ name: 'range_id', type: 'varchar', length: 128 })
  rangeId!: string;

  @PrimaryColumn({ name: 'first_entry', type: 'integer' })
  firstEntry!: number;

  @Column({ name: 'end_entry', type: 'integer' })
  endEntry!: number;

  @Column({ type: 'integer' })
  objects!: number;

  @Column({ name: 'full_address_objects', type: 'integer', default: 0 })
  fullAddressObjects!: number;

  @Column({ name: 'skipped_objects', type: 'integer', default: 0 })
  skippedObjects!: number;

  @Column({ type: 'integer', default: 0 })
  requests!: number;

  /** Comma-separated IDs of the parent's verified ranges this range overlaps. */
  @Column({ name: 'base_ranges', type: 'text', default: '' })
  baseRanges!: string;

  @Column({ name: 'checked_at', type: 'timestamptz', nullable: true })
  checkedAt!: Date | null;
}
