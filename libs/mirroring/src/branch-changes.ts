/** A branch as listed by the source lakeFS: its name and head commit. */
export interface SourceBranch {
  id: string;
  commit_id: string;
}

export interface BranchChanges {
  created: { branch: string; head: string }[];
  moved: { branch: string; from: string; head: string }[];
  deleted: string[];
}

/**
 * What changed on the source since the last scan: `known` maps each branch the mirror tracks to
 * the source head seen last time. Unchanged branches cost nothing further.
 */
export function branchChanges(source: readonly SourceBranch[], known: ReadonlyMap<string, string>): BranchChanges {
  const changes: BranchChanges = { created: [], moved: [], deleted: [] };
  const listed = new Set<string>();
  for (const { id: branch, commit_id: head } of source) {
    listed.add(branch);
    const previous = known.get(branch);
    if (previous === undefined) changes.created.push({ branch, head });
    else if (previous !== head) changes.moved.push({ branch, from: previous, head });
  }
  for (const branch of known.keys()) if (!listed.has(branch)) changes.deleted.push(branch);
  return changes;
}
