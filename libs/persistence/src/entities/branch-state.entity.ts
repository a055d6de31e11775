import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** Mirroring progress of one branch of one mirror: what the source showed last, and what the mirror branch reflects. */
@Entity('branch_states')
export class BranchStateEntity {
  @PrimaryColumn({ name: 'mirror_id', type: 'varchar', length: 63 })
  mirrorId!: string;

  @PrimaryColumn({ type: 'varchar', length: 256 })
  branch!: string;

  @Column({ name: 'source_head', type: 'varchar', length: 64, nullable: true })
  sourceHead!: string | null;

  @Column({ name: 'observed_sequence', type: 'bigint', default: 0 })
  observedSequence!: string;

  @Column({ name: 'mirrored_head', type: 'varchar', length: 64, nullable: true })
  mirroredHead!: string | null;

  @Column({ name: 'mirrored_sequence', type: 'bigint', default: 0 })
  mirroredSequence!: string;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
