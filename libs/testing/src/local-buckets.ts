/**
 * The buckets of the local two-region environment, as scripts/env-up.sh wrote them to
 * .lakemirror/env (plain names: the clients are built by each test fixture from the config).
 */
export interface LocalBuckets {
  /** Region A's bucket, under the source lakeFS; MinIO replicates it to `regionB`. */
  source: string;
  /** Region B's bucket, under the destination lakeFS. */
  regionB: string;
}

export function localBuckets(env: NodeJS.ProcessEnv = process.env): LocalBuckets {
  return {
    source: required(env, 'LAKEMIRROR_SOURCE_BUCKET'),
    regionB: required(env, 'LAKEMIRROR_REGION_REGION_B_BUCKET'),
  };
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`${name} is not set: run scripts/env-up.sh`);
  return value;
}
