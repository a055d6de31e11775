import { Entity, PrimaryColumn } from 'typeorm';

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
