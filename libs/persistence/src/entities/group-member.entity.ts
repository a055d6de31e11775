import { Entity, PrimaryColumn } from 'typeorm';

/** Membership of a lakeFS user in a lakemirror group. */
@Entity('group_members')
export class GroupMemberEntity {
  @PrimaryColumn({ name: 'group_id', type: 'varchar', length: 128 })
  groupId!: string;

  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 256 })
  userId!: string;
}
