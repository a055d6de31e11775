import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { MirrorEntity, MirrorState } from '../entities/mirror.entity';
import { isUniqueViolation } from './postgres-errors';

export type NewMirror = Pick<MirrorEntity, 'id' | 'sourceRepository' | 'region' | 'storageNamespace' | 'createdBy'>;

/** The mirror's name is taken by another mirror row. */
export class MirrorNameTakenError extends Error {
  readonly code = 'MIRROR_NAME_TAKEN';

  constructor(readonly mirrorId: string) {
    super(`mirror name "${mirrorId}" is taken`);
    this.name = 'MirrorNameTakenError';
  }
}

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

  async activeIds(): Promise<string[]> {
    const mirrors = await this.rows.find({ where: { state: 'active' }, select: { id: true }, order: { id: 'ASC' } });
    return mirrors.map((m) => m.id);
  }

  /** Inserts a mirror in state "creating". @throws MirrorNameTakenError when the ID exists. */
  async insertCreating(mirror: NewMirror): Promise<void> {
    try {
      await this.rows.insert({ ...mirror, state: 'creating' });
    } catch (error) {
      if (isUniqueViolation(error)) throw new MirrorNameTakenError(mirror.id);
      throw error;
    }
  }

  async setState(id: string, state: MirrorState): Promise<void> {
    await this.rows.update({ id }, { state });
  }

  /** Deletes the mirror row (and, by cascade, its pipeline state); with `onlyIn`, only while it is in that state. */
  async delete(id: string, onlyIn?: MirrorState): Promise<void> {
    await this.rows.delete(onlyIn ? { id, state: onlyIn } : { id });
  }
}
