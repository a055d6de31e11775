import { Injectable } from '@nestjs/common';
import { GroupMemberRepository, PolicyAttachmentRepository, PolicyRepository } from '@lakemirror/persistence';
import { Permission, Policy, authorize } from '@lakemirror/policies';
import { forbidden } from '../common/api-errors';
import type { Caller } from './caller';

/** Enforces lakeFS-format policies attached to the caller (directly or through groups). Admins pass. */
@Injectable()
export class AuthorizerService {
  constructor(
    private readonly groups: GroupMemberRepository,
    private readonly attachments: PolicyAttachmentRepository,
    private readonly policies: PolicyRepository,
  ) {}

  async require(caller: Caller, required: Permission[]): Promise<void> {
    if (caller.isAdmin) return;
    const result = authorize(await this.policiesOf(caller.userId), required, caller.userId);
    if (!result.allowed && result.missing) {
      const why = result.missing.decision === 'deny' ? 'is denied' : 'is not allowed';
      throw forbidden(`${result.missing.action} on ${result.missing.resource} ${why} for user ${caller.userId}`);
    }
  }

  private async policiesOf(userId: string): Promise<Policy[]> {
    const policyIds = await this.attachments.policyIdsFor(userId, await this.groups.groupsOf(userId));
    return this.policies.getMany(policyIds);
  }
}
