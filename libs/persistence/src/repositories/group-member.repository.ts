import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { GroupMemberEntity } from '../entities/group-member.entity';

/** The group_members table: lakemirror groups of lakeFS users. */
@Injectable()
export class GroupMemberRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  private get rows() {
    return this.db.getRepository(GroupMemberEntity);
  }

  async add(groupId: string, userId: string): Promise<void> {
    await this.rows.upsert({ groupId, userId }, ['groupId', 'userId']);
  }

  /** False when the user was not in the group. */
  async remove(groupId: string, userId: string): Promise<boolean> {
    const { affected } = await this.rows.delete({ groupId, userId });
    return (affected ?? 0) > 0;
  }

  async groupsOf(userId: string): Promise<string[]> {
    return (await this.rows.findBy({ userId })).map((g) => g.groupId);
  }
}
