import { z } from 'zod';
import { BranchFilter, InvalidBranchPatternError, checkBranchPattern } from '@lakemirror/mirroring';
import type { MirrorEntity } from '@lakemirror/persistence';

const MAX_PATTERNS = 100;
const MAX_PATTERN_LENGTH = 256;

const pattern = z
  .string({ invalid_type_error: 'must be a string' })
  .max(MAX_PATTERN_LENGTH, `is longer than ${MAX_PATTERN_LENGTH} characters`)
  .superRefine((value, ctx) => {
    try {
      checkBranchPattern(value);
    } catch (error) {
      if (!(error instanceof InvalidBranchPatternError)) throw error;
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: `is not a valid branch pattern: ${error.reason} at position ${error.position}` });
    }
  });

const patterns = z.array(pattern, { invalid_type_error: 'must be a list of branch patterns' }).max(MAX_PATTERNS, `must list at most ${MAX_PATTERNS} patterns`);

/**
 * The `branches` field of a mirror update: lakeFS-style glob patterns (libs/mirroring
 * branch-filter); a list left out stays as it is (JSON merge patch).
 */
export const branchFilterPatchField = z
  .object(
    {
      include: patterns.min(1, 'must list at least one pattern ("*" for every branch)').optional(),
      exclude: patterns.optional(),
    },
    { invalid_type_error: 'must be an object with "include" and "exclude" lists of branch patterns' },
  )
  .strict();

/** The `branches` field of a mirror creation: without `include`, every branch is included; without `exclude`, none is excluded. */
export const branchFilterField = branchFilterPatchField.transform((filter): BranchFilter => ({
  include: filter.include ?? ['*'],
  exclude: filter.exclude ?? [],
}));

/** The filter in a request body (absent: every branch), as the OpenAPI document describes it. */
export const BRANCH_FILTER_SCHEMA = {
  type: 'object',
  description:
    'Which source branches the mirror follows: a branch matching one of include and none of exclude. lakeFS-style globs: * any characters, ? one, [abc] [a-z] [!abc] [!a-z] one of (or not), {a,b} alternatives, \\ escapes',
  properties: {
    include: { type: 'array', items: { type: 'string' }, default: ['*'], example: ['main', 'release-*'] },
    exclude: { type: 'array', items: { type: 'string' }, default: [], example: ['release-old*'] },
  },
  additionalProperties: false,
};

/** Whether the mirror follows exactly the branches of `filter` (same patterns, in the same order). */
export function sameBranchFilter(mirror: Pick<MirrorEntity, 'branchInclude' | 'branchExclude'>, filter: BranchFilter): boolean {
  const same = (a: string[], b: string[]) => a.length === b.length && a.every((pattern, i) => pattern === b[i]);
  return same(mirror.branchInclude, filter.include) && same(mirror.branchExclude, filter.exclude);
}
