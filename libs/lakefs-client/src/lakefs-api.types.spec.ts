import type { components } from './generated/lakefs-api';
import { apiRequestSpec } from './lakefs-api-request';
import type { ApiOperation, ApiPath, ApiRequest, ApiResult } from './lakefs-api.types';
import type { LakefsClient } from './lakefs-client';
import type { CommitRecordCreation, PagedResponse, Repository } from './lakefs.types';

// Compile-time checks (run by the typecheck target): the client's types are the generated ones, so a
// lakeFS bump that changes them fails to compile. `true` only type-checks where the two types are identical.
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Schemas = components['schemas'];
type GetRepository = ApiOperation<'/repositories/{repository}', 'get'>;
type ListBranches = ApiOperation<'/repositories/{repository}/branches', 'get'>;
type CreateCommitRecord = ApiOperation<'/repositories/{repository}/commits', 'post'>;

export const typeChecks: true[] = [
  true satisfies Same<Repository, Schemas['Repository']>,
  true satisfies Same<CommitRecordCreation, Schemas['CommitRecordCreation']>,
  true satisfies Same<ApiResult<GetRepository>, Schemas['Repository']>,
  true satisfies Same<ApiResult<ListBranches>, Schemas['RefList']>,
  true satisfies Same<ApiResult<ApiOperation<'/repositories/{repository}', 'delete'>>, undefined>,
  true satisfies Same<Awaited<ReturnType<LakefsClient['getRepository']>>, Schemas['Repository']>,
  true satisfies Same<Parameters<LakefsClient['createCommitRecord']>[1], Schemas['CommitRecordCreation']>,
  true satisfies Schemas['CommitList'] extends PagedResponse<Schemas['Commit']> ? true : false,
  // lakeFS has no GET on /repositories/{repository}/commits (only CreateCommitRecord's POST)
  true satisfies '/repositories/{repository}/commits' extends ApiPath<'get'> ? false : true,
];

export const requestChecks = [
  { path: { repository: 'r' }, query: { after: '', amount: 100, prefix: 'p' } } satisfies ApiRequest<ListBranches>,
  // @ts-expect-error the path parameter is required
  { query: { after: '' } } satisfies ApiRequest<ListBranches>,
  // @ts-expect-error lakeFS has no such query parameter
  { path: { repository: 'r' }, query: { afterr: '' } } satisfies ApiRequest<ListBranches>,
  // @ts-expect-error CreateCommitRecord's body needs every field that makes the commit ID
  { path: { repository: 'r' }, json: { commit_id: 'c' } } satisfies ApiRequest<CreateCommitRecord>,
];

describe('apiRequestSpec', () => {
  it('fills the path template with URL-encoded parameters and upper-cases the method', () => {
    const spec = apiRequestSpec('get', '/repositories/{repository}/refs/{ref}/objects/stat', {
      path: { repository: 'repo', ref: 'feature/a b' },
      query: { path: 'x/y', user_metadata: true },
    });
    expect(spec).toEqual({
      method: 'GET',
      path: '/repositories/repo/refs/feature%2Fa%20b/objects/stat',
      query: { path: 'x/y', user_metadata: true },
      json: undefined,
      body: undefined,
      contentType: undefined,
    });
  });

  it('refuses a template whose parameter has no value', () => {
    expect(() => apiRequestSpec('get', '/repositories/{repository}', {})).toThrow('no value for path parameter "repository"');
  });

  it('carries the compile-time checks above', () => {
    expect(typeChecks.every(Boolean)).toBe(true);
    expect(requestChecks).toHaveLength(4);
  });
});
