import { Injectable } from '@nestjs/common';
import { MirrorEntity, MirrorRepository } from '@lakemirror/persistence';
import type { BranchFilter } from '@lakemirror/mirroring';
import { BranchFollowingService, ScannerService, UnfollowedBranches } from '@lakemirror/pipeline';
import { controlMirrorPermissions } from '../auth/mirror-permissions';
import { AuthorizerService } from '../auth/authorizer.service';
import type { Caller } from '../auth/caller';
import { conflict, notFound } from '../common/api-errors';
import { AuditService } from '../common/audit.service';
import type { MirrorUpdateRequest } from './mirror-update-request';

/**
 * Changes the settings of an existing mirror (PATCH). Who may do it: who may read the source and
 * mirror it (fs:MirrorRepository, as to create the mirror), since it changes what the mirror holds.
 */
@Injectable()
export class MirrorUpdateService {
  constructor(
    private readonly mirrors: MirrorRepository,
    private readonly following: BranchFollowingService,
    private readonly scanner: ScannerService,
    private readonly authorizer: AuthorizerService,
    private readonly audit: AuditService,
  ) {}

  async update(caller: Caller, sourceRepository: string, id: string, request: MirrorUpdateRequest): Promise<MirrorEntity> {
    const target = `${sourceRepository}/${id}`;
    await this.authorizer.require(caller, controlMirrorPermissions(sourceRepository), { action: 'mirror.update', target });
    return this.audit.record(
      caller.userId,
      'mirror.update',
      target,
      async () => {
        await this.find(sourceRepository, id);
        if (request.branches) await this.changeBranchFilter(id, request.branches, request.unfollowed_branches ?? 'keep');
        if (request.mirror_tags !== undefined) await this.changeMirrorTags(id, request.mirror_tags);
        if (request.max_lag_seconds !== undefined) await this.mirrors.setMaxLagSeconds(id, request.max_lag_seconds);
        return this.find(sourceRepository, id);
      },
      { ...request },
    );
  }

  /** Followed from the next scan, which is asked for now; unfollowed at once. */
  private async changeBranchFilter(id: string, filter: Partial<BranchFilter>, unfollowed: UnfollowedBranches): Promise<void> {
    const change = await this.following.changeFilter(id, filter, unfollowed);
    switch (change.outcome) {
      case 'not-active':
        throw conflict(`mirror "${id}" is being created or deleted: its branch filter cannot change now`);
      case 'paused':
        throw conflict(
          `mirror "${id}" is paused: deleting its branches ${change.branches.join(', ')} would change it; resume it first, or keep them ("unfollowed_branches": "keep")`,
        );
      case 'default-branch':
        throw conflict(
          `the new filter does not follow "${change.branch}", the default branch of mirror "${id}", which lakeFS cannot delete: include it, or keep unfollowed branches ("unfollowed_branches": "keep")`,
        );
      case 'changed':
        await this.scanner.enqueueScan(id);
    }
  }

  /** Tags already on the mirror stay when following stops; when it starts, the scan asked for now catches up. */
  private async changeMirrorTags(id: string, mirrorTags: boolean): Promise<void> {
    await this.mirrors.setMirrorTags(id, mirrorTags);
    if (mirrorTags) await this.scanner.enqueueScan(id);
  }

  private async find(sourceRepository: string, id: string): Promise<MirrorEntity> {
    const mirror = await this.mirrors.findOfSource(sourceRepository, id);
    if (!mirror) throw notFound(`mirror "${id}" of repository "${sourceRepository}" not found`);
    return mirror;
  }
}
