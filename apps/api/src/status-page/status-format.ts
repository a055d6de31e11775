/** A duration for people: "42 s", "3 min 5 s", "2 h 10 min", "3 d 4 h". */
export function formatDuration(totalSeconds: number): string {
  const seconds = Math.max(0, Math.floor(totalSeconds));
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3_600) return withRest(Math.floor(seconds / 60), 'min', seconds % 60, 's');
  if (seconds < 86_400) return withRest(Math.floor(seconds / 3_600), 'h', Math.floor((seconds % 3_600) / 60), 'min');
  return withRest(Math.floor(seconds / 86_400), 'd', Math.floor((seconds % 86_400) / 3_600), 'h');
}

function withRest(whole: number, unit: string, rest: number, restUnit: string): string {
  return rest === 0 ? `${whole} ${unit}` : `${whole} ${unit} ${rest} ${restUnit}`;
}

/** A commit ID as lakeFS's UI shortens it; the full ID goes into the element's title. */
export function shortCommit(commitId: string | null | undefined): string {
  return commitId ? commitId.slice(0, 12) : '—';
}

/** A time for people, in UTC to the second: "2026-11-26 04:10:05 UTC". */
export function formatTime(at: Date | string | null | undefined): string {
  if (!at) return '—';
  const date = typeof at === 'string' ? new Date(at) : at;
  if (Number.isNaN(date.getTime())) return String(at);
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** "1 commit", "3 commits". */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
