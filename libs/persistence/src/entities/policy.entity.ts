import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { Policy } from '@lakemirror/policies';

/** A lakeFS-format policy document, kept as given. */
@Entity('policies')
export class PolicyEntity {
  @PrimaryColumn({ type: 'varchar', length: 128 })
  id!: string;

  @Column({ type: 'jsonb' })
  document!: Policy;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

export type PrincipalType = 'user' | 'group';

/** A policy attached to a lakeFS user or to a group of them. */
@Entity('policy_attachments')
export class PolicyAttachmentEntity {
  @PrimaryColumn({ name: 'policy_id', type: 'varchar', length: 128 })
  policyId!: string;

  @PrimaryColumn({ name: 'principal_type', type: 'varchar', length: 8 })
  principalType!: PrincipalType;

  @PrimaryColumn({ name: 'principal_id', type: 'varchar', length: 256 })
  principalId!: string;
}

/** Membership of a lakeFS user in a lakemirror group. */
@Entity('group_members')
export class GroupMemberEntity {
  @PrimaryColumn({ name: 'group_id', type: 'varchar', length: 128 })
  groupId!: string;

  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 256 })
  userId!: string;
}
