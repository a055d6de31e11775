import { Inject, Injectable } from '@nestjs/common';
import { GroupMemberEntity, PolicyAttachmentEntity, PolicyEntity } from '@lakemirror/persistence';
import { Permission, Policy, authorize } from '@lakemirror/policies';
import { DataSource, In } from 'typeorm';
import { forbidden } from '../common/api-errors';
import { DATA_SOURCE } from '../database.provider';
import type { Caller } from './caller';

/** Enforces lakeFS-format policies attached to the caller (directly or through groups). Admins pass. */
@Injectable()
export class Authorizer {
  constructor(@Inject(DATA_SOURCE) private readonly db: DataSource) {}

  async require(caller: Caller, required: Permission[]): Promise<void> {
    if (caller.isAdmin) return;
    const result = authorize(await this.policiesOf(caller.userId), required, caller.userId);
    if (!result.allowed && result.missing) {
      const why = result.missing.decision === 'deny' ? 'is denied' : 'is not allowed';
      throw forbidden(`${result.missing.action} on ${result.missing.resource} ${why} for user ${caller.userId}`);
    }
  }

  private async policiesOf(userId: string): Promise<Policy[]> {
    const groups = await this.db.getRepository(GroupMemberEntity).findBy({ userId });
    const attachments = await this.db.getRepository(PolicyAttachmentEntity).find({
      where: [{ principalType: 'user', principalId: userId }, ...(groups.length ? [{ principalType: 'group' as const, principalId: In(groups.map((g) => g.groupId)) }] : [])],
    });
    if (attachments.length === 0) return [];
    const policies = await this.db.getRepository(PolicyEntity).findBy({ id: In([...new Set(attachments.map((a) => a.policyId))]) });
    return policies.map((p) => p.document);
  }
}
