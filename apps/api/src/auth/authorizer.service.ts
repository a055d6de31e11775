import { Injectable } from '@nestjs/common';
import { GroupMemberRepository, PolicyAttachmentRepository, PolicyRepository } from '@lakemirror/persistence';
import { AuthorizationResult, Permission, Policy, authorize, sourceIpContext } from '@lakemirror/policies';
import { PinoLogger } from 'nestjs-pino';
import { forbidden } from '../common/api-errors';
import { AuditService } from '../common/audit.service';
import type { Caller } from './caller';

/** The call a permission check guards, as the audit log names it (e.g. `mirror.list` on `sales`). */
export interface GuardedCall {
  action: string;
  target: string;
}

/**
 * Enforces lakeFS-format policies attached to the caller (directly or through groups), with
 * conditions evaluated against the caller's address. Admins pass. Every refusal is audited.
 */
@Injectable()
export class AuthorizerService {
  constructor(
    private readonly groups: GroupMemberRepository,
    private readonly attachments: PolicyAttachmentRepository,
    private readonly policies: PolicyRepository,
    private readonly audit: AuditService,
    private readonly log: PinoLogger,
  ) {}

  /** @throws 403 naming the first permission not allowed, after recording the refusal of `call` (by default: the permission). */
  async require(caller: Caller, required: Permission[], call?: GuardedCall): Promise<void> {
    if (caller.isAdmin) return;
    const result = authorize(await this.policiesOf(caller.userId), required, caller.userId, sourceIpContext(caller.sourceIp));
    if (result.allowed || !result.missing) return;
    const { action, resource, decision } = result.missing;
    await this.recordRefusal(caller, call ?? { action: 'authorize', target: resource }, result);
    throw forbidden(`${action} on ${resource} ${decision === 'deny' ? 'is denied' : 'is not allowed'} for user ${caller.userId}`);
  }

  /** Whether every permission is allowed, without refusing nor auditing: for what a caller is shown, not for what a call does. */
  async allows(caller: Caller, required: Permission[]): Promise<boolean> {
    if (caller.isAdmin) return true;
    return authorize(await this.policiesOf(caller.userId), required, caller.userId, sourceIpContext(caller.sourceIp)).allowed;
  }

  private async policiesOf(userId: string): Promise<Policy[]> {
    const policyIds = await this.attachments.policyIdsFor(userId, await this.groups.groupsOf(userId));
    return this.policies.getMany(policyIds);
  }

  /** The refusal stands whether or not the audit log could be written. */
  private async recordRefusal(caller: Caller, call: GuardedCall, result: AuthorizationResult): Promise<void> {
    const missing = result.missing;
    if (missing?.cause) {
      this.log.warn({ user: caller.userId, ...missing.cause }, 'a policy lakeFS could not evaluate denied the check');
    }
    const detail = { status: 403, client: caller.sourceIp, missing };
    try {
      await this.audit.append(caller.userId, call.action, call.target, 'failure', detail);
    } catch (error) {
      this.log.warn({ err: error, action: call.action, target: call.target }, 'could not write the audit log');
    }
  }
}
