/**
 * Splits a range's entries into jobs of at most `maxPerChunk` objects. A BullMQ job should cover
 * hundreds of objects (queues live in one Redis hash slot), while a retry should not redo
 * tens of thousands: chunks bound both.
 */
export function chunk<T>(items: readonly T[], maxPerChunk: number): T[][] {
  if (!Number.isInteger(maxPerChunk) || maxPerChunk < 1) throw new RangeError(`maxPerChunk must be a positive integer, got ${maxPerChunk}`);
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += maxPerChunk) chunks.push(items.slice(start, start + maxPerChunk));
  return chunks;
}
