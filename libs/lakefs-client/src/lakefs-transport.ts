import { setTimeout as sleep } from 'node:timers/promises';
import { RetrySettings, backoffDelay } from '@lakemirror/config';
import { LakefsError, LakefsUnavailableError, lakefsErrorFromResponse } from './lakefs.errors';

export interface LakefsCredentials {
  accessKeyId: string;
  /** A Secret (libs/config), revealed only to build the Authorization header, or a plain string. */
  secretAccessKey: { reveal(): string } | string;
}

/** The minimal logger the client writes retries to (pino's shape). */
export interface RetryLogger {
  warn(fields: Record<string, unknown>, message: string): void;
}

export interface LakefsTransportOptions {
  /** Base URL of the installation, e.g. http://127.0.0.1:8000 (the /api/v1 suffix is optional). */
  endpoint: string;
  credentials: LakefsCredentials;
  /** Tries per call and the backoff between them; retried are 429, 5xx and no response, a POST only when lakeFS did not act. */
  retry?: RetrySettings;
  timeoutMs?: number;
  logger?: RetryLogger;
}

export type Query = Record<string, string | number | boolean | readonly string[] | undefined>;

export interface RequestSpec {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  query?: Query;
  json?: unknown;
  body?: Uint8Array;
  contentType?: string;
}

const IDEMPOTENT = new Set(['GET', 'PUT', 'DELETE']);

/** Five tries over about 1.5 s at most (50-100, 100-200, 200-400, 400-800 ms): rides out a lakeFS restart or a burst of 429s. */
export const DEFAULT_LAKEFS_RETRY: RetrySettings = { attempts: 5, baseMs: 100, capMs: 5_000 };

/** HTTP to one lakeFS installation: basic auth, typed errors, retries with capped jittered backoff. */
export class LakefsTransport {
  private readonly baseUrl: string;
  private readonly authorization: string;
  private readonly retry: RetrySettings;
  private readonly timeoutMs: number;

  constructor(private readonly options: LakefsTransportOptions) {
    const endpoint = options.endpoint.replace(/\/+$/, '');
    this.baseUrl = endpoint.endsWith('/api/v1') ? endpoint : `${endpoint}/api/v1`;
    const secret = options.credentials.secretAccessKey;
    const secretValue = typeof secret === 'string' ? secret : secret.reveal();
    this.authorization = `Basic ${Buffer.from(`${options.credentials.accessKeyId}:${secretValue}`).toString('base64')}`;
    this.retry = options.retry ?? DEFAULT_LAKEFS_RETRY;
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  get endpoint(): string {
    return this.baseUrl;
  }

  async json<T>(spec: RequestSpec): Promise<T> {
    const response = await this.send(spec);
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    if (!text) return undefined as T;
    const type = response.headers.get('content-type') ?? '';
    return (type.includes('json') ? JSON.parse(text) : text) as T;
  }

  async bytes(spec: RequestSpec): Promise<Buffer> {
    const response = await this.send(spec);
    return Buffer.from(await response.arrayBuffer());
  }

  private async send(spec: RequestSpec): Promise<Response> {
    const operation = `${spec.method} ${spec.path}`;
    for (let attempt = 1; ; attempt++) {
      let error: LakefsError;
      try {
        const response = await this.fetchOnce(spec);
        if (response.ok) return response;
        error = lakefsErrorFromResponse(operation, response.status, await readMessage(response));
      } catch (cause) {
        if (cause instanceof LakefsError) throw cause;
        error = new LakefsUnavailableError('UNAVAILABLE', operation, undefined, describeNetworkError(cause));
      }
      if (!this.shouldRetry(spec, error, attempt)) throw error;
      const delayMs = backoffDelay(attempt, this.retry);
      this.options.logger?.warn({ operation, status: error.status, attempt, delayMs }, 'lakeFS call failed; retrying');
      await sleep(delayMs);
    }
  }

  private shouldRetry(spec: RequestSpec, error: LakefsError, attempt: number): boolean {
    if (attempt >= this.retry.attempts || !error.retryable) return false;
    // A POST that may have reached lakeFS is only repeated when lakeFS said it did not act.
    return IDEMPOTENT.has(spec.method) || error.code === 'TOO_MANY_REQUESTS' || error.status === 503;
  }

  private fetchOnce(spec: RequestSpec): Promise<Response> {
    const url = new URL(this.baseUrl + spec.path);
    for (const [key, value] of Object.entries(spec.query ?? {})) {
      if (Array.isArray(value)) for (const item of value) url.searchParams.append(key, item);
      else if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const headers: Record<string, string> = { authorization: this.authorization, accept: 'application/json' };
    let body: string | Uint8Array | undefined;
    if (spec.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(spec.json);
    } else if (spec.body !== undefined) {
      headers['content-type'] = spec.contentType ?? 'application/octet-stream';
      body = spec.body;
    }
    return fetch(url, { method: spec.method, headers, body, signal: AbortSignal.timeout(this.timeoutMs), redirect: 'manual' });
  }
}

async function readMessage(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  try {
    const parsed = JSON.parse(text) as { message?: unknown };
    if (typeof parsed.message === 'string') return parsed.message;
  } catch {
    // not JSON: fall through to the raw text
  }
  return text.slice(0, 500) || response.statusText;
}

function describeNetworkError(cause: unknown): string {
  if (cause instanceof Error) {
    const code = (cause.cause as { code?: string } | undefined)?.code;
    if (cause.name === 'TimeoutError') return 'timed out';
    return code ? `${cause.message} (${code})` : cause.message;
  }
  return String(cause);
}
