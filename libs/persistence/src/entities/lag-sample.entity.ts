import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One branch's lag behind its source at the start of a sampling interval. */
@Entity('lag_samples')
export class LagSampleEntity {
  @PrimaryColumn({ name: 'mirror_id', type: 'varchar', length: 63 })
  mirrorId!: string;

  @PrimaryColumn({ type: 'varchar', length: 256 })
  branch!: string;

  @PrimaryColumn({ name: 'sampled_at', type: 'timestamptz' })
  sampledAt!: Date;

  @Column({ name: 'lag_seconds', type: 'integer' })
  lagSeconds!: number;

  @Column({ name: 'lag_commits', type: 'integer' })
  lagCommits!: number;
}
