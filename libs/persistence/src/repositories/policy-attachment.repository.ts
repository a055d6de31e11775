import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { PolicyAttachmentEntity, PrincipalType } from '../entities/policy-attachment.entity';

export interface Principal {
  type: PrincipalType;
  id: string;
}

/** The policy_attachments table: which policies apply to which users and groups. */
@Injectable()
export class PolicyAttachmentRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  private get rows() {
    return this.db.getRepository(PolicyAttachmentEntity);
  }

  async attach(policyId: string, principal: Principal): Promise<void> {
    await this.rows.upsert({ policyId, principalType: principal.type, principalId: principal.id }, ['policyId', 'principalType', 'principalId']);
  }

  /** False when the policy was not attached. */
  async detach(policyId: string, principal: Principal): Promise<boolean> {
    const { affected } = await this.rows.delete({ policyId, principalType: principal.type, principalId: principal.id });
    return (affected ?? 0) > 0;
  }

  /** IDs of the policies attached to the user directly or to any of `groupIds`. */
  async policyIdsFor(userId: string, groupIds: string[]): Promise<string[]> {
    const rows = await this.rows.find({
      where: [{ principalType: 'user', principalId: userId }, ...(groupIds.length ? [{ principalType: 'group' as const, principalId: In(groupIds) }] : [])],
    });
    return [...new Set(rows.map((a) => a.policyId))];
  }
}
