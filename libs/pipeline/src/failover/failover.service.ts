import { Injectable } from '@nestjs/common';
import { RefsSnapshot, failoverAction, restoreOutcome } from '@lakemirror/mirroring';
import { DatabaseSession, MirrorEntity, MirrorPromotionEntity, MirrorPromotionRepository, MirrorRepository } from '@lakemirror/persistence';
import { PinoLogger } from 'nestjs-pino';
import { setTimeout as sleep } from 'node:timers/promises';
import { mirrorWriteLock } from '../mirror-write-lock';
import { RegionClients } from '../region-clients';
import { DEFAULT_FAILOVER_TIMINGS, FailoverLakefs, FailoverTimings } from './failover-lakefs';
import { MirrorNotPromotableError, PromotionBlockedError, PromotionStepTimeoutError, PromotionWouldLoseWorkError } from './failover.errors';

export interface PromotionRequest {
  requestedBy: string;
  /** Promote even though verified work is not on the mirror yet (it is left behind, and recorded as discarded). */
  force: boolean;
}

/** Re-creations of the writable repository after an incomplete restore, before a person must look. */
const MAX_RESTORE_ATTEMPTS = 3;
/** lakemirror's marks of a mirror repository: a promoted repository is a mirror no more. */
const MIRROR_MARKS = /^lakemirror\.mirror/;

interface Promoting {
  mirror: MirrorEntity;
  lakefs: FailoverLakefs;
}

const expectedRefs = (promotion: MirrorPromotionEntity): RefsSnapshot => ({ branches: promotion.branches ?? {}, tags: promotion.tags ?? {} });
const isEmpty = (refs: RefsSnapshot): boolean => Object.keys(refs.branches).length === 0 && Object.keys(refs.tags).length === 0;

/**
 * Failover: promotes a mirror to an ordinary writable repository of its region (not to be
 * confused with the pipeline's promoter, which moves mirror branches). lakeFS cannot clear a
 * repository's read-only flag, but deleting a repository only deletes its record, branches, tags
 * and commits from lakeFS's database, never a file of its namespace; so: stop mirroring, dump the
 * refs into the namespace, delete the read-only record, create a writable bare repository on the
 * same namespace, restore the refs into it, check them. Each step is recorded in PostgreSQL
 * before the next starts, and reads lakeFS before acting (failoverAction), so that promoting
 * again after a crash anywhere resumes where it stopped.
 */
@Injectable()
export class FailoverService {
  private readonly timings: FailoverTimings = DEFAULT_FAILOVER_TIMINGS;

  constructor(
    private readonly mirrors: MirrorRepository,
    private readonly promotions: MirrorPromotionRepository,
    private readonly session: DatabaseSession,
    private readonly clients: RegionClients,
    private readonly log: PinoLogger,
  ) {}

  promotionOf(mirrorId: string): Promise<MirrorPromotionEntity | undefined> {
    return this.promotions.find(mirrorId);
  }

  /**
   * Promotes the mirror, or resumes its interrupted promotion; a promoted mirror is returned as it is.
   * @throws MirrorNotPromotableError, PromotionWouldLoseWorkError (without force), PromotionBlockedError, PromotionStepTimeoutError
   */
  promote(mirrorId: string, request: PromotionRequest): Promise<MirrorPromotionEntity> {
    // One promotion at a time per mirror, across API replicas: a second request waits and finds it done.
    return this.session.withAdvisoryLock(`lakemirror-failover-${mirrorId}`, async () => {
      const promotion = (await this.promotions.find(mirrorId)) ?? (await this.stopMirroring(mirrorId, request));
      if (promotion.step === 'done') return promotion;
      const mirror = await this.mirrors.find(mirrorId);
      if (!mirror) throw new MirrorNotPromotableError(mirrorId, 'gone');
      const lakefs = new FailoverLakefs(this.clients.destination(mirror.region), mirrorId, mirror.storageNamespace, this.timings);
      try {
        return await this.run({ mirror, lakefs }, promotion);
      } catch (error) {
        await this.promotions.update(mirrorId, { lastError: (error as Error).message }).catch(() => undefined);
        throw error;
      }
    });
  }

  /** Under the mirror's write lock: a record or branch move under way ends first, and every later one finds the mirror promoting and does nothing. */
  private async stopMirroring(mirrorId: string, request: PromotionRequest): Promise<MirrorPromotionEntity> {
    const stopped = await this.session.withAdvisoryLock(mirrorWriteLock(mirrorId), () =>
      this.promotions.stopMirroring(mirrorId, request.requestedBy, request.force),
    );
    switch (stopped.outcome) {
      case 'unknown-mirror':
        throw new MirrorNotPromotableError(mirrorId, 'gone');
      case 'not-active':
        throw new MirrorNotPromotableError(mirrorId, stopped.state);
      case 'would-lose-work':
        throw new PromotionWouldLoseWorkError(mirrorId, stopped.work);
      case 'stopped':
        this.log.warn(
          { mirror: mirrorId, by: request.requestedBy, forced: request.force, discarded: stopped.promotion.discarded },
          'mirroring stopped for a promotion',
        );
        return stopped.promotion;
    }
  }

  private async run(promoting: Promoting, promotion: MirrorPromotionEntity): Promise<MirrorPromotionEntity> {
    for (;;) {
      this.log.info({ mirror: promotion.mirrorId, step: promotion.step, attempts: promotion.attempts }, 'promotion step');
      switch (promotion.step) {
        case 'stopped':
          promotion = await this.dump(promoting, promotion);
          break;
        case 'dumped':
          promotion = await this.deleteMirrorRepository(promoting, promotion);
          break;
        case 'deleted':
          promotion = await this.createWritable(promoting, promotion);
          break;
        case 'created':
          promotion = await this.restore(promoting, promotion);
          break;
        case 'restored':
          promotion = await this.finish(promoting, promotion);
          break;
        case 'done':
          return promotion;
      }
    }
  }

  /** What the mirror holds and lakeFS's dump of its refs into the namespace: the checkpoint every later step starts again from. */
  private async dump({ mirror, lakefs }: Promoting, promotion: MirrorPromotionEntity): Promise<MirrorPromotionEntity> {
    const repository = await lakefs.lookup();
    // Nothing is deleted before the dump is recorded: at this step the repository can only be the mirror.
    if (repository !== 'read-only') throw new PromotionBlockedError(mirror.id, `the repository "${mirror.id}" is ${repository}, not the read-only mirror`);
    const settings = await lakefs.settings();
    const before = await lakefs.refs();
    const refsDump = await lakefs.dumpRefs();
    const after = await lakefs.refs();
    if (restoreOutcome(before, after).kind !== 'complete') {
      throw new PromotionBlockedError(
        mirror.id,
        'the mirror repository changed while its refs were dumped (something else writes to it); promoting again retries',
      );
    }
    return this.promotions.update(promotion.mirrorId, { step: 'dumped', repository: settings, branches: before.branches, tags: before.tags, refsDump });
  }

  private async deleteMirrorRepository({ mirror, lakefs }: Promoting, promotion: MirrorPromotionEntity): Promise<MirrorPromotionEntity> {
    const action = failoverAction('dumped', await lakefs.lookup());
    if (action === 'blocked') throw new PromotionBlockedError(mirror.id, `a repository named "${mirror.id}" that is not the read-only mirror is in the way`);
    if (action === 'delete') await lakefs.deleteRepository({ force: true });
    await lakefs.waitFor('the deleted mirror repository to be gone', (r) => r === 'absent');
    return this.promotions.update(promotion.mirrorId, { step: 'deleted' });
  }

  private async createWritable({ mirror, lakefs }: Promoting, promotion: MirrorPromotionEntity): Promise<MirrorPromotionEntity> {
    const deadline = Date.now() + this.timings.cacheMs;
    for (;;) {
      const repository = await lakefs.lookup();
      const action = failoverAction('deleted', repository);
      if (action === 'blocked') throw new PromotionBlockedError(mirror.id, `a repository named "${mirror.id}" on another namespace took the name`);
      if (action === 'advance') return this.promotions.update(promotion.mirrorId, { step: 'created', restoreTaskId: null });
      if (Date.now() > deadline) throw new PromotionStepTimeoutError(mirror.id, `the writable repository to be created (lakeFS shows it ${repository})`);
      // lakeFS answers from its cache of the deleted record for a few seconds; it then refuses the creation too.
      if (action === 'create' && (await lakefs.createWritable(promotion.repository as NonNullable<MirrorPromotionEntity['repository']>))) continue;
      await sleep(this.timings.pollMs);
    }
  }

  private async restore({ mirror, lakefs }: Promoting, promotion: MirrorPromotionEntity): Promise<MirrorPromotionEntity> {
    const repository = await lakefs.waitFor('the writable repository to show', (r) => failoverAction('created', r) !== 'wait');
    if (failoverAction('created', repository) === 'blocked')
      throw new PromotionBlockedError(mirror.id, `a repository named "${mirror.id}" on another namespace took the name`);
    let taskError: string | undefined;
    let taskId = promotion.restoreTaskId;
    // Without a task ID a restore may still have started (interrupted before its ID was recorded): it is then seen in the refs.
    if (!taskId && isEmpty(await lakefs.refs())) {
      taskId = (await lakefs.submitRestore(promotion.refsDump as NonNullable<MirrorPromotionEntity['refsDump']>)) ?? null;
      if (taskId) promotion = await this.promotions.update(promotion.mirrorId, { restoreTaskId: taskId });
    }
    if (taskId) {
      const end = await lakefs.awaitRestore(taskId);
      taskError = end.error ?? (end.unknown ? `lakeFS no longer knows restore task ${taskId}` : undefined);
    }
    const outcome = restoreOutcome(expectedRefs(promotion), await lakefs.settledRefs());
    switch (outcome.kind) {
      case 'complete':
        return this.promotions.update(promotion.mirrorId, { step: 'restored' });
      case 'foreign':
        throw new PromotionBlockedError(
          mirror.id,
          `the writable repository holds refs the mirror did not (${outcome.foreign.join(', ')}); it was left as it is`,
        );
      case 'empty':
      case 'partial': {
        const missing = outcome.kind === 'partial' ? outcome.missing.join(', ') : 'every ref';
        const why = `restore incomplete (missing ${missing})${taskError ? `: ${taskError}` : ''}`;
        if (promotion.attempts >= MAX_RESTORE_ATTEMPTS) throw new PromotionBlockedError(mirror.id, `${why}, after ${promotion.attempts} new tries`);
        // Only refs of the dump are there: deleting the record loses nothing, and the dump is still in the namespace.
        this.log.warn({ mirror: mirror.id, attempt: promotion.attempts + 1 }, `${why}; restoring into a new repository`);
        await lakefs.deleteRepository({ force: false });
        await lakefs.waitFor('the incomplete repository to be gone', (r) => r === 'absent');
        return this.promotions.update(promotion.mirrorId, { step: 'deleted', attempts: promotion.attempts + 1, restoreTaskId: null, lastError: why });
      }
    }
  }

  private async finish({ mirror, lakefs }: Promoting, promotion: MirrorPromotionEntity): Promise<MirrorPromotionEntity> {
    const kept = Object.entries(promotion.repository?.metadata ?? {}).filter(([key]) => !MIRROR_MARKS.test(key));
    await lakefs.setMetadata({
      ...Object.fromEntries(kept),
      'lakemirror.promoted_from': `${mirror.sourceRepository}/${mirror.id}`,
      'lakemirror.promoted_at': promotion.requestedAt.toISOString(),
    });
    const done = await this.promotions.complete(promotion.mirrorId);
    this.log.warn(
      { mirror: mirror.id, branches: Object.keys(done.branches ?? {}).length, tags: Object.keys(done.tags ?? {}).length },
      'mirror promoted to a writable repository',
    );
    return done;
  }
}
