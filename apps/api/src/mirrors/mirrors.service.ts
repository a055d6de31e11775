import { Injectable, Logger } from '@nestjs/common';
import type { RegionConfig } from '@lakemirror/config';
import { LakefsClient, LakefsConflictError, LakefsError, LakefsNotFoundError, Repository } from '@lakemirror/lakefs-client';
import { BucketNotFoundError, UnknownRegionError, parseStorageNamespace } from '@lakemirror/object-store';
import { MirrorEntity, MirrorNameTakenError, MirrorRepository } from '@lakemirror/persistence';
import { MirrorStatus, RegionClients, ScannerService, StatusService } from '@lakemirror/pipeline';
import { arns } from '@lakemirror/policies';
import { HeadBucketCommand } from '@aws-sdk/client-s3';
import { AuthorizerService } from '../auth/authorizer.service';
import type { Caller } from '../auth/caller';
import { ApiError, badGateway, badRequest, conflict, notFound } from '../common/api-errors';
import { AuditService } from '../common/audit.service';
import type { MirrorRequest } from './mirror-request';

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
  ) {}

  async list(caller: Caller, sourceRepository: string): Promise<MirrorEntity[]> {
    await this.authorizer.require(caller, [{ action: 'fs:ListRepositories', resource: '*' }]);
    return this.mirrors.listOfSource(sourceRepository);
  }

  async get(caller: Caller, sourceRepository: string, id: string): Promise<MirrorEntity> {
    await this.authorizer.require(caller, [{ action: 'fs:ListRepositories', resource: '*' }]);
    return this.find(sourceRepository, id);
  }

  async status(caller: Caller, sourceRepository: string, id: string): Promise<MirrorStatus> {
    await this.get(caller, sourceRepository, id);
    return this.statuses.mirrorStatus(id);
  }

  async scanNow(caller: Caller, sourceRepository: string, id: string): Promise<void> {
    await this.get(caller, sourceRepository, id);
    await this.scanner.enqueueScan(id);
  }

  async create(caller: Caller, sourceRepository: string, request: MirrorRequest): Promise<{ mirror: MirrorEntity; created: boolean }> {
    const region = this.regionNamed(request.region);
    await this.authorizer.require(caller, [
      { action: 'fs:CreateRepository', resource: arns.repository(request.name) },
      { action: 'fs:MirrorRepository', resource: arns.repository(sourceRepository) },
      { action: 'fs:AttachStorageNamespace', resource: arns.namespace(request.storage_namespace) },
    ]);
    return this.audit.record(
      caller.userId,
      'mirror.create',
      `${sourceRepository}/${request.name}`,
      () => this.createMirror(caller, sourceRepository, request, region),
      {
        region: request.region,
        storage_namespace: request.storage_namespace,
      },
    );
  }

  async delete(caller: Caller, sourceRepository: string, id: string): Promise<void> {
    await this.authorizer.require(caller, [{ action: 'fs:DeleteRepository', resource: arns.repository(id) }]);
    await this.audit.record(caller.userId, 'mirror.delete', `${sourceRepository}/${id}`, async () => {
      const mirror = await this.find(sourceRepository, id);
      await this.mirrors.setState(id, 'deleting');
      await this.deleteDestination(this.regionNamed(mirror.region), id);
      await this.mirrors.delete(id);
    });
  }

  private async createMirror(caller: Caller, sourceRepository: string, request: MirrorRequest, region: RegionConfig) {
    const source = await this.sourceMustExist(sourceRepository);
    await this.namespaceMustBeInRegion(request.storage_namespace, region);
    const existing = await this.mirrors.find(request.name);
    if (existing) {
      const same = existing.sourceRepository === sourceRepository && existing.region === region.name && existing.storageNamespace === request.storage_namespace;
      if (!same || existing.state === 'deleting') throw conflict(`mirror name "${request.name}" is taken`);
      if (existing.state === 'active') return { mirror: existing, created: false };
    } else {
      await this.mirrors
        .insertCreating({ id: request.name, sourceRepository, region: region.name, storageNamespace: request.storage_namespace, createdBy: caller.userId })
        .catch((error: unknown) => {
          if (error instanceof MirrorNameTakenError) throw conflict(error.message);
          throw error;
        });
    }
    try {
      await this.createDestination(region, request, source.default_branch);
    } catch (error) {
      await this.abandon(region, request.name, error);
      throw error;
    }
    await this.mirrors.setState(request.name, 'active');
    return { mirror: (await this.mirrors.find(request.name)) as MirrorEntity, created: true };
  }

  private async createDestination(region: RegionConfig, request: MirrorRequest, defaultBranch: string): Promise<void> {
    const destination = this.lakefsOf(region);
    try {
      await destination.createRepository(
        { name: request.name, storage_namespace: request.storage_namespace, default_branch: defaultBranch, read_only: true },
        { bare: true },
      );
    } catch (error) {
      if (!(error instanceof LakefsConflictError)) throw this.upstream(error, `creating the mirror repository on region ${region.name}`);
      // Created by an earlier try of this same request? Then it is ours to finish.
      const repository = await destination.getRepository(request.name);
      if (!repository.read_only || repository.storage_namespace !== request.storage_namespace) {
        throw conflict(`a repository named "${request.name}" already exists on region ${region.name}'s lakeFS`);
      }
    }
  }

  /** Undoes a failed creation so that nothing half-made stays; a retry of the request starts clean. */
  private async abandon(region: RegionConfig, name: string, cause: unknown): Promise<void> {
    if (cause instanceof ApiError && cause.getStatus() === 409) {
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
