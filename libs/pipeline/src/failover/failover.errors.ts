import type { MirrorState, VerifiedWorkNotOnMirror } from '@lakemirror/persistence';

/** A mirror that is being created or deleted cannot be promoted. */
export class MirrorNotPromotableError extends Error {
  readonly code = 'MIRROR_NOT_PROMOTABLE';

  constructor(
    readonly mirrorId: string,
    readonly state: MirrorState | 'gone',
  ) {
    super(`mirror "${mirrorId}" is ${state}: only an active (or paused) mirror can be promoted`);
    this.name = 'MirrorNotPromotableError';
  }
}

/** Promoting now would leave verified work behind that the mirror does not show yet; `force` promotes anyway. */
export class PromotionWouldLoseWorkError extends Error {
  readonly code = 'PROMOTION_WOULD_LOSE_WORK';

  constructor(
    readonly mirrorId: string,
    readonly work: VerifiedWorkNotOnMirror,
  ) {
    const parts = [
      ...(work.verifiedCommits.length > 0 ? [`commit(s) ${work.verifiedCommits.join(', ')} verified but not yet recorded on the mirror`] : []),
      ...work.branches.map((b) => `branch ${b.branch} would move from ${b.mirroredHead ?? '(absent)'} to the verified ${b.verifiedHead}`),
    ];
    super(`promoting mirror "${mirrorId}" now would lose verified work: ${parts.join('; ')}`);
    this.name = 'PromotionWouldLoseWorkError';
  }
}

/** The promotion found something on the region's lakeFS that it must not touch: it stops, for a person to look. */
export class PromotionBlockedError extends Error {
  readonly code = 'PROMOTION_BLOCKED';

  constructor(
    readonly mirrorId: string,
    readonly reason: string,
  ) {
    super(`promotion of mirror "${mirrorId}" stopped: ${reason}`);
    this.name = 'PromotionBlockedError';
  }
}

/** The region's lakeFS did not get where the promotion waits for in time (a task, a cache): asking again resumes it. */
export class PromotionStepTimeoutError extends Error {
  readonly code = 'PROMOTION_STEP_TIMEOUT';

  constructor(
    readonly mirrorId: string,
    readonly waitingFor: string,
  ) {
    super(`promotion of mirror "${mirrorId}": timed out waiting for ${waitingFor}; promoting again resumes where it stopped`);
    this.name = 'PromotionStepTimeoutError';
  }
}

/** A lakeFS task of the promotion (refs dump) ended with an error. */
export class PromotionTaskFailedError extends Error {
  readonly code = 'PROMOTION_TASK_FAILED';

  constructor(
    readonly mirrorId: string,
    readonly task: string,
    readonly lakefsError: string,
  ) {
    super(`promotion of mirror "${mirrorId}": lakeFS ${task} failed: ${lakefsError}; promoting again resumes where it stopped`);
    this.name = 'PromotionTaskFailedError';
  }
}
