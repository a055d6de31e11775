/**
 * Folders listed at once at most. A folder's addresses are strings only while it is listed: a full
 * lakeFS partition folder (50,000 objects) takes about 4.5 MB then.
 */
const MAX_FOLDERS_AT_ONCE = 8;
/**
 * How a sweep spends its `streams` (requests in flight) over `folders` folders. A folder is split
 * into parallel spans (`maxSpans` at most) only when there are too few folders to fill the budget
 * otherwise. Every span starts a new listing in the middle of its folder, which MinIO pays for by
 * walking the folder on from there: 4 spans a folder nearly doubled MinIO's CPU for a 1M-object
 * sweep (68-78 s against 35-37 s for one stream a folder), and made a 100,000-object first sync
 * (2 folders) 2.52-2.54x a sequential LIST against 1.84-1.96x unsplit. S3 answers a span's first
 * page at the same cost as any other page, so there spans pay.
 */
export function listingPlan(folders: number, streams: number, maxSpans: number): { foldersAtOnce: number; streamsPerFolder: number } {
  const streamsPerFolder = Math.max(1, Math.min(maxSpans, Math.floor(streams / Math.max(1, folders))));
  const foldersAtOnce = Math.max(1, Math.min(MAX_FOLDERS_AT_ONCE, Math.floor(streams / streamsPerFolder)));
  return { foldersAtOnce, streamsPerFolder };
}
