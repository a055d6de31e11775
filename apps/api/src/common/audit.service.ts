import { Injectable } from '@nestjs/common';
import { AuditLogRepository } from '@lakemirror/persistence';

/** Records every mutating call, whether it succeeded or not. */
@Injectable()
export class AuditService {
  constructor(private readonly log: AuditLogRepository) {}

  /** Records an event that already happened (a refused authentication, a Bull Board action). */
  append(actor: string, action: string, target: string, result: 'success' | 'failure', detail: Record<string, unknown> = {}): Promise<void> {
    return this.log.append({ actor, action, target, result, detail });
  }

  /** Runs `work` and records who did `action` on `target`, and how it ended. */
  async record<T>(actor: string, action: string, target: string, work: () => Promise<T>, detail: Record<string, unknown> = {}): Promise<T> {
    try {
      const result = await work();
      await this.log.append({ actor, action, target, result: 'success', detail });
      return result;
    } catch (error) {
      const status = (error as { getStatus?: () => number }).getStatus?.();
      await this.log.append({ actor, action, target, result: 'failure', detail: { ...detail, error: (error as Error).message, status } });
      throw error;
    }
  }
}
