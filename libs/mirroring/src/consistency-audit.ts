/** The states of a consistency audit: queued until a worker takes it, then running, then one of the two ends. */
export type AuditState = 'queued' | 'running' | 'succeeded' | 'failed';

/** Why an audited file is not usable in the mirror region (see docs/api.md "Consistency audits"). */
export type MissingClassification = 'lost' | 'removed_by_source' | 'unreadable';

/** A commit the mirror shows, with the branches and tags that point at it. */
export interface AuditedCommit {
  commit_id: string;
  metarange_id: string;
  branches: string[];
  tags: string[];
}

/** A file an audited commit needs that the mirror region cannot serve. */
export interface AuditMissingFile {
  /** Key in the mirror's bucket. */
  key: string;
  kind: 'metarange' | 'range' | 'object';
  /** The object's path in the repository (objects only). */
  path: string | null;
  /** The first audited commit that needs it (branch heads before tags); `commit_ids` lists all of them. */
  commit_id: string;
  commit_ids: string[];
  classification: MissingClassification;
}

/** What the mirror bucket holds under a key, by its latest version (LatestVersion of @lakemirror/object-store). */
export type KeyVersionState = { kind: 'absent' } | { kind: 'object' } | { kind: 'delete-marker'; replica: boolean };

/**
 * Why a key an audited head needs is missing, from the mirror bucket's own history: a delete
 * marker that replication brought is the source's deliberate deletion (lakeFS garbage
 * collection deletes without a version, and the reference asks to replicate those delete
 * markers); no version at all, or a delete marker made in the mirror bucket itself (a
 * lifecycle rule, a careless delete), is a loss. "present" when the object is back by now.
 */
export function classifyMissing(state: KeyVersionState): MissingClassification | 'present' {
  if (state.kind === 'object') return 'present';
  if (state.kind === 'delete-marker' && state.replica) return 'removed_by_source';
  return 'lost';
}

/** One range of a head's metarange: its ID and how many entries it holds. */
export interface HeadRange {
  id: string;
  count: number;
}

/** A range to audit once, with every audited commit whose metarange lists it. */
export interface AuditRange extends HeadRange {
  commitIds: string[];
}

/**
 * The ranges to audit: each range once however many heads share it (range IDs are content
 * hashes), in the order first met, with the commits that need it.
 */
export function planAuditRanges(heads: readonly { commitId: string; ranges: readonly HeadRange[] }[]): AuditRange[] {
  const byId = new Map<string, AuditRange>();
  for (const head of heads) {
    for (const range of head.ranges) {
      const planned = byId.get(range.id);
      if (!planned) byId.set(range.id, { id: range.id, count: range.count, commitIds: [head.commitId] });
      else if (!planned.commitIds.includes(head.commitId)) planned.commitIds.push(head.commitId);
    }
  }
  return [...byId.values()];
}

/** The commits the mirror shows, each once, with the refs that point at it, branches first. */
export function auditedCommits(refs: readonly { type: 'branch' | 'tag'; name: string; commitId: string }[]): Omit<AuditedCommit, 'metarange_id'>[] {
  const byId = new Map<string, Omit<AuditedCommit, 'metarange_id'>>();
  for (const ref of [...refs].sort((a, b) => (a.type === b.type ? a.name.localeCompare(b.name) : a.type === 'branch' ? -1 : 1))) {
    const commit = byId.get(ref.commitId) ?? { commit_id: ref.commitId, branches: [], tags: [] };
    (ref.type === 'branch' ? commit.branches : commit.tags).push(ref.name);
    byId.set(ref.commitId, commit);
  }
  return [...byId.values()];
}

/** Counts of missing files by classification. */
export function countByClassification(missing: readonly Pick<AuditMissingFile, 'classification'>[]): Record<MissingClassification, number> {
  const counts: Record<MissingClassification, number> = { lost: 0, removed_by_source: 0, unreadable: 0 };
  for (const file of missing) counts[file.classification]++;
  return counts;
}
