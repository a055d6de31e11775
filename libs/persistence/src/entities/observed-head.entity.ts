import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** One head of a source branch as the scanner saw it, numbered in the order seen. */
@Entity('observed_heads')
export class ObservedHeadEntity {
  @PrimaryColumn({ name: 'mirror_id', type: 'varchar', length: 63 })
  mirrorId!: string;

  @PrimaryColumn({ type: 'varchar', length: 256 })
  branch!: string;

  @PrimaryColumn({ type: 'bigint' })
  sequence!: string;

  @Column({ name: 'commit_id', type: 'varchar', length: 64 })
  commitId!: string;

  @CreateDateColumn({ name: 'observed_at', type: 'timestamptz' })
  observedAt!: Date;
}
