/**
 * The decisions of a mirror's promotion to a writable repository (failover), from what the
 * region's lakeFS shows: each step of the promotion reads the repository of the mirror's name
 * and acts on this table, so that a promotion interrupted anywhere resumes from its recorded step.
 */

/** The repository of the mirror's name as lakeFS answers for it. */
export type FailoverRepository =
  | 'absent'
  /** Deleted halfway (lakeFS answers 410): a repeated delete finishes it. */
  | 'in-deletion'
  /** Read-only on the mirror's namespace: the mirror repository (or lakeFS's cached record of it, for a few seconds after its deletion). */
  | 'read-only'
  /** Writable on the mirror's namespace: the repository this promotion created. */
  | 'writable'
  /** On another namespace: not lakemirror's; a promotion never touches it. */
  | 'elsewhere';

export function classifyFailoverRepository(
  found: { read_only?: boolean; storage_namespace: string } | 'absent' | 'in-deletion',
  namespace: string,
): FailoverRepository {
  if (found === 'absent' || found === 'in-deletion') return found;
  if (found.storage_namespace !== namespace) return 'elsewhere';
  return found.read_only ? 'read-only' : 'writable';
}

/** The steps that change lakeFS, named by what they leave behind. */
export type FailoverStep = 'dumped' | 'deleted' | 'created';

/**
 * What to do at `step` (the last one recorded as done) given the repository:
 * - `dumped`, about to delete the read-only mirror record: delete it (also when half deleted); absent means it already is.
 * - `deleted`, about to create the writable repository: create it; a writable one on the namespace is this promotion's own,
 *   created before an interruption; a read-only answer is lakeFS's cache of the deleted record, so wait.
 * - `created`, about to restore: only into the writable repository; anything else is the cache, so wait.
 * A repository on another namespace, or a writable one before the mirror's deletion, is someone else's: stop for a person.
 */
export type FailoverAction = 'delete' | 'create' | 'advance' | 'wait' | 'blocked';

export function failoverAction(step: FailoverStep, repository: FailoverRepository): FailoverAction {
  if (repository === 'elsewhere') return 'blocked';
  switch (step) {
    case 'dumped':
      if (repository === 'writable') return 'blocked';
      return repository === 'absent' ? 'advance' : 'delete';
    case 'deleted':
      if (repository === 'absent') return 'create';
      return repository === 'writable' ? 'advance' : 'wait';
    case 'created':
      return repository === 'writable' ? 'advance' : 'wait';
  }
}

/** Branches and tags, by name, with the commit each points at. */
export interface RefsSnapshot {
  branches: Record<string, string>;
  tags: Record<string, string>;
}

/**
 * How the refs of the writable repository compare with what the mirror held: `complete` when
 * equal; `empty` before any restore; `partial` when a restore stopped halfway (everything there
 * is expected, something is missing: safe to start over); `foreign` when something there was not
 * on the mirror, or points elsewhere (someone wrote to it: never discarded).
 */
export type RestoreOutcome = { kind: 'complete' } | { kind: 'empty' } | { kind: 'partial'; missing: string[] } | { kind: 'foreign'; foreign: string[] };

export function restoreOutcome(expected: RefsSnapshot, actual: RefsSnapshot): RestoreOutcome {
  const foreign: string[] = [];
  const missing: string[] = [];
  for (const kind of ['branches', 'tags'] as const) {
    const label = kind === 'branches' ? 'branch' : 'tag';
    for (const [name, commit] of Object.entries(actual[kind])) {
      if (expected[kind][name] !== commit) foreign.push(`${label} ${name} at ${commit}`);
    }
    for (const [name, commit] of Object.entries(expected[kind])) {
      if (actual[kind][name] !== commit) missing.push(`${label} ${name} at ${commit}`);
    }
  }
  if (foreign.length > 0) return { kind: 'foreign', foreign };
  if (missing.length === 0) return { kind: 'complete' };
  const nothing = Object.keys(actual.branches).length === 0 && Object.keys(actual.tags).length === 0;
  return nothing ? { kind: 'empty' } : { kind: 'partial', missing };
}
