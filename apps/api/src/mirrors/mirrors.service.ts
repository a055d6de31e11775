import { Injectable, Logger } from '@nestjs/common';
import type { RegionConfig } from '@lakemirror/config';
import { LakefsClient, LakefsConflictError, LakefsError, LakefsNotFoundError, Repository } from '@lakemirror/lakefs-client';
import { BucketNotFoundError, UnknownRegionError, parseStorageNamespace } from '@lakemirror/object-store';
import { everyBranch } from '@lakemirror/mirroring';
import { MirrorEntity, MirrorRepository } from '@lakemirror/persistence';
import { CommitFailures, MirrorStatus, RegionClients, ScannerService, StatusService } from '@lakemirror/pipeline';
import { arns } from '@lakemirror/policies';
import { controlMirrorPermissions, readMirrorPermissions } from '../auth/mirror-permissions';
import { HeadBucketCommand } from '@aws-sdk/client-s3';
import { AuthorizerService, GuardedCall } from '../auth/authorizer.service';
import type { Caller } from '../auth/caller';
import { ApiError, badGateway, badRequest, conflict, notFound } from '../common/api-errors';
import { AuditService } from '../common/audit.service';
import { isOwnMirrorRepository, mirrorMarker } from './mirror-ownership';
import { MirrorPlacementService } from './mirror-placement.service';
import type { MirrorRequest } from './mirror-request';
import { sameBranchFilter } from './branch-filter-request';

/** The mirror lifecycle: create (idempotent, nothing half-made left behind), list, get, delete. */
@Injectable()
export class MirrorsService {
  private readonly logger = new Logger('mirrors');

  constructor(
    private readonly mirrors: MirrorRepository,
    private readonly clients: RegionClients,
    private readonly authorizer: AuthorizerService,
    private readonly audit: AuditService,
    private readonly statuses: StatusService,
    private readonly scanner: ScannerService,
    private readonly placement: MirrorPlacementService,
    private readonly failures: CommitFailures,
  ) {}

  async list(caller: Caller, sourceRepository: string): Promise<MirrorEntity[]> {
    await this.mustRead(caller, sourceRepository, { action: 'mirror.list', target: sourceRepository });
    return this.mirrors.listOfSource(sourceRepository);
  }

  async get(caller: Caller, sourceRepository: string, id: string): Promise<MirrorEntity> {
    await this.mustRead(caller, sourceRepository, { action: 'mirror.get', target: `${sourceRepository}/${id}` });
    return this.find(sourceRepository, id);
  }

  async status(caller: Caller, sourceRepository: string, id: string): Promise<MirrorStatus> {
    await this.mustRead(caller, sourceRepository, { action: 'mirror.status', target: `${sourceRepository}/${id}` });
    return this.statuses.statusOfMirror(await this.find(sourceRepository, id));
  }

  async scanNow(caller: Caller, sourceRepository: string, id: string): Promise<void> {
    const target = `${sourceRepository}/${id}`;
    await this.mustRead(caller, sourceRepository, { action: 'mirror.scan', target });
    await this.audit.record(caller.userId, 'mirror.scan', target, async () => {
      await this.find(sourceRepository, id);
      await this.scanner.enqueueScanAfterNow(id);
    });
  }

  /**
   * Verifies a failed commit again from scratch (its cause fixed). Who may scan the mirror and
   * also mirror its source (fs:MirrorRepository, as to create a mirror of it): a retry changes
   * what the mirror will hold.
   */
  async retryCommit(caller: Caller, sourceRepository: string, id: string, commitId: string): Promise<{ generation: number }> {
    const target = `${sourceRepository}/${id}/${commitId}`;
    await this.authorizer.require(caller, controlMirrorPermissions(sourceRepository), { action: 'commit.retry', target });
    return this.audit.record(caller.userId, 'commit.retry', target, async () => {
      await this.find(sourceRepository, id);
      const retry = await this.failures.retry(id, commitId);
      if (retry.outcome === 'unknown-commit') throw notFound(`commit "${commitId}" of mirror "${id}" not found`);
      if (retry.outcome === 'not-failed') throw conflict(`commit "${commitId}" of mirror "${id}" is ${retry.state}: only a failed commit can be retried`);
      return { generation: retry.generation };
    });
  }

  /** Mirrors, their status and commit messages belong to the source: only who may read it sees them (and lists repositories, as the reference asks). */
  private mustRead(caller: Caller, sourceRepository: string, call: GuardedCall): Promise<void> {
    return this.authorizer.require(caller, readMirrorPermissions(sourceRepository), call);
  }

  async create(caller: Caller, sourceRepository: string, request: MirrorRequest): Promise<{ mirror: MirrorEntity; created: boolean }> {
    const region = this.regionNamed(request.region);
    await this.authorizer.require(
      caller,
      [
        { action: 'fs:CreateRepository', resource: arns.repository(request.name) },
        { action: 'fs:MirrorRepository', resource: arns.repository(sourceRepository) },
        { action: 'fs:AttachStorageNamespace', resource: arns.namespace(request.storage_namespace) },
      ],
      { action: 'mirror.create', target: `${sourceRepository}/${request.name}` },
    );
    return this.audit.record(
      caller.userId,
      'mirror.create',
      `${sourceRepository}/${request.name}`,
      () => this.createMirror(caller, sourceRepository, request, region),
      {
        region: request.region,
        storage_namespace: request.storage_namespace,
        mirror_tags: request.mirror_tags ?? true,
        max_lag_seconds: request.max_lag_seconds ?? null,
        branches: request.branches ?? everyBranch(),
      },
    );
  }

  async delete(caller: Caller, sourceRepository: string, id: string): Promise<void> {
    await this.authorizer.require(caller, [{ action: 'fs:DeleteRepository', resource: arns.repository(id) }], {
      action: 'mirror.delete',
      target: `${sourceRepository}/${id}`,
    });
    await this.audit.record(caller.userId, 'mirror.delete', `${sourceRepository}/${id}`, async () => {
      const mirror = await this.find(sourceRepository, id);
      // A promoted mirror is an ordinary writable repository now: only lakemirror's record of the mirror goes, never the repository.
      if (mirror.state === 'promoted') return this.mirrors.delete(id, 'promoted');
      // Never from promoting: a promotion that began meanwhile keeps the repository it is turning writable.
      if (!(await this.mirrors.setStateFrom(id, ['creating', 'active', 'deleting'], 'deleting'))) {
        throw conflict(`mirror "${id}" is being promoted: promote it again to finish first`);
      }
      await this.deleteDestination(this.regionNamed(mirror.region), id);
      await this.mirrors.delete(id);
    });
  }

  private async createMirror(caller: Caller, sourceRepository: string, request: MirrorRequest, region: RegionConfig) {
    const namespace = this.placement.mustBeAllowed(request.storage_namespace, region);
    const source = await this.sourceMustExist(sourceRepository);
    await this.namespaceMustBeInRegion(request.storage_namespace, region);
    this.placement.mustNotOverlapSource(namespace, region, source);
    let mirror = await this.mirrors.find(request.name);
    const retrying = mirror !== undefined;
    if (mirror) {
      const same = mirror.sourceRepository === sourceRepository && mirror.region === region.name && mirror.storageNamespace === request.storage_namespace;
      if (!same || mirror.state === 'deleting') throw conflict(`mirror name "${request.name}" is taken`);
      if (mirror.state === 'promoting' || mirror.state === 'promoted') throw conflict(`mirror "${request.name}" was promoted to a writable repository`);
      if (request.branches && !sameBranchFilter(mirror, request.branches)) {
        throw conflict(`mirror "${request.name}" exists with another branch filter: change it with PATCH`);
      }
      if (mirror.state === 'active') return { mirror, created: false };
    } else {
      const placement = {
        id: request.name,
        sourceRepository,
        region: region.name,
        storageNamespace: request.storage_namespace,
        createdBy: caller.userId,
        mirrorTags: request.mirror_tags ?? true,
        maxLagSeconds: request.max_lag_seconds ?? null,
        branchInclude: request.branches?.include,
        branchExclude: request.branches?.exclude,
      };
      await this.placement.insertCreating(placement, region, namespace);
      mirror = (await this.mirrors.find(request.name)) as MirrorEntity;
    }
    // A repository that was there before this try may be someone else's: a failure deletes it only once it proved to be this mirror's.
    let destinationIsOurs = true;
    try {
      const destination = this.lakefsOf(region);
      if (await this.repositoryExisted(destination, region, mirror, source.default_branch)) {
        destinationIsOurs = false;
        await this.mustBeOwnRepository(destination, region, mirror, retrying);
        destinationIsOurs = true;
      }
      await destination.setRepositoryMetadata(mirror.id, mirrorMarker(mirror)).catch((error: unknown) => {
        throw this.upstream(error, `marking the mirror repository on region ${region.name}`);
      });
    } catch (error) {
      await this.abandon(region, request.name, destinationIsOurs);
      throw error;
    }
    await this.mirrors.setState(request.name, 'active');
    return { mirror: (await this.mirrors.find(request.name)) as MirrorEntity, created: true };
  }

  /** Creates the mirror's bare, read-only repository; true when lakeFS answers that the name exists. */
  private async repositoryExisted(destination: LakefsClient, region: RegionConfig, mirror: MirrorEntity, defaultBranch: string): Promise<boolean> {
    try {
      await destination.createRepository(
        { name: mirror.id, storage_namespace: mirror.storageNamespace, default_branch: defaultBranch, read_only: true },
        { bare: true },
      );
      return false;
    } catch (error) {
      if (error instanceof LakefsConflictError) return true;
      throw this.upstream(error, `creating the mirror repository on region ${region.name}`);
    }
  }

  /** Adopts only a repository that an earlier try of this same creation made (see isOwnMirrorRepository). */
  private async mustBeOwnRepository(destination: LakefsClient, region: RegionConfig, mirror: MirrorEntity, rowPredatesRequest: boolean): Promise<void> {
    const [repository, metadata] = await Promise.all([destination.getRepository(mirror.id), destination.getRepositoryMetadata(mirror.id)]).catch(
      (error: unknown) => {
        throw this.upstream(error, `reading the existing repository "${mirror.id}" on region ${region.name}`);
      },
    );
    if (!isOwnMirrorRepository(repository, metadata, mirror, rowPredatesRequest)) {
      throw conflict(`a repository named "${mirror.id}" already exists on region ${region.name}'s lakeFS and was not created by lakemirror`);
    }
  }

  /** Undoes a failed creation so that nothing half-made stays; a retry of the request starts clean. */
  private async abandon(region: RegionConfig, name: string, destinationIsOurs: boolean): Promise<void> {
    if (!destinationIsOurs) {
      await this.mirrors.delete(name, 'creating');
      return;
    }
    try {
      await this.deleteDestination(region, name);
      await this.mirrors.delete(name, 'creating');
    } catch (cleanup) {
      this.logger.warn({ mirror: name, err: cleanup }, 'could not undo a failed mirror creation; retrying the request will finish or undo it');
    }
  }

  private async deleteDestination(region: RegionConfig, name: string): Promise<void> {
    try {
      await this.lakefsOf(region).deleteRepository(name, { force: true });
    } catch (error) {
      if (!(error instanceof LakefsNotFoundError)) throw this.upstream(error, `deleting the mirror repository on region ${region.name}`);
    }
  }

  private async sourceMustExist(repository: string): Promise<Repository> {
    try {
      return await this.clients.source.getRepository(repository);
    } catch (error) {
      if (error instanceof LakefsNotFoundError) throw notFound(`source repository "${repository}" not found`);
      throw this.upstream(error, 'reading the source repository');
    }
  }

  private async namespaceMustBeInRegion(namespace: string, region: RegionConfig): Promise<void> {
    const { bucket } = parseStorageNamespace(namespace);
    try {
      await this.clients.objectStore(region.name).send(new HeadBucketCommand({ Bucket: bucket }));
    } catch (error) {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status === 404 || error instanceof BucketNotFoundError)
        throw badRequest(`bucket "${bucket}" does not exist in region ${region.name}`, {
          storage_namespace: `bucket "${bucket}" does not exist in region ${region.name}`,
        });
      throw badGateway(`could not check bucket "${bucket}" in region ${region.name}: ${(error as Error).message}`);
    }
  }

  private async find(sourceRepository: string, id: string): Promise<MirrorEntity> {
    const mirror = await this.mirrors.findOfSource(sourceRepository, id);
    if (!mirror) throw notFound(`mirror "${id}" of repository "${sourceRepository}" not found`);
    return mirror;
  }

  private regionNamed(name: string): RegionConfig {
    try {
      return this.clients.region(name);
    } catch (error) {
      if (!(error instanceof UnknownRegionError)) throw error;
      const known = error.known.join(', ');
      throw badRequest(`unknown region "${name}"; configured regions: ${known}`, { region: `must be one of: ${known}` });
    }
  }

  private lakefsOf(region: RegionConfig): LakefsClient {
    return this.clients.destination(region.name);
  }

  private upstream(error: unknown, doing: string): Error {
    if (error instanceof ApiError) return error;
    if (error instanceof LakefsError) return badGateway(`lakeFS failed while ${doing}: ${error.lakefsMessage || error.code}`);
    return error as Error;
  }
}
