/**
 * Folders listed at once at most. A folder's addresses are strings only while it is listed: a full
 * lakeFS partition folder (50,000 objects) takes about 4.5 MB then.
 */
const MAX_FOLDERS_AT_ONCE = 8;
/** LIST streams one folder is split into at most, when a commit has too few folders to use the request budget. */
const MAX_STREAMS_PER_FOLDER = 4;

/**
 * How a sweep spends its `streams` (requests in flight) over `folders` folders. A folder is split
 * into parallel spans only when there are too few folders to fill the budget otherwise: every span
 * starts a new listing in the middle of its folder, which MinIO pays for by walking the folder on
 * from there (4 spans a folder nearly doubled its CPU for a 1M-object sweep, 68-78 s against 35-37 s
 * for one stream a folder). S3 answers a span's first page at the same cost as any other page.
 */
export function listingPlan(folders: number, streams: number): { foldersAtOnce: number; streamsPerFolder: number } {
  const streamsPerFolder = Math.max(1, Math.min(MAX_STREAMS_PER_FOLDER, Math.floor(streams / Math.max(1, folders))));
  const foldersAtOnce = Math.max(1, Math.min(MAX_FOLDERS_AT_ONCE, Math.floor(streams / streamsPerFolder)));
  return { foldersAtOnce, streamsPerFolder };
}
