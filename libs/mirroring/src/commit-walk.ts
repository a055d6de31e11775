import { CommitNode, parentsFirst } from './topological-order';

/** How the log is read: `batchSize` commits at a time, one `isMirrored` call per batch (the log's page size makes a batch cost no extra page). */
export interface CommitWalkOptions {
  batchSize?: number;
}

/**
 * The commits reachable from `headId` that the mirror does not have yet, parents before
 * children, following every parent of merges.
 *
 * `log` is the source's commit log from the head (lakeFS's log walks all parents, newest
 * first); it is read only as far as needed, a batch at a time: the walk stops once every commit
 * it still waits for has been seen, so an idle branch costs one page and a branch that moved
 * costs pages in proportion to its new commits. `isMirrored` answers for a batch of IDs, once
 * per batch of the log for the parents its commits may need (a backlog of a thousand commits
 * costs one call, not a thousand).
 */
export async function commitsToMirror<T extends CommitNode>(
  headId: string,
  log: AsyncIterable<T>,
  isMirrored: (ids: string[]) => Promise<Set<string>>,
  options: CommitWalkOptions = {},
): Promise<T[]> {
  if ((await isMirrored([headId])).has(headId)) return [];
  const wanted = new Set([headId]);
  const found: T[] = [];
  const foundIds = new Set<string>();
  const mirrored = new Set<string>();
  const answered = new Set<string>();
  const ask = async (ids: string[]) => {
    const unanswered = [...new Set(ids)].filter((id) => !answered.has(id) && !wanted.has(id) && !foundIds.has(id));
    if (unanswered.length === 0) return;
    for (const id of await isMirrored(unanswered)) mirrored.add(id);
    for (const id of unanswered) answered.add(id);
  };
  for await (const batch of inBatches(log, options.batchSize ?? 1)) {
    // The parents this batch may need: those of the commits wanted, or reachable from them within the batch (in log order, as the walk below goes).
    const reachable = new Set(wanted);
    for (const commit of batch) if (reachable.has(commit.id)) for (const parent of commit.parents) reachable.add(parent);
    await ask(batch.filter((c) => reachable.has(c.id)).flatMap((c) => c.parents));
    for (const commit of batch) {
      if (!wanted.delete(commit.id)) continue;
      found.push(commit);
      foundIds.add(commit.id);
      for (const parent of commit.parents) if (!foundIds.has(parent) && !mirrored.has(parent)) wanted.add(parent);
      if (wanted.size === 0) break;
    }
    if (wanted.size === 0) break;
  }
  if (wanted.size > 0) {
    throw new Error(`commit log of ${headId} ended before reaching ${[...wanted].join(', ')}`);
  }
  return parentsFirst(found);
}

/** `items` in arrays of `size`, never reading an item past the batch being handed out. */
async function* inBatches<T>(items: AsyncIterable<T>, size: number): AsyncGenerator<T[]> {
  let batch: T[] = [];
  for await (const item of items) {
    batch.push(item);
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}
