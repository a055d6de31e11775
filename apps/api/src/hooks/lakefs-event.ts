/** What lakemirror keeps of a lakeFS webhook's body (its EventInfo): for the audit log only. */
export interface LakefsEvent {
  event_type?: string;
  repository_id?: string;
  branch_id?: string;
  tag_id?: string;
  commit_id?: string;
}

const FIELDS = ['event_type', 'repository_id', 'branch_id', 'tag_id', 'commit_id'] as const;
const MAX_VALUE = 256;

/**
 * The event fields of a webhook body, each a string cut to a bounded length; anything else is
 * dropped. The body is never needed to act: the scan reads the source itself.
 */
export function lakefsEventOf(body: unknown): LakefsEvent {
  const event: LakefsEvent = {};
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return event;
  for (const field of FIELDS) {
    const value = (body as Record<string, unknown>)[field];
    if (typeof value === 'string' && value !== '') event[field] = value.slice(0, MAX_VALUE);
  }
  return event;
}
