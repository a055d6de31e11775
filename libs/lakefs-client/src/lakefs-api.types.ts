import type { paths } from './generated/lakefs-api';

/**
 * Requests and responses of lakeFS operations, derived from the generated `paths` of the pinned
 * lakeFS version's api/swagger.yml. A path, parameter or body that lakeFS changes becomes a type
 * error in the client rather than a surprise at run time.
 */

export type HttpMethod = 'get' | 'post' | 'put' | 'delete';

/** The path templates (e.g. "/repositories/{repository}") that have an operation for `method`. */
export type ApiPath<M extends HttpMethod> = {
  [P in keyof paths]: paths[P][M] extends { responses: unknown } ? P : never;
}[keyof paths];

/** The operation at `path` for `method`, as generated. */
export type ApiOperation<P extends keyof paths, M extends HttpMethod> = Extract<paths[P][M], { responses: unknown }>;

type RequestBody<O> = O extends { requestBody: { content: { 'application/json': infer B } } }
  ? { json: B }
  : O extends { requestBody?: { content: { 'application/json': infer B } } }
    ? { json?: B }
    : O extends { requestBody?: { content: { 'application/octet-stream': unknown } } }
      ? { body?: Uint8Array; contentType?: string }
      : { json?: never };

/**
 * What a call of operation `O` sends: its path parameters and query as lakeFS declares them (required
 * when lakeFS requires them), and its JSON body, or raw bytes for an upload.
 */
export type ApiRequest<O> = O extends { parameters: infer A } ? Pick<A, Extract<keyof A, 'path' | 'query'>> & RequestBody<O> : never;

type SuccessStatus = 200 | 201 | 202 | 204;
type ContentOf<R> = R extends { content: { 'application/json': infer T } } ? T : R extends { content: Record<string, infer T> } ? T : undefined;

/** The body of a successful response of operation `O`: its JSON, text, or undefined when lakeFS sends none. */
export type ApiResult<O> = O extends { responses: infer R } ? ContentOf<R[Extract<keyof R, SuccessStatus>]> : never;
