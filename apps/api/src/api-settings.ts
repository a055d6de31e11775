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
  const admins = (env.optional('LAKEMIRROR_ADMIN_USERS') ?? '')
    .split(',')
    .map((u) => u.trim())
    .filter(Boolean);
  return { adminUsers: admins, authCacheSeconds: env.integer('LAKEMIRROR_AUTH_CACHE_SECONDS', 30, 0, 3600), pipeline: readPipelineSettings(env) };
}

export const API_SETTINGS = Symbol('API_SETTINGS');
