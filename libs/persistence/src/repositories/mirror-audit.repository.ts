import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { AuditMissingFile, AuditedCommit, MissingClassification } from '@lakemirror/mirroring';
import { randomUUID } from 'node:crypto';
import { DataSource, In } from 'typeorm';
import { MirrorAuditEntity } from '../entities/mirror-audit.entity';
import { isUniqueViolation } from './postgres-errors';

const ACTIVE = ['queued', 'running'] as const;

/** How far a running audit has come. */
export interface AuditProgress {
  rangesChecked: number;
  objectsChecked: number;
  objectsOutsideNamespace: number;
  requests: number;
}

/** What a finished audit found. */
export interface AuditFindings extends AuditProgress {
  missingCount: number;
  missing: AuditMissingFile[];
  classification: Partial<Record<MissingClassification | 'unclassified', number>>;
}

/** The mirror_audits table: consistency audits of mirrors, their progress and their reports. */
@Injectable()
export class MirrorAuditRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  private get rows() {
    return this.db.getRepository(MirrorAuditEntity);
  }

  /**
   * A new queued audit of the mirror, or the one already queued or running (`created` false):
   * a mirror has at most one active audit, which a unique index holds against concurrent requests.
   */
  async createQueued(mirrorId: string, requestedBy: string): Promise<{ audit: MirrorAuditEntity; created: boolean }> {
    const active = await this.active(mirrorId);
    if (active) return { audit: active, created: false };
    const id = randomUUID();
    try {
      await this.rows.insert({ id, mirrorId, state: 'queued', requestedBy });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const raced = await this.active(mirrorId);
      if (raced) return { audit: raced, created: false };
      throw error;
    }
    return { audit: (await this.rows.findOneBy({ id })) as MirrorAuditEntity, created: true };
  }

  async find(id: string): Promise<MirrorAuditEntity | undefined> {
    return (await this.rows.findOneBy({ id })) ?? undefined;
  }

  async ofMirror(mirrorId: string, id: string): Promise<MirrorAuditEntity | undefined> {
    return (await this.rows.findOneBy({ id, mirrorId })) ?? undefined;
  }

  async active(mirrorId: string): Promise<MirrorAuditEntity | undefined> {
    return (await this.rows.findOneBy({ mirrorId, state: In([...ACTIVE]) })) ?? undefined;
  }

  /** The mirror's most recently requested audit. */
  async latest(mirrorId: string): Promise<MirrorAuditEntity | undefined> {
    return (await this.rows.findOne({ where: { mirrorId }, order: { requestedAt: 'DESC' } })) ?? undefined;
  }

  /** (Re)starts an active audit from nothing: a retried job does the whole audit again. False when it is no longer active. */
  async start(id: string): Promise<boolean> {
    const result = await this.rows.update(
      { id, state: In([...ACTIVE]) },
      {
        state: 'running',
        startedAt: () => 'now()',
        commits: [],
        rangesTotal: 0,
        rangesChecked: 0,
        objectsTotal: 0,
        objectsChecked: 0,
        objectsOutsideNamespace: 0,
        requests: 0,
        missingCount: 0,
        missing: [],
        classification: {},
        error: null,
      },
    );
    return (result.affected ?? 0) > 0;
  }

  /** What the audit is going to check: the commits the mirror shows and the totals of their distinct ranges. */
  async planned(id: string, commits: AuditedCommit[], totals: { ranges: number; objects: number }): Promise<void> {
    await this.rows.update({ id, state: 'running' }, { commits, rangesTotal: totals.ranges, objectsTotal: totals.objects });
  }

  async progress(id: string, progress: AuditProgress): Promise<void> {
    await this.rows.update({ id, state: 'running' }, progress);
  }

  async succeed(id: string, findings: AuditFindings): Promise<void> {
    await this.rows.update({ id, state: 'running' }, { ...findings, state: 'succeeded', finishedAt: () => 'now()' });
  }

  /** Ends an active audit that could not run to its end, with why. */
  async fail(id: string, error: string): Promise<void> {
    await this.rows.update({ id, state: In([...ACTIVE]) }, { state: 'failed', error: error.slice(0, 4000), finishedAt: () => 'now()' });
  }
}
