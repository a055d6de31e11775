/** A tag as listed by the source lakeFS: its name and the commit it points at. */
export interface SourceTag {
  id: string;
  commit_id: string;
}

export interface TagChanges {
  created: { tag: string; commit: string }[];
  moved: { tag: string; from: string; commit: string }[];
  deleted: string[];
}

/**
 * What changed among the source's tags since the last scan: `known` maps each tag the mirror
 * follows to the commit seen last time. Unchanged tags cost nothing further.
 */
export function tagChanges(source: readonly SourceTag[], known: ReadonlyMap<string, string>): TagChanges {
  const changes: TagChanges = { created: [], moved: [], deleted: [] };
  const listed = new Set<string>();
  for (const { id: tag, commit_id: commit } of source) {
    listed.add(tag);
    const previous = known.get(tag);
    if (previous === undefined) changes.created.push({ tag, commit });
    else if (previous !== commit) changes.moved.push({ tag, from: previous, commit });
  }
  for (const tag of known.keys()) if (!listed.has(tag)) changes.deleted.push(tag);
  return changes;
}

/** Where a followed tag stands: `waiting` for its commit to be recorded, `applied` on the mirror, `deleting` from the mirror. */
export type TagState = 'waiting' | 'applied' | 'deleting';

export type TagAction = { action: 'none' } | { action: 'wait' } | { action: 'apply'; commit: string } | { action: 'delete' };

/**
 * What the promoter does with one followed tag: a tag is put on the mirror only once its commit
 * is recorded there (so it never points at a commit the mirror lacks), and a tag the source
 * deleted is deleted from the mirror whatever its commit.
 */
export function tagAction(tag: { state: TagState; commitId: string }, isRecorded: (commitId: string) => boolean): TagAction {
  switch (tag.state) {
    case 'applied':
      return { action: 'none' };
    case 'deleting':
      return { action: 'delete' };
    case 'waiting':
      return isRecorded(tag.commitId) ? { action: 'apply', commit: tag.commitId } : { action: 'wait' };
  }
}
