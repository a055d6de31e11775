/** How far a mirror branch is behind its source branch. */
export interface BranchLag {
  /** Source commits reachable from the source head that the mirror branch does not reach yet. */
  commits: number;
  /** Age of the oldest of those commits, in seconds (0 when caught up). */
  seconds: number;
}

/**
 * Lag of a branch from the commits the mirror branch is missing (as `commitsToMirror` lists
 * them, each with lakeFS's creation_date in epoch seconds).
 */
export function branchLag(unmirrored: readonly { creation_date: number }[], nowMs: number): BranchLag {
  if (unmirrored.length === 0) return { commits: 0, seconds: 0 };
  const oldest = Math.min(...unmirrored.map((c) => c.creation_date));
  return { commits: unmirrored.length, seconds: Math.max(0, Math.floor(nowMs / 1000) - oldest) };
}
