import type { HttpMethod } from './lakefs-api.types';
import type { Query, RequestSpec } from './lakefs-transport';

/** A typed request (ApiRequest) seen without its operation's types. */
export interface ApiRequestParts {
  path?: Record<string, string | number>;
  query?: Query;
  json?: unknown;
  body?: Uint8Array;
  contentType?: string;
}

/**
 * The transport request for a call of the operation at `template`: the path parameters URL-encoded in place
 * ("/repositories/{repository}" with { repository: "a b" } is "/repositories/a%20b"), query and body as given.
 */
export function apiRequestSpec(method: HttpMethod, template: string, request: ApiRequestParts): RequestSpec {
  const params = request.path ?? {};
  const path = template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new TypeError(`lakeFS ${template}: no value for path parameter "${name}"`);
    return encodeURIComponent(String(value));
  });
  return {
    method: method.toUpperCase() as RequestSpec['method'],
    path,
    query: request.query,
    json: request.json,
    body: request.body,
    contentType: request.contentType,
  };
}
