import { Injectable } from '@nestjs/common';
import { HeadBucketCommand } from '@aws-sdk/client-s3';
import { LakefsClient } from '@lakemirror/lakefs-client';
import type { RegionStatus, ServiceReachability } from './mirror-status.dto';
import { RegionClients } from './region-clients';

/** How long one probe may take: an unreachable region must not hold up the status for long. */
export const REACHABILITY_TIMEOUT_MS = 2_000;
/** How long a probe's answer is reused: status and metrics may be asked often, a region need not be probed each time. */
export const REACHABILITY_CACHE_MS = 3_000;

/**
 * Whether a mirror region answers right now: its lakeFS (the authenticated user, with the
 * region's credentials) and its object store (HeadBucket of the mirror's bucket), each with a
 * short time-out and a single try. Probed when asked and cached for a few seconds, so the answer
 * follows the region down and back up without any worker having to report it.
 */
@Injectable()
export class RegionReachability {
  private readonly cache = new Map<string, { until: number; status: Promise<RegionStatus> }>();
  private readonly probes = new Map<string, LakefsClient>();

  constructor(private readonly clients: RegionClients) {}

  of(regionName: string, bucket: string, now = Date.now()): Promise<RegionStatus> {
    const key = `${regionName}/${bucket}`;
    const cached = this.cache.get(key);
    if (cached && cached.until > now) return cached.status;
    const status = this.probe(regionName, bucket);
    this.cache.set(key, { until: now + REACHABILITY_CACHE_MS, status });
    return status;
  }

  private async probe(regionName: string, bucket: string): Promise<RegionStatus> {
    const [lakefs, objectStore] = await Promise.all([
      reachability(() => this.lakefsProbe(regionName).currentUser()),
      reachability(() =>
        this.clients.objectStore(regionName).send(new HeadBucketCommand({ Bucket: bucket }), { abortSignal: AbortSignal.timeout(REACHABILITY_TIMEOUT_MS) }),
      ),
    ]);
    return {
      name: regionName,
      reachable: lakefs.reachable && objectStore.reachable,
      lakefs,
      object_store: objectStore,
      checked_at: new Date().toISOString(),
    };
  }

  /** A client of the region's lakeFS of its own: one try and a short time-out, unlike the pipeline's. */
  private lakefsProbe(regionName: string): LakefsClient {
    let client = this.probes.get(regionName);
    if (!client) {
      const region = this.clients.region(regionName);
      client = new LakefsClient({
        endpoint: region.lakefs.endpoint,
        credentials: region.lakefs,
        retry: { attempts: 1, baseMs: 10, capMs: 10 },
        timeoutMs: REACHABILITY_TIMEOUT_MS,
      });
      this.probes.set(regionName, client);
    }
    return client;
  }
}

async function reachability(call: () => Promise<unknown>): Promise<ServiceReachability> {
  try {
    await call();
    return { reachable: true, error: null };
  } catch (error) {
    return { reachable: false, error: describe(error) };
  }
}

/** What went wrong, in words fit for an operator (errors of lakeFS and S3 carry no credentials). */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === 'AbortError' || error.name === 'TimeoutError') return `no answer within ${REACHABILITY_TIMEOUT_MS} ms`;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  const code = (error as { code?: string }).code ?? (error.cause as { code?: string } | undefined)?.code;
  const detail = error.message && error.message !== 'UnknownError' ? error.message : error.name;
  return [status && `HTTP ${status}`, detail, code && !detail.includes(code) ? `(${code})` : undefined].filter(Boolean).join(' ');
}
