import { wildcardMatch } from './wildcard';

/**
 * The actions a policy may name, by service: lakeFS v1.84's (pkg/permissions) and lakeFS
 * Cloud's fs:MirrorRepository (the mirroring reference's RBAC table).
 */
const ACTIONS_BY_SERVICE: Readonly<Record<string, readonly string[]>> = {
  fs: [
    'ReadRepository',
    'CreateRepository',
    'UpdateRepository',
    'AttachStorageNamespace',
    'ImportFromStorage',
    'ImportCancel',
    'DeleteRepository',
    'ListRepositories',
    'ReadObject',
    'WriteObject',
    'DeleteObject',
    'ListObjects',
    'CreateCommit',
    'ReadCommit',
    'ListCommits',
    'CreateBranch',
    'DeleteBranch',
    'ReadBranch',
    'RevertBranch',
    'ListBranches',
    'CreateTag',
    'DeleteTag',
    'ReadTag',
    'ListTags',
    'ReadConfig',
    'MirrorRepository',
    // lakemirror's own: start a consistency audit of a mirror (docs/api.md "Consistency audits").
    'AuditMirror',
    // lakemirror's own: promote a mirror to a writable repository, failover (docs/api.md "Failover").
    'PromoteMirror',
  ],
  auth: [
    'ReadUser',
    'CreateUser',
    'DeleteUser',
    'ListUsers',
    'ReadGroup',
    'CreateGroup',
    'DeleteGroup',
    'ListGroups',
    'AddGroupMember',
    'RemoveGroupMember',
    'ReadPolicy',
    'CreatePolicy',
    'UpdatePolicy',
    'DeletePolicy',
    'ListPolicies',
    'AttachPolicy',
    'DetachPolicy',
    'ReadCredentials',
    'CreateCredentials',
    'DeleteCredentials',
    'ListCredentials',
    'CreateUserExternalPrincipal',
    'DeleteUserExternalPrincipal',
    'ReadExternalPrincipal',
  ],
  ci: ['ReadAction'],
  retention: ['PrepareGarbageCollectionCommits', 'GetGarbageCollectionRules', 'SetGarbageCollectionRules', 'PrepareGarbageCollectionUncommitted'],
  branches: ['GetBranchProtectionRules', 'SetBranchProtectionRules'],
  pr: ['ReadPullRequest', 'WritePullRequest', 'ListPullRequests'],
  catalog: [
    'ListNamespaces',
    'GetNamespace',
    'CreateNamespace',
    'UpdateNamespace',
    'DeleteNamespace',
    'ListTables',
    'ReadTable',
    'CreateTable',
    'UpdateTable',
    'DeleteTable',
    'ListViews',
    'ReadView',
    'CreateView',
    'UpdateView',
    'DeleteView',
  ],
};

export const KNOWN_ACTIONS: readonly string[] = Object.entries(ACTIONS_BY_SERVICE).flatMap(([service, names]) => names.map((name) => `${service}:${name}`));

/**
 * Why a statement cannot name `action`, or undefined when it can: a known action, or a
 * wildcard pattern that matches at least one (a pattern matching none is a typo that would
 * silently grant or deny nothing).
 */
export function actionProblem(action: string): string | undefined {
  if (/[*?]/.test(action)) return KNOWN_ACTIONS.some((known) => wildcardMatch(action, known)) ? undefined : `"${action}" matches no known action`;
  return KNOWN_ACTIONS.includes(action) ? undefined : `unknown action "${action}"`;
}
