import { PostgresInstance, RedisInstance } from '@lakemirror/testing';
import { setTimeout as sleep } from 'node:timers/promises';
import { PipelineUnderTest } from '../pipeline.fixture';
import { FaultKind, PlannedFault } from './fault-schedule';
import { SeededRandom } from './seeded-random';
import { SourceDriver } from './source-driver';

/** The servers of a soak's own, which its faults stop and start. */
export interface ChaosServers {
  redis: RedisInstance;
  postgres: PostgresInstance;
}

const KILLED_APP: Partial<Record<FaultKind, string>> = {
  'kill-verifier': 'verifier',
  'kill-promoter': 'promoter',
  'kill-scanner': 'scanner',
};

/** Injects one fault and resolves once what it broke is back (the process restarted, the server up, the object arrived). */
export class FaultInjector {
  constructor(
    private readonly pipeline: PipelineUnderTest,
    private readonly servers: ChaosServers,
    private readonly source: SourceDriver,
    private readonly random: SeededRandom,
  ) {}

  async inject(fault: PlannedFault): Promise<void> {
    const down = () => sleep(fault.downSeconds * 1000);
    const app = KILLED_APP[fault.kind];
    if (app) {
      await this.pipeline.kill(app);
      await down();
      await this.restart(app);
      return;
    }
    switch (fault.kind) {
      case 'redis-restart':
        await this.servers.redis.down({ keepData: true });
        await down();
        await this.servers.redis.up();
        return;
      case 'redis-empty':
        await this.servers.redis.down({ keepData: false });
        await down();
        await this.servers.redis.up();
        return;
      case 'postgres-crash':
        // SIGKILL of the server and its sessions, then a restart that recovers from the WAL.
        await this.servers.postgres.crash();
        return;
      case 'postgres-down':
        await this.servers.postgres.down();
        await down();
        await this.servers.postgres.up();
        return;
      case 'delay-object': {
        // Which branches exist when the fault fires depends on timing; the choice among them does not.
        const branch = this.random.pick((await this.source.branches()).sort());
        const arrive = await this.source.commitHeldBackObject(branch);
        await down();
        await arrive();
        return;
      }
    }
  }

  /** Starts a killed app again; on a busy machine a start may time out, so it gets a second try. */
  private async restart(app: string): Promise<void> {
    try {
      await this.pipeline.start(app);
    } catch {
      await this.pipeline.start(app);
    }
  }
}
