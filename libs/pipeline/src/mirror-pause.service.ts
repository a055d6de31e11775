import { Injectable } from '@nestjs/common';
import { DatabaseSession, MirrorRepository } from '@lakemirror/persistence';
import { mirrorWriteLock } from './mirror-write-lock';
import { ReconcilerService } from './reconciler.service';
import { ScannerService } from './scanner.service';

/**
 * Pauses and resumes a mirror. A paused mirror is not scanned and nothing is written to its
 * repository; commits already in flight go on being verified and wait, verified, for the resume.
 */
@Injectable()
export class MirrorPauseService {
  constructor(
    private readonly mirrors: MirrorRepository,
    private readonly session: DatabaseSession,
    private readonly scanner: ScannerService,
    private readonly reconciler: ReconcilerService,
  ) {}

  /**
   * Pauses the active mirror `mirrorId` (a paused one stays paused since its first pause). Taken
   * under the mirror's write lock: a promotion under way finishes first, and none starts after.
   * @returns false when there is no active mirror with this ID.
   */
  pause(mirrorId: string): Promise<boolean> {
    return this.session.withAdvisoryLock(mirrorWriteLock(mirrorId), () => this.mirrors.pause(mirrorId));
  }

  /** Lets the mirror run again and catches up at once: a scan of the source, and the promotion of what was verified meanwhile. */
  async resume(mirrorId: string): Promise<void> {
    await this.mirrors.resume(mirrorId);
    await this.scanner.enqueueScan(mirrorId);
    await this.reconciler.promoteSoon(mirrorId);
  }
}
