import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { TagState } from '@lakemirror/mirroring';

/** A source tag a mirror follows: the commit it points at on the source, and what the mirror shows. */
@Entity('mirror_tags')
export class MirrorTagEntity {
  @PrimaryColumn({ name: 'mirror_id', type: 'varchar', length: 63 })
  mirrorId!: string;

  @PrimaryColumn({ type: 'varchar', length: 256 })
  tag!: string;

  /** The source's commit for the tag, as last observed. */
  @Column({ name: 'commit_id', type: 'varchar', length: 64 })
  commitId!: string;

  @Column({ type: 'varchar', length: 16 })
  state!: TagState;

  /** When the tag was last seen created or moved on the source (what it waits since). */
  @Column({ name: 'observed_at', type: 'timestamptz', default: () => 'now()' })
  observedAt!: Date;

  /** The commit the mirror's tag was last set to. */
  @Column({ name: 'applied_commit_id', type: 'varchar', length: 64, nullable: true })
  appliedCommitId!: string | null;

  @Column({ name: 'applied_at', type: 'timestamptz', nullable: true })
  appliedAt!: Date | null;
}
