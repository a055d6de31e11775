import { Body, Controller, Delete, Get, HttpCode, Param, Put } from '@nestjs/common';
import { ApiBasicAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { GroupMemberRepository, PolicyAttachmentRepository, PolicyRepository, Principal } from '@lakemirror/persistence';
import { InvalidPolicyError, Policy, parsePolicy } from '@lakemirror/policies';
import { Caller, CurrentCaller } from '../auth/caller';
import { badRequest, forbidden, notFound } from '../common/api-errors';
import { AuditService } from '../common/audit.service';

const PRINCIPAL_ID = /^[A-Za-z0-9_.@+=-]{1,256}$/;

function principal(kind: string, id: string): Principal {
  if (kind !== 'users' && kind !== 'groups') throw notFound(`no such principal kind "${kind}" (users or groups)`);
  if (!PRINCIPAL_ID.test(id)) throw badRequest(`"${id.slice(0, 80)}" is not a valid ${kind === 'users' ? 'user' : 'group'} ID`);
  return { type: kind === 'users' ? 'user' : 'group', id };
}

/** Policy management for the admins named in LAKEMIRROR_ADMIN_USERS (see docs/api.md). */
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
    this.mustBeAdmin(caller);
    return { results: await this.policies.list() };
  }

  @Get('policies/:id')
  async get(@CurrentCaller() caller: Caller, @Param('id') id: string): Promise<Policy> {
    this.mustBeAdmin(caller);
    const policy = await this.policies.get(id);
    if (!policy) throw notFound(`policy "${id}" not found`);
    return policy;
  }

  @Put('policies/:id')
  @ApiOperation({ summary: 'Create or replace a lakeFS-format policy' })
  async put(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() body: unknown): Promise<Policy> {
    this.mustBeAdmin(caller);
    let policy: Policy;
    try {
      policy = parsePolicy(body);
    } catch (error) {
      if (error instanceof InvalidPolicyError) throw badRequest(error.message);
      throw error;
    }
    if (policy.id !== id) throw badRequest(`policy id "${policy.id}" does not match the path "${id}"`);
    return this.audit.record(caller.userId, 'policy.put', id, async () => {
      await this.policies.put(id, policy);
      return policy;
    });
  }

  @Delete('policies/:id')
  @HttpCode(204)
  async delete(@CurrentCaller() caller: Caller, @Param('id') id: string): Promise<void> {
    this.mustBeAdmin(caller);
    await this.audit.record(caller.userId, 'policy.delete', id, async () => {
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
    this.mustBeAdmin(caller);
    const who = principal(kind, principalId);
    await this.audit.record(caller.userId, 'policy.attach', `${kind}/${principalId}/${policyId}`, async () => {
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
    this.mustBeAdmin(caller);
    const who = principal(kind, principalId);
    await this.audit.record(caller.userId, 'policy.detach', `${kind}/${principalId}/${policyId}`, async () => {
      if (!(await this.attachments.detach(policyId, who))) throw notFound(`policy "${policyId}" is not attached to ${kind}/${principalId}`);
    });
  }

  @Put('groups/:group/members/:user')
  @HttpCode(204)
  async addMember(@CurrentCaller() caller: Caller, @Param('group') group: string, @Param('user') user: string): Promise<void> {
    this.mustBeAdmin(caller);
    principal('groups', group);
    principal('users', user);
    await this.audit.record(caller.userId, 'group.add', `${group}/${user}`, async () => {
      await this.groups.add(group, user);
    });
  }

  @Delete('groups/:group/members/:user')
  @HttpCode(204)
  async removeMember(@CurrentCaller() caller: Caller, @Param('group') group: string, @Param('user') user: string): Promise<void> {
    this.mustBeAdmin(caller);
    await this.audit.record(caller.userId, 'group.remove', `${group}/${user}`, async () => {
      if (!(await this.groups.remove(group, user))) throw notFound(`user "${user}" is not in group "${group}"`);
    });
  }

  private mustBeAdmin(caller: Caller): void {
    if (!caller.isAdmin) throw forbidden(`user ${caller.userId} is not a lakemirror admin (LAKEMIRROR_ADMIN_USERS)`);
  }
}
