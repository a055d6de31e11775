import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { MirrorEntity, MirrorState } from '../entities/mirror.entity';
import { isUniqueViolation } from './postgres-errors';

export type NewMirror = Pick<MirrorEntity, 'id' | 'sourceRepository' | 'region' | 'storageNamespace' | 'createdBy'> &
  Partial<Pick<MirrorEntity, 'branchInclude' | 'branchExclude' | 'mirrorTags' | 'maxLagSeconds'>>;

/** The mirror's name is taken by another mirror row. */
export class MirrorNameTakenError extends Error {
  readonly code = 'MIRROR_NAME_TAKEN';

  constructor(readonly mirrorId: string) {
    super(`mirror name "${mirrorId}" is taken`);
    this.name = 'MirrorNameTakenError';
  }
}

/** Where an existing mirror keeps its objects: what a new mirror's namespace is checked against. */
export type MirrorPlacement = Pick<MirrorEntity, 'id' | 'sourceRepository' | 'region' | 'storageNamespace'>;

/** The new mirror's storage namespace overlaps the namespace of another mirror. */
export class MirrorNamespaceTakenError extends Error {
  readonly code = 'MIRROR_NAMESPACE_TAKEN';

  constructor(
    readonly mirrorId: string,
    readonly other: MirrorPlacement,
  ) {
    super(
      `storage namespace of mirror "${mirrorId}" overlaps ${other.storageNamespace} of mirror "${other.id}" (of repository "${other.sourceRepository}", region ${other.region})`,
    );
    this.name = 'MirrorNamespaceTakenError';
  }
}

// Serializes the namespace check and the insert of every mirror creation, across API replicas.
const MIRROR_PLACEMENT_LOCK = 'lakemirror.mirror-placement';

/** The mirrors table. */
@Injectable()
export class MirrorRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  private get rows() {
    return this.db.getRepository(MirrorEntity);
  }

  async find(id: string): Promise<MirrorEntity | undefined> {
    return (await this.rows.findOneBy({ id })) ?? undefined;
  }

  async findOfSource(sourceRepository: string, id: string): Promise<MirrorEntity | undefined> {
    return (await this.rows.findOneBy({ id, sourceRepository })) ?? undefined;
  }

  listOfSource(sourceRepository: string): Promise<MirrorEntity[]> {
    return this.rows.find({ where: { sourceRepository }, order: { createdAt: 'ASC' } });
  }

  /** The source repositories that have an active mirror, each once. */
  async activeSourceRepositories(): Promise<string[]> {
    const rows: { source_repository: string }[] = await this.db.query(
      `SELECT DISTINCT source_repository FROM mirrors WHERE state = 'active' ORDER BY source_repository`,
    );
    return rows.map((r) => r.source_repository);
  }

  activeOfSource(sourceRepository: string): Promise<MirrorEntity[]> {
    return this.rows.find({ where: { sourceRepository, state: 'active' }, order: { id: 'ASC' } });
  }

  /** The active mirrors' rows, by ID: what activeIds names, read in one query. */
  active(): Promise<MirrorEntity[]> {
    return this.rows.find({ where: { state: 'active' }, order: { id: 'ASC' } });
  }

  async activeIds(): Promise<string[]> {
    const mirrors = await this.rows.find({ where: { state: 'active' }, select: { id: true }, order: { id: 'ASC' } });
    return mirrors.map((m) => m.id);
  }

  /**
   * Inserts a mirror in state "creating", unless `overlapping` picks, among the mirrors already
   * there (any state), one whose namespace the new one may not share. The check and the insert
   * hold one lock, so two concurrent requests cannot both pass it.
   * @throws MirrorNameTakenError when the ID exists; MirrorNamespaceTakenError naming the other mirror.
   */
  async insertCreating(mirror: NewMirror, overlapping: (placed: MirrorPlacement[]) => MirrorPlacement | undefined = () => undefined): Promise<void> {
    try {
      await this.db.transaction(async (manager) => {
        await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [MIRROR_PLACEMENT_LOCK]);
        const rows = manager.getRepository(MirrorEntity);
        const placed = await rows.find({ select: { id: true, sourceRepository: true, region: true, storageNamespace: true }, order: { id: 'ASC' } });
        const other = overlapping(placed.filter((p) => p.id !== mirror.id));
        if (other) throw new MirrorNamespaceTakenError(mirror.id, other);
        await rows.insert({ ...mirror, state: 'creating' });
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new MirrorNameTakenError(mirror.id);
      throw error;
    }
  }

  /** Sets which source branches the mirror follows (glob patterns, checked by the caller). */
  async setBranchFilter(id: string, filter: { include: string[]; exclude: string[] }): Promise<void> {
    await this.rows.update({ id }, { branchInclude: filter.include, branchExclude: filter.exclude });
  }

  /** Starts or stops following the source's tags. */
  async setMirrorTags(id: string, mirrorTags: boolean): Promise<void> {
    await this.rows.update({ id }, { mirrorTags });
  }

  async setState(id: string, state: MirrorState): Promise<void> {
    await this.rows.update({ id }, { state });
  }

  /** Moves the mirror to `state` only from one of `from` (one statement: a concurrent change wins or loses whole); false when it was in none. */
  async setStateFrom(id: string, from: MirrorState[], state: MirrorState): Promise<boolean> {
    const result = await this.rows.createQueryBuilder().update().set({ state }).where('id = :id AND state IN (:...from)', { id, from }).execute();
    return (result.affected ?? 0) > 0;
  }

  /** Marks an active mirror paused now, unless it already is (its first pause time stays). False when no active mirror has this ID. */
  async pause(id: string): Promise<boolean> {
    await this.rows
      .createQueryBuilder()
      .update()
      .set({ pausedAt: () => 'now()' })
      .where(`id = :id AND state = 'active' AND paused_at IS NULL`, { id })
      .execute();
    return (await this.rows.countBy({ id, state: 'active' })) > 0;
  }

  /** Lets a paused mirror run again (nothing to do when it runs). */
  async resume(id: string): Promise<void> {
    await this.rows.update({ id }, { pausedAt: null });
  }

  /** Sets (or with null removes) the lag a mirror's branches may reach before they count as stale. */
  async setMaxLagSeconds(id: string, maxLagSeconds: number | null): Promise<void> {
    await this.rows.update({ id }, { maxLagSeconds });
  }

  /** Deletes the mirror row (and, by cascade, its pipeline state); with `onlyIn`, only while it is in that state. */
  async delete(id: string, onlyIn?: MirrorState): Promise<void> {
    await this.rows.delete(onlyIn ? { id, state: onlyIn } : { id });
  }
}
