import type { CommitState } from './commit-state';

/**
 * Whether a commit's verification is complete by PostgreSQL's account: `not-planned` when its
 * metarange was never read (no plan happened), `unchecked-chunks` when some planned chunk has
 * not passed its check.
 */
export type VerificationVerdict = { complete: true } | { complete: false; uncheckedChunks: number; reason: 'not-planned' | 'unchecked-chunks' };

/**
 * The promoter's guard, which trusts the database rather than the flow: every chunk ever planned
 * for the commit must be checked, and a plan must have happened even when no range needed
 * checking (a verifying commit with no chunks is an empty one; a pending one was never
 * planned). A commit already verified or recorded passed this guard before and stays complete.
 */
export function verificationVerdict(commit: { state: CommitState; chunks: readonly { checked: boolean }[] }): VerificationVerdict {
  if (commit.state === 'verified' || commit.state === 'recorded') return { complete: true };
  const uncheckedChunks = commit.chunks.filter((c) => !c.checked).length;
  if (uncheckedChunks > 0) return { complete: false, uncheckedChunks, reason: 'unchecked-chunks' };
  if (commit.chunks.length === 0 && commit.state === 'pending') return { complete: false, uncheckedChunks: 0, reason: 'not-planned' };
  return { complete: true };
}
