/**
 * lakeFS's wildcard match (pkg/auth/wildcard): `*` matches any run of characters, `?` exactly
 * one; everything else matches itself. The whole name must match.
 */
export function wildcardMatch(pattern: string, name: string): boolean {
  const p = [...pattern];
  const n = [...name];
  // Classic two-pointer glob match with backtracking to the last star.
  let i = 0;
  let j = 0;
  let star = -1;
  let resume = 0;
  while (j < n.length) {
    if (i < p.length && (p[i] === '?' || p[i] === n[j])) {
      i++;
      j++;
    } else if (i < p.length && p[i] === '*') {
      star = i++;
      resume = j;
    } else if (star >= 0) {
      i = star + 1;
      j = ++resume;
    } else {
      return false;
    }
  }
  while (i < p.length && p[i] === '*') i++;
  return i === p.length;
}
