import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { MirrorHookTokenEntity } from '../entities/mirror-hook-token.entity';

export type MirrorHookToken = Pick<MirrorHookTokenEntity, 'mirrorId' | 'tokenSha256' | 'createdBy' | 'createdAt'>;

/** The mirror_hook_tokens table: at most one token per mirror, replaced when rotated. */
@Injectable()
export class MirrorHookTokenRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  private get rows() {
    return this.db.getRepository(MirrorHookTokenEntity);
  }

  /** Sets the mirror's token (the previous one stops working in the same statement); returns when it was made. */
  async replace(mirrorId: string, tokenSha256: string, createdBy: string): Promise<Date> {
    const [row] = await this.db.query<{ created_at: Date }[]>(
      `INSERT INTO mirror_hook_tokens (mirror_id, token_sha256, created_by) VALUES ($1, $2, $3)
       ON CONFLICT (mirror_id) DO UPDATE SET token_sha256 = EXCLUDED.token_sha256, created_by = EXCLUDED.created_by, created_at = now()
       RETURNING created_at`,
      [mirrorId, tokenSha256, createdBy],
    );
    return row.created_at;
  }

  async find(mirrorId: string): Promise<MirrorHookToken | undefined> {
    return (await this.rows.findOneBy({ mirrorId })) ?? undefined;
  }

  /** True when the mirror had a token. */
  async delete(mirrorId: string): Promise<boolean> {
    const result = await this.rows.delete({ mirrorId });
    return (result.affected ?? 0) > 0;
  }
}
