/** A range of a metarange as far as key order goes: its ID and its first and last keys. */
export interface KeySpan {
  id: string;
  minKey: string;
  maxKey: string;
}

/**
 * The ranges among `candidates` (a parent commit's ranges) whose keys overlap `range`: where
 * the entries a new range inherited unchanged from the parent can be, so that a verifier can
 * skip the objects those ranges already proved present and check only what changed.
 */
export function overlappingRanges(range: KeySpan, candidates: readonly KeySpan[]): string[] {
  return [...new Set(candidates.filter((c) => c.minKey <= range.maxKey && c.maxKey >= range.minKey).map((c) => c.id))];
}
