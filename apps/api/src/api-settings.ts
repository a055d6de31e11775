import { EnvReader, Secret } from '@lakemirror/config';
import { PipelineSettings, readPipelineSettings } from '@lakemirror/pipeline';
import { TrustedProxies, parseTrustedProxies } from './security/trusted-proxies';

/** Settings of the API beyond the common configuration. */
export interface ApiSettings {
  /** lakeFS user IDs allowed to manage policies and open Bull Board; they pass every policy check. */
  adminUsers: string[];
  /** How long a verified access key is trusted before lakeFS is asked again. */
  authCacheSeconds: number;
  /** Failed authentications allowed per client address and per access key ID in a minute; then 429. */
  authFailuresPerMinute: number;
  /** Expensive calls (create, scan, status, retry) allowed per caller in a minute; then 429. */
  expensiveCallsPerMinute: number;
  /** Which proxies' X-Forwarded-For names the client (Express's "trust proxy"). */
  trustedProxies: TrustedProxies;
  /** Bearer token for /metrics and the readiness details; without it, only admins' basic credentials open them. */
  metricsToken?: Secret;
  /** Bearer token of the mirror buckets' object-created notifications; without it, POST /object-events answers 404. */
  objectEventsToken?: Secret;
  /** The pipeline's settings: the API reads its stall threshold and enqueues on-demand scans. */
  pipeline: PipelineSettings;
}

const MIN_METRICS_TOKEN_LENGTH = 16;

function readMetricsToken(env: EnvReader): Secret | undefined {
  const token = env.optional('LAKEMIRROR_METRICS_TOKEN');
  if (token === undefined) return undefined;
  if (token.length < MIN_METRICS_TOKEN_LENGTH || /\s/.test(token)) {
    env.problems.push(`LAKEMIRROR_METRICS_TOKEN must be at least ${MIN_METRICS_TOKEN_LENGTH} characters without spaces (e.g. openssl rand -hex 32)`);
    return undefined;
  }
  return new Secret(token);
}

function readToken(env: EnvReader, name: string): Secret | undefined {
  const token = env.optional(name);
  if (token === undefined) return undefined;
  if (token.length < MIN_METRICS_TOKEN_LENGTH || /\s/.test(token)) {
    env.problems.push(`${name} must be at least ${MIN_METRICS_TOKEN_LENGTH} characters without spaces (e.g. openssl rand -hex 32)`);
    return undefined;
  }
  return new Secret(token);
}

export function readApiSettings(env: EnvReader): ApiSettings {
  const admins = (env.optional('LAKEMIRROR_ADMIN_USERS') ?? '')
    .split(',')
    .map((u) => u.trim())
    .filter(Boolean);
  const proxies = parseTrustedProxies(env.optional('LAKEMIRROR_TRUSTED_PROXIES'));
  if (proxies.problem) env.problems.push(proxies.problem);
  return {
    adminUsers: admins,
    authCacheSeconds: env.integer('LAKEMIRROR_AUTH_CACHE_SECONDS', 30, 0, 3600),
    authFailuresPerMinute: env.integer('LAKEMIRROR_AUTH_FAILURES_PER_MINUTE', 20, 1, 10_000),
    expensiveCallsPerMinute: env.integer('LAKEMIRROR_EXPENSIVE_CALLS_PER_MINUTE', 600, 1, 100_000),
    trustedProxies: proxies.trusted,
    metricsToken: readMetricsToken(env),
    objectEventsToken: readToken(env, 'LAKEMIRROR_OBJECT_EVENTS_TOKEN'),
    pipeline: readPipelineSettings(env),
  };
}

export const API_SETTINGS = Symbol('API_SETTINGS');
