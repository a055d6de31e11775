import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, LessThan, MoreThanOrEqual } from 'typeorm';
import { LagSampleEntity } from '../entities/lag-sample.entity';

/** A branch's lag at one moment. */
export interface LagSample {
  mirrorId: string;
  branch: string;
  lagSeconds: number;
  lagCommits: number;
}

/** A branch's lag history, oldest first. */
export interface BranchLagHistory {
  branch: string;
  samples: { sampledAt: Date; lagSeconds: number; lagCommits: number }[];
}

/** The lag_samples table: every branch's lag per sampling interval, deleted once older than the retention. */
@Injectable()
export class LagSampleRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  private get rows() {
    return this.db.getRepository(LagSampleEntity);
  }

  /**
   * Writes the samples of one interval in one statement, whatever their number. A sample of
   * the same branch and interval already written (by another scanner) is kept as it is.
   */
  async append(sampledAt: Date, samples: LagSample[]): Promise<void> {
    if (samples.length === 0) return;
    await this.db.query(
      `INSERT INTO lag_samples (mirror_id, branch, sampled_at, lag_seconds, lag_commits)
       SELECT s.mirror_id, s.branch, $1, s.lag_seconds, s.lag_commits
       FROM unnest($2::varchar[], $3::varchar[], $4::integer[], $5::integer[]) AS s (mirror_id, branch, lag_seconds, lag_commits)
       JOIN mirrors m ON m.id = s.mirror_id
       ON CONFLICT (mirror_id, branch, sampled_at) DO NOTHING`,
      [sampledAt, samples.map((s) => s.mirrorId), samples.map((s) => s.branch), samples.map((s) => s.lagSeconds), samples.map((s) => s.lagCommits)],
    );
  }

  /** Deletes every sample taken before `cutoff`; returns how many. */
  async deleteBefore(cutoff: Date): Promise<number> {
    return (await this.rows.delete({ sampledAt: LessThan(cutoff) })).affected ?? 0;
  }

  /** Each branch's samples of the mirror taken at or after `since`. */
  async historySince(mirrorId: string, since: Date): Promise<BranchLagHistory[]> {
    const rows = await this.rows.find({ where: { mirrorId, sampledAt: MoreThanOrEqual(since) }, order: { branch: 'ASC', sampledAt: 'ASC' } });
    const byBranch = new Map<string, BranchLagHistory>();
    for (const row of rows) {
      let history = byBranch.get(row.branch);
      if (!history) byBranch.set(row.branch, (history = { branch: row.branch, samples: [] }));
      history.samples.push({ sampledAt: row.sampledAt, lagSeconds: row.lagSeconds, lagCommits: row.lagCommits });
    }
    return [...byBranch.values()];
  }
}
