import { setTimeout as sleep } from 'node:timers/promises';

/** The process's open handles (sockets, timers, ...) counted by type, as Node reports them. */
export function openHandles(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const type of process.getActiveResourcesInfo()) counts[type] = (counts[type] ?? 0) + 1;
  return counts;
}

/** Handle types whose count grew from `before` to `after`, with both counts. */
export function grownHandles(before: Record<string, number>, after: Record<string, number>): Record<string, { before: number; after: number }> {
  const grown: Record<string, { before: number; after: number }> = {};
  for (const [type, count] of Object.entries(after)) if (count > (before[type] ?? 0)) grown[type] = { before: before[type] ?? 0, after: count };
  return grown;
}

/**
 * Runs `cycle` (start and stop something) once to warm up, then `times` more, and returns the
 * handle types that grew meanwhile (empty when nothing leaks). Closed sockets leave the list a
 * moment after their close resolves, so it looks again for up to `settleMs`.
 */
export async function handlesLeakedBy(cycle: () => Promise<void>, times = 3, settleMs = 3_000): Promise<Record<string, { before: number; after: number }>> {
  await cycle();
  await sleep(200);
  const before = openHandles();
  for (let i = 0; i < times; i++) await cycle();
  const deadline = Date.now() + settleMs;
  let grown = grownHandles(before, openHandles());
  while (Object.keys(grown).length > 0 && Date.now() < deadline) {
    await sleep(100);
    grown = grownHandles(before, openHandles());
  }
  return grown;
}
