import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Policy } from '@lakemirror/policies';
import { DataSource, In } from 'typeorm';
import { PolicyEntity } from '../entities/policy.entity';

/** The policies table: lakeFS-format policy documents by ID. */
@Injectable()
export class PolicyRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  private get rows() {
    return this.db.getRepository(PolicyEntity);
  }

  async list(): Promise<Policy[]> {
    return (await this.rows.find({ order: { id: 'ASC' } })).map((p) => p.document);
  }

  async get(id: string): Promise<Policy | undefined> {
    return (await this.rows.findOneBy({ id }))?.document;
  }

  async getMany(ids: string[]): Promise<Policy[]> {
    if (ids.length === 0) return [];
    return (await this.rows.findBy({ id: In(ids) })).map((p) => p.document);
  }

  exists(id: string): Promise<boolean> {
    return this.rows.existsBy({ id });
  }

  async put(id: string, document: Policy): Promise<void> {
    await this.rows.save({ id, document });
  }

  /** False when there was no such policy. */
  async delete(id: string): Promise<boolean> {
    const { affected } = await this.rows.delete({ id });
    return (affected ?? 0) > 0;
  }
}
