import { runChaos } from './chaos-run';
import { PlannedFault } from './fault-schedule';
import { SeededRandom } from './seeded-random';
import { SourceOperation, SourceWorkload } from './source-workload';

describe('runChaos', () => {
  const parts = (faults: PlannedFault[], injectFault: (fault: PlannedFault) => Promise<void>, seconds = 2) => {
    const applied: SourceOperation[] = [];
    const lines: string[] = [];
    return {
      applied,
      lines,
      parts: {
        seconds,
        faults,
        workload: new SourceWorkload(new SeededRandom(1)),
        applyOperation: async (operation: SourceOperation) => {
          applied.push(operation);
          return operation.kind === 'merge' ? ('nothing to do' as const) : ('done' as const);
        },
        injectFault,
        log: (line: string) => lines.push(line),
      },
    };
  };

  it('injects every planned fault, in the background where it may, while the workload runs, and counts both', async () => {
    const order: string[] = [];
    const run = parts(
      [
        { kind: 'delay-object', atSeconds: 0, downSeconds: 1 },
        { kind: 'kill-verifier', atSeconds: 0, downSeconds: 0 },
        { kind: 'redis-empty', atSeconds: 1, downSeconds: 0 },
      ],
      async (fault) => {
        order.push(`start ${fault.kind}`);
        await new Promise((resolve) => setTimeout(resolve, fault.kind === 'delay-object' ? 1_500 : 10));
        order.push(`end ${fault.kind}`);
      },
    );
    const tally = await runChaos(run.parts);
    // The held-back object did not hold up the next fault.
    expect(order.slice(0, 2)).toEqual(['start delay-object', 'start kill-verifier']);
    expect(order).toContain('end delay-object');
    expect(tally.faults['delay-object']).toEqual({ injected: 1, survived: 1 });
    expect(tally.faults['kill-verifier']).toEqual({ injected: 1, survived: 1 });
    expect(tally.faults['redis-empty']).toEqual({ injected: 1, survived: 1 });
    expect(tally.faults['postgres-crash']).toEqual({ injected: 0, survived: 0 });
    expect(tally.seconds).toBeGreaterThanOrEqual(1.5);
    const counted = Object.values(tally.operations).reduce((n, c) => n + c.done + c.nothingToDo, 0);
    expect(counted).toBe(run.applied.length);
    expect(counted).toBeGreaterThan(0);
    expect(run.lines.filter((l) => l.includes(' source: '))).toHaveLength(counted);
  });

  it('leaves out the faults not yet due when the time is up, and says how many were planned', async () => {
    const injected: string[] = [];
    const run = parts(
      [
        { kind: 'kill-scanner', atSeconds: 0, downSeconds: 0 },
        { kind: 'postgres-down', atSeconds: 2, downSeconds: 0 },
      ],
      async (fault) => {
        injected.push(fault.kind);
      },
      1,
    );
    const tally = await runChaos(run.parts);
    expect(injected).toEqual(['kill-scanner']);
    expect(tally.faultsPlanned).toBe(2);
    expect(tally.faults['postgres-down']).toEqual({ injected: 0, survived: 0 });
    expect(tally.seconds).toBeLessThan(3);
  });

  it('stops the workload and throws when what a fault broke does not come back', async () => {
    const run = parts([{ kind: 'kill-promoter', atSeconds: 0, downSeconds: 0 }], async () => {
      throw new Error('promoter did not come back');
    });
    await expect(runChaos(run.parts)).rejects.toThrow('promoter did not come back');
    const appliedWhenFailed = run.applied.length;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(run.applied).toHaveLength(appliedWhenFailed);
  });
});
