/** Talks to lakemirror's replication API with the caller's lakeFS key, as every CLI command does. */

/** The API answered with an error status; `status` decides the CLI's exit code. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(`${status}: ${message}`);
  }
}

/** The API could not be reached at all (wrong address, not running). */
export class ApiUnreachableError extends Error {}

export interface ApiSettings {
  url: string;
  authorization: string;
}

/** The caller's lakeFS access key, from the environment (lakectl's variable names work too). */
export function lakefsKey(env: NodeJS.ProcessEnv): { accessKeyId: string; secretAccessKey: string } {
  const keyId = env.LAKEMIRROR_ACCESS_KEY_ID ?? env.LAKECTL_CREDENTIALS_ACCESS_KEY_ID ?? env.LAKEMIRROR_SOURCE_LAKEFS_ACCESS_KEY_ID;
  const secret = env.LAKEMIRROR_SECRET_ACCESS_KEY ?? env.LAKECTL_CREDENTIALS_SECRET_ACCESS_KEY ?? env.LAKEMIRROR_SOURCE_LAKEFS_SECRET_ACCESS_KEY;
  if (!keyId || !secret)
    throw new ApiUnreachableError('set LAKEMIRROR_ACCESS_KEY_ID and LAKEMIRROR_SECRET_ACCESS_KEY (your lakeFS key) to call the replication API');
  return { accessKeyId: keyId, secretAccessKey: secret };
}

/** Credentials and address of the replication API, from the environment. */
export function apiSettings(env: NodeJS.ProcessEnv): ApiSettings {
  const { accessKeyId: keyId, secretAccessKey: secret } = lakefsKey(env);
  const url = (env.LAKEMIRROR_API_URL ?? `http://127.0.0.1:${env.LAKEMIRROR_API_PORT ?? 8080}`).replace(/\/$/, '');
  return { url, authorization: `Basic ${Buffer.from(`${keyId}:${secret}`).toString('base64')}` };
}

/** The path of a repository's mirrors, or of one mirror and something under it. */
export function mirrorPath(repository: string, mirror?: string, ...rest: string[]): string {
  const parts = ['service/replication/v1/repositories', encodeURIComponent(repository), 'mirrors'];
  if (mirror !== undefined) parts.push(encodeURIComponent(mirror), ...rest.map(encodeURIComponent));
  return parts.join('/');
}

export class ApiClient {
  constructor(private readonly settings: ApiSettings) {}

  get url(): string {
    return this.settings.url;
  }

  /** Sends one request; resolves with the parsed JSON body (undefined for 204), rejects with ApiError for non-2xx. */
  async request<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { authorization: this.settings.authorization };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${this.settings.url}/${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    }).catch((error: Error) => {
      throw new ApiUnreachableError(
        `cannot reach the replication API at ${this.settings.url}: ${(error.cause as Error | undefined)?.message ?? error.message}`,
      );
    });
    const text = await response.text();
    const parsed = parseJson(text);
    if (!response.ok) {
      const message = (parsed as { message?: unknown } | undefined)?.message;
      throw new ApiError(response.status, typeof message === 'string' ? message : response.statusText);
    }
    return parsed as T;
  }
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
