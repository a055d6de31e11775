import type { EnvReader } from '@lakemirror/config';
import { PipelineSettings, readPipelineSettings } from '@lakemirror/pipeline';

/** Settings of the API beyond the common configuration. */
export interface ApiSettings {
  /** lakeFS user IDs allowed to manage policies and open Bull Board; they pass every policy check. */
  adminUsers: string[];
  /** How long a verified access key is trusted before lakeFS is asked again. */
  authCacheSeconds: number;
  /** The pipeline's settings: the API reads its stall threshold and enqueues on-demand scans. */
  pipeline: PipelineSettings;
}

export function readApiSettings(env: EnvReader): ApiSettings {
  const admins = (env.optional('LAKEMIRROR_ADMIN_USERS') ?? '').split(',').map((u) => u.trim()).filter(Boolean);
  const cache = env.optional('LAKEMIRROR_AUTH_CACHE_SECONDS') ?? '30';
  const authCacheSeconds = Number(cache);
  if (!Number.isInteger(authCacheSeconds) || authCacheSeconds < 0 || authCacheSeconds > 3600) {
    env.problems.push(`LAKEMIRROR_AUTH_CACHE_SECONDS must be a whole number of seconds from 0 to 3600, got "${cache}"`);
  }
  return { adminUsers: admins, authCacheSeconds, pipeline: readPipelineSettings(env) };
}

export const API_SETTINGS = Symbol('API_SETTINGS');
