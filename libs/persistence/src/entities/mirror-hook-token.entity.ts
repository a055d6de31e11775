import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** The one hook token of a mirror, by its SHA-256: it allows asking for a scan of that mirror and nothing else. */
@Entity('mirror_hook_tokens')
export class MirrorHookTokenEntity {
  @PrimaryColumn({ name: 'mirror_id', type: 'varchar', length: 63 })
  mirrorId!: string;

  /** Hex SHA-256 of the token: the token has 256 random bits, so a fast hash is enough. */
  @Column({ name: 'token_sha256', type: 'char', length: 64 })
  tokenSha256!: string;

  @Column({ name: 'created_by', type: 'varchar', length: 256 })
  createdBy!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
