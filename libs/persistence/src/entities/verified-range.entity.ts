import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A range file whose every object was found in the mirror namespace (range IDs are content hashes: once is enough). */
@Entity('verified_ranges')
export class VerifiedRangeEntity {
  @PrimaryColumn({ name: 'mirror_id', type: 'varchar', length: 63 })
  mirrorId!: string;

  @PrimaryColumn({ name: 'range_id', type: 'varchar', length: 128 })
  rangeId!: string;

  @Column({ type: 'integer' })
  objects!: number;

  @Column({ name: 'full_address_objects', type: 'integer' })
  fullAddressObjects!: number;

  @CreateDateColumn({ name: 'verified_at', type: 'timestamptz' })
  verifiedAt!: Date;
}
