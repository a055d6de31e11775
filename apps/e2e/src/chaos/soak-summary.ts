import { ChaosTally } from './chaos-run';

export interface SoakOutcome {
  seed: number;
  tally: ChaosTally;
  /** Commits the mirror recorded, as the history checker counted them. */
  commitsMirrored: number;
  /** Seconds from the end of the last fault until the mirror equalled the source. */
  convergeSeconds: number;
}

/** Faults injected in total, and how many of them the pipeline came back from. */
export function faultTotals(tally: ChaosTally): { injected: number; survived: number } {
  const counts = Object.values(tally.faults);
  return { injected: counts.reduce((n, c) => n + c.injected, 0), survived: counts.reduce((n, c) => n + c.survived, 0) };
}

/** The one line a soak prints at its end, everything needed to judge and replay it. */
export function soakSummary({ seed, tally, commitsMirrored, convergeSeconds }: SoakOutcome): string {
  const faults = Object.entries(tally.faults)
    .filter(([, c]) => c.injected > 0)
    .map(([kind, c]) => `${kind} ${c.survived}/${c.injected}`)
    .join(', ');
  const operations = Object.entries(tally.operations)
    .filter(([, c]) => c.done + c.nothingToDo > 0)
    .map(([kind, c]) => `${kind} ${c.done}${c.nothingToDo > 0 ? ` (+${c.nothingToDo} with nothing to do)` : ''}`)
    .join(', ');
  const operationCount = Object.values(tally.operations).reduce((n, c) => n + c.done, 0);
  const totals = faultTotals(tally);
  return (
    `chaos soak: seed ${seed}, ${tally.seconds.toFixed(0)} s; ` +
    `faults survived/injected ${totals.survived}/${totals.injected} of ${tally.faultsPlanned} planned (${faults}); ` +
    `source operations ${operationCount} (${operations}); ` +
    `commits mirrored ${commitsMirrored}; converged ${convergeSeconds.toFixed(1)} s after the faults ended`
  );
}
