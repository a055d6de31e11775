import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { LAKEMIRROR_CONFIG } from '@lakemirror/app-runtime';
import type { LakemirrorConfig } from '@lakemirror/config';
import { LakefsClient, LakefsUnauthorizedError } from '@lakemirror/lakefs-client';
import { API_SETTINGS, ApiSettings } from '../api-settings';

const MAX_CACHED = 10_000;

/**
 * Verifies a caller's lakeFS access key and secret by asking the source lakeFS who they are.
 * Answers are cached for a short, bounded time under a hash of the credentials (never the secret itself).
 */
@Injectable()
export class LakefsAuthenticatorService {
  private readonly cache = new Map<string, { userId: string; expiresAt: number }>();

  constructor(
    @Inject(LAKEMIRROR_CONFIG) private readonly config: LakemirrorConfig,
    @Inject(API_SETTINGS) private readonly settings: ApiSettings,
  ) {}

  /** The caller's lakeFS user ID, or undefined when lakeFS does not accept the credentials. */
  async userFor(accessKeyId: string, secretAccessKey: string): Promise<string | undefined> {
    const key = createHash('sha256').update(`${accessKeyId}\u0000${secretAccessKey}`).digest('hex');
    const cached = this.cache.get(key);
    if (cached && cached.expiresAt > Date.now()) return cached.userId;
    const lakefs = new LakefsClient({ endpoint: this.config.source.lakefs.endpoint, credentials: { accessKeyId, secretAccessKey } });
    try {
      const user = await lakefs.currentUser();
      if (this.cache.size >= MAX_CACHED) this.cache.delete(this.cache.keys().next().value as string);
      this.cache.set(key, { userId: user.id, expiresAt: Date.now() + this.settings.authCacheSeconds * 1000 });
      return user.id;
    } catch (error) {
      if (error instanceof LakefsUnauthorizedError) return undefined;
      throw error;
    }
  }
}
