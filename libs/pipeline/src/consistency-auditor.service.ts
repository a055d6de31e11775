import { Inject, Injectable } from '@nestjs/common';
import type { S3Client } from '@aws-sdk/client-s3';
import { LakefsClient, LakefsNotFoundError, collect } from '@lakemirror/lakefs-client';
import { AuditMissingFile, AuditRange, AuditedCommit, auditedCommits, classifyMissing, countByClassification, planAuditRanges } from '@lakemirror/mirroring';
import {
  CountingS3,
  StorageNamespace,
  UnknownRegionError,
  findMissingKeys,
  latestVersionOf,
  lakefsMetadataObject,
  mapWithConcurrency,
  objectInNamespace,
  parseStorageNamespace,
} from '@lakemirror/object-store';
import { AuditProgress, MirrorAuditRepository, MirrorRepository } from '@lakemirror/persistence';
import type { JobPayloads } from '@lakemirror/queues';
import { RangeInfo, RangeReaderError, S3ObjectSource, readMetaRange, readRangeEntries } from '@lakemirror/range-reader';
import { PinoLogger } from 'nestjs-pino';
import { PermanentPipelineError, RegionNotConfiguredError } from './pipeline.errors';
import { PIPELINE_SETTINGS, PipelineSettings } from './pipeline-settings';
import { RegionClients } from './region-clients';

/** Missing files classified and listed in a report; past it they are only counted. */
export const AUDIT_MISSING_LISTED = 1_000;
/** Ranges read at once. */
const RANGE_CONCURRENCY = 4;
/** At most one progress write per this many ms. */
const PROGRESS_EVERY_MS = 500;

/** A file found missing, before it is classified. */
type Finding = Omit<AuditMissingFile, 'classification' | 'commit_id'> & { classification?: 'unreadable' };

/**
 * Files found missing, each key once with every commit that needs it (an object can sit in
 * several ranges). A bounded number is kept, past which keys are only counted (once per range): a lost bucket
 * must not exhaust the worker's memory.
 */
class Findings {
  private readonly byKey = new Map<string, Finding>();
  private uncounted = 0;

  add(finding: Finding): void {
    const known = this.byKey.get(finding.key);
    if (known) known.commit_ids = [...new Set([...known.commit_ids, ...finding.commit_ids])];
    else if (this.byKey.size < 10 * AUDIT_MISSING_LISTED) this.byKey.set(finding.key, { ...finding });
    else this.uncounted++;
  }

  get kept(): Finding[] {
    return [...this.byKey.values()];
  }

  get count(): number {
    return this.byKey.size + this.uncounted;
  }
}

/** How a job reports: progress for Bull Board, and whether this is its last attempt (a failure then ends the audit). */
export interface AuditRun {
  reportProgress?: (progress: AuditProgress & { rangesTotal: number; objectsTotal: number }) => Promise<void>;
  finalAttempt?: boolean;
}

/**
 * Runs one consistency audit of a mirror from its region alone: the branch heads and tags its
 * lakeFS shows, their metaranges, each distinct range once, and every object of those ranges
 * with a relative address, read and checked in the mirror bucket as the verifier does (LIST for
 * dense folders, HEAD for sparse ones). Each missing file is classified from the bucket's
 * versions (classifyMissing). The report is stored on the audit's row; a retried job starts the
 * audit again from nothing.
 */
@Injectable()
export class ConsistencyAuditor {
  constructor(
    private readonly mirrors: MirrorRepository,
    private readonly audits: MirrorAuditRepository,
    private readonly clients: RegionClients,
    @Inject(PIPELINE_SETTINGS) private readonly settings: PipelineSettings,
    private readonly log: PinoLogger,
  ) {}

  async audit(job: JobPayloads['audit-mirror'], run: AuditRun = {}): Promise<{ missing: number } | undefined> {
    try {
      return await this.runAudit(job, run);
    } catch (error) {
      // The row must not stay "running" once no retry will come.
      if (run.finalAttempt || error instanceof PermanentPipelineError) await this.audits.fail(job.auditId, (error as Error).message);
      throw error;
    }
  }

  private async runAudit({ mirrorId, auditId }: JobPayloads['audit-mirror'], run: AuditRun): Promise<{ missing: number } | undefined> {
    const audit = await this.audits.find(auditId);
    if (!audit || audit.mirrorId !== mirrorId || (audit.state !== 'queued' && audit.state !== 'running')) return undefined;
    const mirror = await this.mirrors.find(mirrorId);
    if (!mirror || mirror.state === 'deleting' || mirror.state === 'creating') {
      await this.audits.fail(auditId, `mirror ${mirrorId} is ${mirror ? mirror.state : 'gone'}`);
      return undefined;
    }
    let destination: LakefsClient;
    let s3: CountingS3;
    try {
      destination = this.clients.destination(mirror.region);
      s3 = new CountingS3(this.clients.objectStore(mirror.region));
    } catch (error) {
      if (error instanceof UnknownRegionError) throw new RegionNotConfiguredError(mirrorId, error.region, error.known);
      throw error;
    }
    if (!(await this.audits.start(auditId))) return undefined;
    const namespace = parseStorageNamespace(mirror.storageNamespace);
    const commits = await this.commitsShown(destination, mirrorId);
    if (!commits) {
      await this.audits.fail(auditId, `the mirror repository ${mirrorId} does not exist on region ${mirror.region}'s lakeFS`);
      return undefined;
    }
    const findings = new Findings();
    const heads = await mapWithConcurrency(commits, RANGE_CONCURRENCY, async (commit) => ({
      commitId: commit.commit_id,
      ranges: await this.rangesOf(s3.client, namespace, commit, findings),
    }));
    const plan = planAuditRanges(heads);
    const totals = { rangesTotal: plan.length, objectsTotal: plan.reduce((sum, range) => sum + range.count, 0) };
    await this.audits.planned(auditId, commits, { ranges: totals.rangesTotal, objects: totals.objectsTotal });

    const progress: AuditProgress = { rangesChecked: 0, objectsChecked: 0, objectsOutsideNamespace: 0, requests: 0 };
    let lastWrite = Date.now();
    await mapWithConcurrency(plan, RANGE_CONCURRENCY, async (range) => {
      await this.checkRange(s3.client, namespace, range, findings, progress);
      progress.requests = s3.requests;
      if (Date.now() - lastWrite >= PROGRESS_EVERY_MS) {
        lastWrite = Date.now();
        await this.audits.progress(auditId, { ...progress });
        await run.reportProgress?.({ ...progress, ...totals });
      }
    });

    const missing = await this.classify(s3.client, namespace, findings, commits);
    progress.requests = s3.requests;
    await this.audits.succeed(auditId, {
      ...progress,
      missingCount: missing.count,
      missing: missing.listed,
      classification: { ...countByClassification(missing.listed), unclassified: missing.count - missing.listed.length },
    });
    await run.reportProgress?.({ ...progress, ...totals });
    this.log.info(
      { mirror: mirrorId, audit: auditId, commits: commits.length, ...progress, ...totals, missing: missing.count },
      missing.count === 0 ? 'audit: every file of the mirror is in its region' : 'audit: files missing in the mirror region',
    );
    return { missing: missing.count };
  }

  /** The commits the mirror's branches and tags point at, with their metaranges; undefined when the repository is gone. */
  private async commitsShown(destination: LakefsClient, mirrorId: string): Promise<AuditedCommit[] | undefined> {
    try {
      const branches = await collect(destination.listBranches(mirrorId));
      const tags = await collect(destination.listTags(mirrorId));
      const refs = [
        ...branches.map((b) => ({ type: 'branch' as const, name: b.id, commitId: b.commit_id })),
        ...tags.map((t) => ({ type: 'tag' as const, name: t.id, commitId: t.commit_id })),
      ];
      return await mapWithConcurrency(auditedCommits(refs), 8, async (commit) => ({
        ...commit,
        metarange_id: (await destination.getCommit(mirrorId, commit.commit_id)).meta_range_id,
      }));
    } catch (error) {
      if (error instanceof LakefsNotFoundError) return undefined;
      throw error;
    }
  }

  /** The ranges of a commit's metarange, read from the mirror bucket; a metarange it cannot serve is a finding. */
  private async rangesOf(s3: S3Client, namespace: StorageNamespace, commit: AuditedCommit, findings: Findings): Promise<RangeInfo[]> {
    // A repository's first commit ("Repository created") has no metarange: nothing to check.
    if (!commit.metarange_id) return [];
    const file = lakefsMetadataObject(namespace, commit.metarange_id);
    try {
      return await readMetaRange(new S3ObjectSource(s3, file.bucket, file.key));
    } catch (error) {
      if (!(error instanceof RangeReaderError)) throw error;
      findings.add({ key: file.key, kind: 'metarange', path: null, commit_ids: [commit.commit_id], ...unreadable(error) });
      return [];
    }
  }

  /** Reads one range from the mirror bucket and checks that every object it references with a relative address is there. */
  private async checkRange(s3: S3Client, namespace: StorageNamespace, range: AuditRange, findings: Findings, progress: AuditProgress): Promise<void> {
    const file = lakefsMetadataObject(namespace, range.id);
    const pathOf = new Map<string, string>();
    let entries = 0;
    try {
      for await (const entry of readRangeEntries(new S3ObjectSource(s3, file.bucket, file.key))) {
        entries++;
        if (entry.addressType === 'full') progress.objectsOutsideNamespace++;
        else {
          const key = objectInNamespace(namespace, entry.address).key;
          if (!pathOf.has(key)) pathOf.set(key, entry.path);
        }
      }
    } catch (error) {
      if (!(error instanceof RangeReaderError)) throw error;
      findings.add({ key: file.key, kind: 'range', path: null, commit_ids: range.commitIds, ...unreadable(error) });
      progress.rangesChecked++;
      return;
    }
    const { missing } = await findMissingKeys(s3, namespace.bucket, [...pathOf.keys()], { concurrency: this.settings.requestConcurrency });
    for (const key of missing) findings.add({ key, kind: 'object', path: pathOf.get(key) ?? null, commit_ids: range.commitIds });
    progress.rangesChecked++;
    progress.objectsChecked += entries;
  }

  /**
   * Classifies the first AUDIT_MISSING_LISTED missing files from the bucket's versions; a file
   * found back in place by now (it arrived late) is not missing. Commits are named in the order
   * of the report's commits: branch heads first.
   */
  private async classify(s3: S3Client, namespace: StorageNamespace, findings: Findings, commits: AuditedCommit[]) {
    const order = new Map(commits.map((c, i) => [c.commit_id, i]));
    const sorted = [...findings.kept].sort((a, b) => a.key.localeCompare(b.key));
    const listed: AuditMissingFile[] = [];
    let present = 0;
    await mapWithConcurrency(sorted.slice(0, AUDIT_MISSING_LISTED), 8, async (finding) => {
      const commitIds = [...finding.commit_ids].sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
      const classification = finding.classification ?? classifyMissing(await latestVersionOf(s3, namespace.bucket, finding.key));
      if (classification === 'present') present++;
      else listed.push({ ...finding, commit_id: commitIds[0], commit_ids: commitIds, classification });
    });
    listed.sort((a, b) => a.key.localeCompare(b.key));
    return { listed, count: findings.count - present };
  }
}

/** A metadata file the reader could not use: absent (classified later from the bucket's versions), or there but unreadable. */
function unreadable(error: RangeReaderError): { classification?: 'unreadable' } {
  return error.code === 'NOT_FOUND' ? {} : { classification: 'unreadable' };
}
