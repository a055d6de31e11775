import { Body, Controller, Delete, Get, HttpCode, Param, Put } from '@nestjs/common';
import { ApiBasicAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { GroupMemberRepository, PolicyAttachmentRepository, PolicyRepository, Principal } from '@lakemirror/persistence';
import { InvalidPolicyError, Policy, parsePolicy } from '@lakemirror/policies';
import { Caller, CurrentCaller } from '../auth/caller';
import { badRequest, forbidden, notFound } from '../common/api-errors';
import { AuditService } from '../common/audit.service';

const PRINCIPAL_ID = /^[A-Za-z0-9_.@+=-]{1,256}$/;
// The size of the audit log's target column: paths are the caller's to choose.
const MAX_TARGET = 1024;

/** What an admin call is about, as the audit log names it. */
function targetOf(...parts: string[]): string {
  return parts.join('/').slice(0, MAX_TARGET);
}

function principal(kind: string, id: string): Principal {
  if (kind !== 'users' && kind !== 'groups') throw notFound(`no such principal kind "${kind}" (users or groups)`);
  if (!PRINCIPAL_ID.test(id)) throw badRequest(`"${id.slice(0, 80)}" is not a valid ${kind === 'users' ? 'user' : 'group'} ID`);
  return { type: kind === 'users' ? 'user' : 'group', id };
}

/** A policy document as written, or 400 naming each problem's statement and field. */
function policyOf(body: unknown): Policy {
  try {
    return parsePolicy(body);
  } catch (error) {
    if (!(error instanceof InvalidPolicyError)) throw error;
    throw badRequest(error.message, Object.fromEntries(error.problems.map((p) => [p.path, p.message])));
  }
}

/**
 * Policy management for the admins named in LAKEMIRROR_ADMIN_USERS (see docs/api.md). Every
 * change is audited, whether it succeeded, was refused as invalid or was refused to a non-admin;
 * so is every non-admin's attempt to read.
 */
@ApiTags('admin')
@ApiBasicAuth()
@Controller('service/replication/v1/admin')
export class PoliciesController {
  constructor(
    private readonly policies: PolicyRepository,
    private readonly attachments: PolicyAttachmentRepository,
    private readonly groups: GroupMemberRepository,
    private readonly audit: AuditService,
  ) {}

  @Get('policies')
  @ApiOperation({ summary: 'List policies' })
  async list(@CurrentCaller() caller: Caller): Promise<{ results: Policy[] }> {
    await this.mustBeAdmin(caller, 'policy.list', 'policies');
    return { results: await this.policies.list() };
  }

  @Get('policies/:id')
  async get(@CurrentCaller() caller: Caller, @Param('id') id: string): Promise<Policy> {
    await this.mustBeAdmin(caller, 'policy.get', targetOf(id));
    const policy = await this.policies.get(id);
    if (!policy) throw notFound(`policy "${id}" not found`);
    return policy;
  }

  @Put('policies/:id')
  @ApiOperation({ summary: 'Create or replace a lakeFS-format policy (unknown actions, bad ARNs and conditions lakemirror cannot evaluate are refused)' })
  async put(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() body: unknown): Promise<Policy> {
    await this.mustBeAdmin(caller, 'policy.put', targetOf(id));
    return this.audit.record(caller.userId, 'policy.put', targetOf(id), async () => {
      const policy = policyOf(body);
      if (policy.id !== id) throw badRequest(`policy id "${policy.id}" does not match the path "${id}"`, { id: `must be "${id}"` });
      await this.policies.put(id, policy);
      return policy;
    });
  }

  @Delete('policies/:id')
  @HttpCode(204)
  async delete(@CurrentCaller() caller: Caller, @Param('id') id: string): Promise<void> {
    await this.mustBeAdmin(caller, 'policy.delete', targetOf(id));
    await this.audit.record(caller.userId, 'policy.delete', targetOf(id), async () => {
      if (!(await this.policies.delete(id))) throw notFound(`policy "${id}" not found`);
    });
  }

  @Put(':kind/:principal/policies/:policy')
  @HttpCode(204)
  @ApiOperation({ summary: 'Attach a policy to a user or a group (kind: users or groups)' })
  async attach(
    @CurrentCaller() caller: Caller,
    @Param('kind') kind: string,
    @Param('principal') principalId: string,
    @Param('policy') policyId: string,
  ): Promise<void> {
    const target = targetOf(kind, principalId, policyId);
    await this.mustBeAdmin(caller, 'policy.attach', target);
    await this.audit.record(caller.userId, 'policy.attach', target, async () => {
      const who = principal(kind, principalId);
      if (!(await this.policies.exists(policyId))) throw notFound(`policy "${policyId}" not found`);
      await this.attachments.attach(policyId, who);
    });
  }

  @Delete(':kind/:principal/policies/:policy')
  @HttpCode(204)
  async detach(
    @CurrentCaller() caller: Caller,
    @Param('kind') kind: string,
    @Param('principal') principalId: string,
    @Param('policy') policyId: string,
  ): Promise<void> {
    const target = targetOf(kind, principalId, policyId);
    await this.mustBeAdmin(caller, 'policy.detach', target);
    await this.audit.record(caller.userId, 'policy.detach', target, async () => {
      const who = principal(kind, principalId);
      if (!(await this.attachments.detach(policyId, who))) throw notFound(`policy "${policyId}" is not attached to ${kind}/${principalId}`);
    });
  }

  @Put('groups/:group/members/:user')
  @HttpCode(204)
  async addMember(@CurrentCaller() caller: Caller, @Param('group') group: string, @Param('user') user: string): Promise<void> {
    const target = targetOf(group, user);
    await this.mustBeAdmin(caller, 'group.add', target);
    await this.audit.record(caller.userId, 'group.add', target, async () => {
      principal('groups', group);
      principal('users', user);
      await this.groups.add(group, user);
    });
  }

  @Delete('groups/:group/members/:user')
  @HttpCode(204)
  async removeMember(@CurrentCaller() caller: Caller, @Param('group') group: string, @Param('user') user: string): Promise<void> {
    const target = targetOf(group, user);
    await this.mustBeAdmin(caller, 'group.remove', target);
    await this.audit.record(caller.userId, 'group.remove', target, async () => {
      if (!(await this.groups.remove(group, user))) throw notFound(`user "${user}" is not in group "${group}"`);
    });
  }

  /** A non-admin's attempt is refused with 403, and recorded. */
  private async mustBeAdmin(caller: Caller, action: string, target: string): Promise<void> {
    if (caller.isAdmin) return;
    await this.audit.record(caller.userId, action, target, async () => {
      throw forbidden(`user ${caller.userId} is not a lakemirror admin (LAKEMIRROR_ADMIN_USERS)`);
    });
  }
}
