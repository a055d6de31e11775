/** End of the last chunk of a range: past any entry count, so a range's tail is never left unchecked. */
export const RANGE_END = 2_147_483_647;

/** A range of a metarange as far as chunking goes: its ID and how many entries it holds. */
export interface CountedRange {
  id: string;
  count: number;
}

/** A bounded slice [firstEntry, endEntry) of one range of a commit: the unit of a verify-chunk job. */
export interface ChunkPlan {
  rangeId: string;
  firstEntry: number;
  endEntry: number;
  /** Entries the chunk covers by the range's recorded count. */
  objects: number;
  /** Ranges of the parent commits that overlap this range: objects they hold are present once the parents are recorded, which the commit waits for. */
  baseRanges: string[];
}

/**
 * Splits the ranges still to verify into chunks of at most `chunkObjects` entries each, in
 * order. A BullMQ job should cover hundreds of objects while a retry should not redo tens of
 * thousands: chunks bound both. A range's last chunk runs to RANGE_END, and a range recorded
 * as empty still gets one (its file must be there). Each chunk carries the verified parent
 * ranges its range overlaps (`baseRangesOf`).
 */
export function chunkRanges<R extends CountedRange>(ranges: readonly R[], chunkObjects: number, baseRangesOf: (range: R) => string[] = () => []): ChunkPlan[] {
  if (!Number.isInteger(chunkObjects) || chunkObjects < 1) throw new RangeError(`chunkObjects must be a positive integer, got ${chunkObjects}`);
  const chunks: ChunkPlan[] = [];
  for (const range of ranges) {
    if (!Number.isInteger(range.count) || range.count < 0) throw new RangeError(`range ${range.id} has an invalid entry count ${range.count}`);
    const baseRanges = baseRangesOf(range);
    const count = Math.max(range.count, 1);
    for (let first = 0; first < count; first += chunkObjects) {
      const last = first + chunkObjects >= count;
      chunks.push({
        rangeId: range.id,
        firstEntry: first,
        endEntry: last ? RANGE_END : first + chunkObjects,
        objects: Math.min(chunkObjects, range.count - first),
        baseRanges,
      });
    }
  }
  return chunks;
}
