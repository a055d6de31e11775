/** An object a commit needs that has not arrived in the mirror region, and since when it is known missing. */
export interface MissingObject {
  key: string;
  missingSince: Date;
}

export interface MissingObjectsVerdict {
  /** True once some object has been missing for longer than the stall threshold: a person should look. */
  stalled: boolean;
  /** The missing objects, longest-missing first, each with how long it has been missing. */
  objects: { key: string; missingSince: Date; missingForSeconds: number }[];
}

/**
 * Merges a new check's missing keys into what was known (keeping the first time each was seen
 * missing; an object that arrived drops out) and decides whether the commit is stalled.
 */
export function updateMissingObjects(
  known: readonly MissingObject[],
  stillMissing: readonly string[],
  now: Date,
  stallAfterSeconds: number,
): { missing: MissingObject[]; verdict: MissingObjectsVerdict } {
  const since = new Map(known.map((m) => [m.key, m.missingSince]));
  const missing = [...new Set(stillMissing)].map((key) => ({ key, missingSince: since.get(key) ?? now }));
  const objects = missing
    .map((m) => ({ ...m, missingForSeconds: Math.max(0, Math.floor((now.getTime() - m.missingSince.getTime()) / 1000)) }))
    .sort((a, b) => b.missingForSeconds - a.missingForSeconds || a.key.localeCompare(b.key));
  return { missing, verdict: { stalled: objects.some((o) => o.missingForSeconds >= stallAfterSeconds), objects } };
}
