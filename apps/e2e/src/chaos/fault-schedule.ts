import { SeededRandom } from './seeded-random';

export type FaultKind =
  'kill-verifier' | 'kill-promoter' | 'kill-scanner' | 'redis-restart' | 'redis-empty' | 'postgres-crash' | 'postgres-down' | 'delay-object';

export const FAULT_KINDS: readonly FaultKind[] = [
  'kill-verifier',
  'kill-promoter',
  'kill-scanner',
  'redis-restart',
  'redis-empty',
  'postgres-crash',
  'postgres-down',
  'delay-object',
];

/**
 * A fault to inject `atSeconds` into the run, lasting `downSeconds` (a process or server down,
 * an object held back; 0 for a crash, after which the server restarts at once).
 */
export interface PlannedFault {
  kind: FaultKind;
  atSeconds: number;
  downSeconds: number;
}

/** Faults that run beside the others rather than one after another: a held-back object stops nothing. */
export function runsInBackground(kind: FaultKind): boolean {
  return kind === 'delay-object';
}

/**
 * The faults of a run of `seconds`, drawn from the seed. They come in rounds, each a shuffle of
 * every kind, so even a short run has each kind once; outages last up to a twentieth of the
 * run (3 to 30 s), a held-back object up to three times as long. The times are when a fault is
 * due: the run injects it then or, when the previous fault is still recovering, right after.
 */
export function planFaults(random: SeededRandom, seconds: number): PlannedFault[] {
  const longestOutage = Math.min(30, Math.max(3, Math.round(seconds / 20)));
  const faults: PlannedFault[] = [];
  let at = random.int(3, 8);
  while (at < seconds) {
    for (const kind of random.shuffle(FAULT_KINDS)) {
      if (at >= seconds) break;
      const downSeconds = outage(random, kind, longestOutage);
      faults.push({ kind, atSeconds: at, downSeconds });
      at += (runsInBackground(kind) ? 0 : downSeconds) + random.int(2, 8);
    }
  }
  return faults;
}

function outage(random: SeededRandom, kind: FaultKind, longest: number): number {
  if (kind === 'postgres-crash') return 0;
  if (runsInBackground(kind)) return random.int(longest, 3 * longest);
  return random.int(1, longest);
}
