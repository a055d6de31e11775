import { setTimeout as sleep } from 'node:timers/promises';
import { FAULT_KINDS, FaultKind, PlannedFault, runsInBackground } from './fault-schedule';
import { OperationOutcome } from './source-driver';
import { SOURCE_OPERATION_KINDS, SourceOperation, SourceOperationKind, SourceWorkload, describeOperation } from './source-workload';

/** What a chaos run did: faults injected and survived (what they broke came back), source operations applied. */
export interface ChaosTally {
  faults: Record<FaultKind, { injected: number; survived: number }>;
  operations: Record<SourceOperationKind, { done: number; nothingToDo: number }>;
  /** Faults planned; those not yet due when the run's time was up were left out. */
  faultsPlanned: number;
  /** Wall-clock seconds from the start until the time was up and the last fault over. */
  seconds: number;
}

export interface ChaosRunParts {
  /** How long faults are injected: none starts later, though the last one may end later. */
  seconds: number;
  faults: readonly PlannedFault[];
  workload: SourceWorkload;
  applyOperation(operation: SourceOperation): Promise<OperationOutcome>;
  injectFault(fault: PlannedFault): Promise<void>;
  /** One line per event, for the run's log. */
  log(line: string): void;
}

/**
 * Runs the workload and the faults side by side: each planned fault is injected when it is due,
 * or when the one before it has recovered if that is later, until the time is up. A seed always
 * gives the same faults in the same order; how many of them fit, and how many operations the
 * workload (which runs until the time is up and the last fault over) gets through, depend on the
 * machine's speed.
 * Throws the first error of either side, after stopping both.
 */
export async function runChaos(parts: ChaosRunParts): Promise<ChaosTally> {
  const tally: ChaosTally = {
    faults: Object.fromEntries(FAULT_KINDS.map((k) => [k, { injected: 0, survived: 0 }])) as ChaosTally['faults'],
    operations: Object.fromEntries(SOURCE_OPERATION_KINDS.map((k) => [k, { done: 0, nothingToDo: 0 }])) as ChaosTally['operations'],
    faultsPlanned: parts.faults.length,
    seconds: 0,
  };
  const started = Date.now();
  const elapsed = () => ((Date.now() - started) / 1000).toFixed(1);
  const stop = new AbortController();
  const stopped = () => stop.signal.aborted;
  // A pause ends early when the run stops.
  const pause = (ms: number) => sleep(ms, undefined, { signal: stop.signal }).catch(() => undefined);
  let failure: { error: unknown } | undefined;
  const fail = (error: unknown) => {
    failure ??= { error };
    stop.abort();
  };

  const workload = async () => {
    while (!stopped()) {
      const operation = parts.workload.next();
      const outcome = await parts.applyOperation(operation);
      tally.operations[operation.kind][outcome === 'done' ? 'done' : 'nothingToDo']++;
      parts.log(`${elapsed()}s source: ${describeOperation(operation)}${outcome === 'done' ? '' : ` (${outcome})`}`);
      await pause(parts.workload.pause() * 1000);
    }
  };

  const inject = async (fault: PlannedFault) => {
    tally.faults[fault.kind].injected++;
    parts.log(`${elapsed()}s fault: ${fault.kind}${fault.downSeconds > 0 ? ` for ${fault.downSeconds} s` : ''}`);
    await parts.injectFault(fault);
    tally.faults[fault.kind].survived++;
    parts.log(`${elapsed()}s recovered: ${fault.kind}`);
  };

  const faults = async () => {
    const background: Promise<void>[] = [];
    for (const fault of parts.faults) {
      await pause(Math.max(0, started + fault.atSeconds * 1000 - Date.now()));
      if (stopped() || Date.now() >= started + parts.seconds * 1000) break;
      if (runsInBackground(fault.kind)) background.push(inject(fault).catch(fail));
      else await inject(fault);
    }
    // The workload runs for the whole time, even when the last fault is over early.
    await pause(Math.max(0, started + parts.seconds * 1000 - Date.now()));
    await Promise.all(background);
  };

  const workloadDone = workload().catch(fail);
  await faults().catch(fail);
  stop.abort();
  await workloadDone;
  if (failure) throw failure.error;
  tally.seconds = (Date.now() - started) / 1000;
  return tally;
}
