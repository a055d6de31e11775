import { badRequest } from './api-errors';

/** lakeFS's repository ID pattern: what mirror names and source repository IDs must match. */
export const REPOSITORY_ID = /^[a-z0-9][a-z0-9-]{2,62}$/;

/** Validates a repository or mirror ID taken from the path (which also rules out path traversal). */
export function repositoryIdParam(value: string, what: string): string {
  if (!REPOSITORY_ID.test(value)) {
    throw badRequest(
      `${what} "${value.slice(0, 80)}" is not a valid repository ID (3-63 lowercase letters, digits and dashes, starting with a letter or digit)`,
    );
  }
  return value;
}

/** A commit ID as lakeFS writes them (64 hex digits), with room for shorter test IDs: letters and digits only. */
const COMMIT_ID = /^[a-z0-9]{1,64}$/;

/** Validates a commit ID taken from the path. */
export function commitIdParam(value: string): string {
  if (!COMMIT_ID.test(value)) throw badRequest(`commit "${value.slice(0, 80)}" is not a valid commit ID (1-64 lowercase letters and digits)`);
  return value;
}

/** lakeFS's branch ID pattern (pkg/validator ReValidBranchID), bounded in length. */
const BRANCH_ID = /^\w[-\w]{0,255}$/;

/** Validates a branch name taken from the path. */
export function branchIdParam(value: string): string {
  if (!BRANCH_ID.test(value)) throw badRequest(`branch "${value.slice(0, 80)}" is not a valid branch ID (letters, digits, "_" and "-", not starting with "-")`);
  return value;
}
