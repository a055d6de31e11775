/** A name no other test run uses, valid as a lakeFS repository name and an S3 key segment. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}
