/** A head the scanner saw on a source branch; `sequence` grows with every observation of that branch. */
export interface ObservedHead {
  commitId: string;
  sequence: number;
}

/**
 * Where a mirror branch may move now: the most recently observed source head whose commit
 * record (and so, by construction, every ancestor's) is on the mirror, provided it is newer
 * than the observation the mirror branch already reflects. Moving only to observed heads keeps
 * the mirror on commits the source branch really pointed at (skipping some is fine), and
 * ordering by observation rather than ancestry follows resets of the source branch.
 * Returns undefined when the branch should stay where it is.
 */
export function promotionTarget(
  observed: readonly ObservedHead[],
  isRecorded: (commitId: string) => boolean,
  currentSequence: number | undefined,
): ObservedHead | undefined {
  let target: ObservedHead | undefined;
  for (const head of observed) {
    if (currentSequence !== undefined && head.sequence <= currentSequence) continue;
    if (!isRecorded(head.commitId)) continue;
    if (!target || head.sequence > target.sequence) target = head;
  }
  return target;
}
