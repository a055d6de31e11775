/** A pending commit's place in the history, as planning in batches needs it. */
export interface PendingCommit {
  commitId: string;
  generation: number;
  parents: readonly string[];
}

/**
 * The commits one plan job plans together: its own commit, then the pending commits descending
 * from it, parents before children (breadth first), at most `limit` in all. For a backlog's chain
 * these are the next commits in order, so their checks run side by side in history order (a
 * backlog writes neighbouring commits' objects side by side, and the chain is recorded as it
 * goes). Undefined when the own commit is not pending at `generation`.
 */
export function planBatch(own: { commitId: string; generation: number }, pending: readonly PendingCommit[], limit: number): string[] | undefined {
  if (!pending.some((c) => c.commitId === own.commitId && c.generation === own.generation)) return undefined;
  const children = new Map<string, string[]>();
  for (const commit of pending)
    for (const parent of commit.parents) {
      const known = children.get(parent);
      if (known) known.push(commit.commitId);
      else children.set(parent, [commit.commitId]);
    }
  const batch = [own.commitId];
  const taken = new Set(batch);
  for (let next = 0; next < batch.length && batch.length < limit; next++) {
    for (const child of children.get(batch[next]) ?? []) {
      if (batch.length >= limit) break;
      if (taken.has(child)) continue;
      taken.add(child);
      batch.push(child);
    }
  }
  return batch;
}
