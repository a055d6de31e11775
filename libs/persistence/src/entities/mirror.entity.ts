import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export type MirrorState = 'creating' | 'active' | 'deleting';

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

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
