// The history checker's judgement, as pure functions over what it recorded while faults were
// injected: every move of every mirror branch, the source branches as polled, what was missing
// in the mirror region when a branch moved, and the promoter's "commit recorded" log lines.

/** A mirror branch seen at a new head: by polling the destination lakeFS, or from the promoter's log. */
export interface BranchMove {
  branch: string;
  /** The head before the move; undefined when the branch was created. */
  from?: string;
  to: string;
  /** Epoch milliseconds. */
  at: number;
  seenBy: 'destination' | 'log';
}

/** A source branch's head as polled (undefined: the branch did not exist). */
export interface SourceHead {
  branch: string;
  head?: string;
  at: number;
}

/** What the mirror region lacked of a commit (metarange, ranges, objects) right after a branch moved to it. */
export interface PresenceAtMove {
  branch: string;
  commit: string;
  at: number;
  missing: string[];
}

/** One "commit recorded on the mirror" log line. */
export interface CommitRecorded {
  commit: string;
  at: number;
  /** The process that logged it, and the line's position in its output (orders lines of one millisecond). */
  process: string;
  line: number;
}

/** Every branch with its head and its commit log (IDs), of the source or of the mirror. */
export type BranchSnapshot = ReadonlyMap<string, { head: string; log: readonly string[] }>;

/** Commit ID to its parents' IDs. */
export type CommitParents = ReadonlyMap<string, readonly string[]>;

/** Whether `commit` is `ancestor` or has it among its ancestors. */
export function descendsFrom(parents: CommitParents, commit: string, ancestor: string): boolean {
  const seen = new Set<string>();
  const queue = [commit];
  while (queue.length > 0) {
    const next = queue.pop() as string;
    if (next === ancestor) return true;
    if (seen.has(next)) continue;
    seen.add(next);
    queue.push(...(parents.get(next) ?? []));
  }
  return false;
}

/**
 * Moves that went anywhere but forward in the source's history. Moving away from a head is
 * allowed only when the source branch itself left it (reset, force-moved or deleted) at some point.
 */
export function backwardsMoves(moves: readonly BranchMove[], sourceHeads: readonly SourceHead[], parents: CommitParents): string[] {
  const sourceLeft = (branch: string, head: string) =>
    sourceHeads.some((s) => s.branch === branch && (s.head === undefined || !descendsFrom(parents, s.head, head)));
  return moves
    .filter((m) => m.from !== undefined && m.from !== m.to && !descendsFrom(parents, m.to, m.from))
    .filter((m) => !sourceLeft(m.branch, m.from as string))
    .map((m) => `mirror branch ${m.branch} moved backwards from ${m.from} to ${m.to} (seen in the ${m.seenBy} at ${iso(m.at)})`);
}

/** Moves to a commit that was not complete in the mirror region when the branch moved. */
export function movesToIncompleteCommits(presence: readonly PresenceAtMove[]): string[] {
  return presence
    .filter((p) => p.missing.length > 0)
    .map(
      (p) =>
        `mirror branch ${p.branch} moved to ${p.commit} while ${p.missing.length} of its files were missing in the mirror region ` +
        `(${p.missing.slice(0, 5).join(', ')}${p.missing.length > 5 ? ', ...' : ''}) at ${iso(p.at)}`,
    );
}

/** Commits recorded more than once, and commits recorded before one of their parents (or whose parent never was). */
export function recordViolations(records: readonly CommitRecorded[], parents: CommitParents): string[] {
  const violations: string[] = [];
  const byCommit = new Map<string, CommitRecorded[]>();
  for (const record of records) byCommit.set(record.commit, [...(byCommit.get(record.commit) ?? []), record]);
  for (const [commit, lines] of byCommit) {
    if (lines.length > 1)
      violations.push(`commit ${commit} recorded ${lines.length} times (by ${lines.map((l) => `${l.process} at ${iso(l.at)}`).join(', ')})`);
  }
  const before = (a: CommitRecorded, b: CommitRecorded) => a.at < b.at || (a.at === b.at && (a.process !== b.process || a.line < b.line));
  for (const record of records) {
    for (const parent of parents.get(record.commit) ?? []) {
      const parentRecords = byCommit.get(parent);
      if (!parentRecords) violations.push(`commit ${record.commit} recorded, but its parent ${parent} never was`);
      else if (!parentRecords.some((p) => before(p, record))) {
        violations.push(`commit ${record.commit} recorded at ${iso(record.at)}, before its parent ${parent} (at ${iso(parentRecords[0].at)})`);
      }
    }
  }
  return violations;
}

/** How the mirror differs from the source: branches, heads, commit logs; `lost` counts source commits absent from the mirror. */
export function mirrorDifferences(source: BranchSnapshot, mirror: BranchSnapshot): { violations: string[]; lost: number } {
  const violations: string[] = [];
  for (const [branch, wanted] of source) {
    const got = mirror.get(branch);
    if (!got) violations.push(`branch ${branch} is missing on the mirror`);
    else if (got.head !== wanted.head) violations.push(`mirror branch ${branch} is at ${got.head}, the source at ${wanted.head}`);
    else if ([...got.log].sort().join() !== [...wanted.log].sort().join())
      violations.push(`the commit log of mirror branch ${branch} differs from the source's`);
  }
  for (const branch of mirror.keys()) if (!source.has(branch)) violations.push(`mirror branch ${branch} does not exist on the source`);
  const onMirror = new Set([...mirror.values()].flatMap((b) => b.log));
  const lost = new Set([...source.values()].flatMap((b) => b.log).filter((id) => !onMirror.has(id))).size;
  if (lost > 0) violations.push(`${lost} commits of the source are not on the mirror`);
  return { violations, lost };
}

function iso(at: number): string {
  return new Date(at).toISOString();
}
