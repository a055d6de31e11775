import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** An object a commit needs that a check did not find in the mirror namespace, since when. */
@Entity('missing_objects')
export class MissingObjectEntity {
  @PrimaryColumn({ name: 'mirror_id', type: 'varchar', length: 63 })
  mirrorId!: string;

  @PrimaryColumn({ name: 'commit_id', type: 'varchar', length: 64 })
  commitId!: string;

  @PrimaryColumn({ type: 'varchar', length: 1024 })
  key!: string;

  /** Which check found it missing: "metarange", or a chunk as "<range>@<first entry>". */
  @Column({ name: 'checked_by', type: 'varchar', length: 200 })
  checkedBy!: string;

  @CreateDateColumn({ name: 'missing_since', type: 'timestamptz' })
  missingSince!: Date;
}
