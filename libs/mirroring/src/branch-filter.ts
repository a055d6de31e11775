/**
 * Which source branches a mirror follows: a branch is followed when it matches one of `include`
 * and none of `exclude`. Patterns are globs with the syntax lakeFS uses for branch protection
 * rules (gobwas/glob without separators): `*` (also `**`) any run of characters, `?` one
 * character, `[abc]` / `[a-z]` one of a list or range, `[!abc]` / `[!a-z]` one not in it,
 * `{main,release-*}` one of the alternatives, `\` makes the next character literal.
 */
export interface BranchFilter {
  include: string[];
  exclude: string[];
}

/** Every branch: what a mirror follows unless told otherwise, as before branch filters existed. */
export function everyBranch(): BranchFilter {
  return { include: ['*'], exclude: [] };
}

/** A pattern that is no glob; `position` is the 0-based index of the character at fault. */
export class InvalidBranchPatternError extends Error {
  readonly code = 'INVALID_BRANCH_PATTERN';

  constructor(
    readonly pattern: string,
    readonly reason: string,
    readonly position: number,
  ) {
    super(`invalid branch pattern "${pattern}": ${reason} at position ${position}`);
    this.name = 'InvalidBranchPatternError';
  }
}

// With the `u` flag a regular expression accepts only these escapes ("-" only inside a class).
const literal = (char: string) => char.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
const classMember = (char: string) => char.replace(/[\\^\]\-[]/g, '\\$&');

/** Reads a pattern into an equivalent anchored regular expression. @throws InvalidBranchPatternError */
function toRegExp(pattern: string): RegExp {
  const chars = [...pattern];
  let at = 0;
  const fail = (reason: string, position = at): never => {
    throw new InvalidBranchPatternError(pattern, reason, position);
  };

  // `inAlternatives`: inside `{...}`, where `,` and `}` end the alternative.
  const sequence = (inAlternatives: boolean): string => {
    let source = '';
    while (at < chars.length) {
      const c = chars[at];
      if (inAlternatives && (c === ',' || c === '}')) return source;
      at++;
      if (c === '*') {
        if (chars[at] === '*') at++;
        source += '.*';
      } else if (c === '?') source += '.';
      else if (c === '[') source += characterClass(at - 1);
      else if (c === '{') source += alternatives(at - 1);
      else if (c === '\\') {
        if (at >= chars.length) fail('"\\" escapes nothing', at - 1);
        source += literal(chars[at++]);
      } else source += literal(c);
    }
    return source;
  };

  const characterClass = (open: number): string => {
    const negated = chars[at] === '!';
    if (negated) at++;
    let members = '';
    const start = at;
    if (chars[at + 1] === '-' && chars[at] !== undefined && chars[at] !== ']') {
      const [lo, hi] = [chars[at], chars[at + 2]];
      if (hi === undefined) fail('unclosed "["', open);
      if ((hi.codePointAt(0) as number) < (lo.codePointAt(0) as number)) fail(`range ${lo}-${hi} is reversed`, start);
      members = `${classMember(lo)}-${classMember(hi)}`;
      at += 3;
    } else {
      while (at < chars.length && chars[at] !== ']') {
        if (chars[at] === '\\') at++;
        if (at >= chars.length) break;
        members += classMember(chars[at++]);
      }
      if (members === '' && chars[at] === ']') fail('empty "[]"', open);
    }
    if (chars[at] !== ']') fail(at >= chars.length ? 'unclosed "["' : 'a class holds either a list or one range', at >= chars.length ? open : at);
    at++;
    return `[${negated ? '^' : ''}${members}]`;
  };

  const alternatives = (open: number): string => {
    const options = [sequence(true)];
    while (chars[at] === ',') {
      at++;
      options.push(sequence(true));
    }
    if (chars[at] !== '}') fail('unclosed "{"', open);
    at++;
    return `(?:${options.join('|')})`;
  };

  const source = sequence(false);
  return new RegExp(`^${source}$`, 'su');
}

/** @throws InvalidBranchPatternError when `pattern` is empty or no glob. */
export function checkBranchPattern(pattern: string): void {
  if (pattern === '') throw new InvalidBranchPatternError(pattern, 'empty pattern', 0);
  toRegExp(pattern);
}

/** Whether `branch` matches the glob `pattern`. @throws InvalidBranchPatternError */
export function matchesBranchPattern(pattern: string, branch: string): boolean {
  return toRegExp(pattern).test(branch);
}

/** A predicate telling the branches `filter` follows, its patterns compiled once. @throws InvalidBranchPatternError */
export function branchFilterMatcher(filter: BranchFilter): (branch: string) => boolean {
  const include = filter.include.map(toRegExp);
  const exclude = filter.exclude.map(toRegExp);
  return (branch) => include.some((p) => p.test(branch)) && !exclude.some((p) => p.test(branch));
}
