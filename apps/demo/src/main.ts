import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadConfig } from '@lakemirror/config';
import { LakefsClient, collect } from '@lakemirror/lakefs-client';
import { mapWithConcurrency } from '@lakemirror/object-store';
import type { MirrorStatus } from '@lakemirror/pipeline';
import { Progress } from './progress';

// The demo: a source repository on region A's lakeFS, a mirror created through the replication
// API (with curl, as in lakeFS Cloud's documentation), and the running scanner, verifier and
// promoter moving the mirror branch in region B once each commit is complete there.

const API = `http://127.0.0.1:${process.env.LAKEMIRROR_API_PORT ?? 8080}`;
const step = (text: string) => process.stdout.write(`\n${text}\n`);

async function uploadAndCommit(source: LakefsClient, repo: string, branch: string, folder: string, count: number, message: string): Promise<string> {
  const upload = new Progress(`uploading ${folder}`, count);
  let uploaded = 0;
  await mapWithConcurrency([...Array(count).keys()], 8, async (i) => {
    await source.uploadObject(repo, branch, `${folder}/part-${String(i).padStart(5, '0')}.csv`, `order,amount\n${i},${randomBytes(2).readUInt16BE()}\n`);
    upload.update(++uploaded);
  });
  const commit = await source.commit(repo, branch, { message });
  process.stdout.write(`  committed ${commit.id.slice(0, 12)} "${message}" on ${branch}\n`);
  return commit.id;
}

/** Polls the mirror's status until its branch shows `head`, drawing the progress of the commits in flight. */
async function watchCatchUp(auth: string, repo: string, mirror: string, branch: string, head: string): Promise<number> {
  const started = Date.now();
  let shown = '';
  for (;;) {
    const response = await fetch(`${API}/service/replication/v1/repositories/${repo}/mirrors/${mirror}/status`, { headers: { authorization: auth } });
    if (!response.ok) throw new Error(`status: ${response.status} ${await response.text()}`);
    const status = (await response.json()) as MirrorStatus;
    const checked = status.in_flight.reduce((n, c) => n + c.objects_checked, 0);
    const total = status.in_flight.reduce((n, c) => n + c.objects_total, 0);
    const missing = status.in_flight.flatMap((c) => c.missing_objects.map((m) => m.key));
    const line = `  ${status.in_flight.length} commit(s) in flight, objects checked ${checked}/${total}${missing.length ? `, waiting for ${missing.length} object(s) to replicate` : ''}`;
    if (line !== shown && status.in_flight.length > 0) process.stdout.write(`${line}\n`);
    shown = line;
    if (status.branches.find((b) => b.branch === branch)?.mirrored_head === head) return (Date.now() - started) / 1000;
    if (Date.now() - started > 180_000) throw new Error(`the mirror did not catch up within 3 minutes; see: bin/lakemirror status ${repo} ${mirror}`);
    await sleep(200);
  }
}

async function main(): Promise<void> {
  const config = loadConfig();
  const region = config.regions[0];
  const source = new LakefsClient({ endpoint: config.source.lakefs.endpoint, credentials: config.source.lakefs });
  const destination = new LakefsClient({ endpoint: region.lakefs.endpoint, credentials: region.lakefs });
  const { accessKeyId } = config.source.lakefs;
  const secret = config.source.lakefs.secretAccessKey.reveal();
  const auth = `Basic ${Buffer.from(`${accessKeyId}:${secret}`).toString('base64')}`;
  const repo = `demo-${new Date().toISOString().slice(0, 19).replace(/[-:T]/g, '').toLowerCase()}`;
  const mirror = `${repo}-eu`;
  // Under mirrors/: the root that LAKEMIRROR_REGION_REGION_B_STORAGE_NAMESPACES allows (scripts/env-up.sh).
  const sourceNamespace = `s3://${process.env.LAKEMIRROR_SOURCE_BUCKET}/mirrors/${repo}`;
  const mirrorNamespace = `s3://${process.env.LAKEMIRROR_REGION_REGION_B_BUCKET}/mirrors/${repo}`;

  step(`1. Source repository "${repo}" on ${config.source.lakefs.endpoint} (region A)`);
  await source.createRepository({ name: repo, storage_namespace: sourceNamespace, default_branch: 'main' });
  await uploadAndCommit(source, repo, 'main', 'sales/2026-11', 100, 'November sales');

  step(`2. A mirror in region B, created through the replication API with curl`);
  const body = JSON.stringify({ name: mirror, region: region.name, storage_namespace: mirrorNamespace });
  process.stdout.write(
    `  curl -u "$ACCESS_KEY_ID:$SECRET_ACCESS_KEY" -X POST -H 'Content-Type: application/json' \\\n    ${API}/service/replication/v1/repositories/${repo}/mirrors -d '${body}'\n`,
  );
  const created = execFileSync('curl', [
    '-sS',
    '-u',
    `${accessKeyId}:${secret}`,
    '-X',
    'POST',
    '-H',
    'Content-Type: application/json',
    `${API}/service/replication/v1/repositories/${repo}/mirrors`,
    '-d',
    body,
  ]).toString();
  process.stdout.write(`  ${created}\n`);

  step('3. The pipeline mirrors the existing history: scanner → verifier (objects in region B) → promoter');
  let head = (await source.getBranch(repo, 'main')).commit_id;
  let seconds = await watchCatchUp(auth, repo, mirror, 'main', head);
  process.stdout.write(`  mirror main is at ${head.slice(0, 12)} after ${seconds.toFixed(1)}s\n`);

  step('4. More data on the source: a branch with a day of orders, merged into main');
  await source.createBranch(repo, 'ingest', 'main');
  await uploadAndCommit(source, repo, 'ingest', 'sales/2026-12-01', 300, 'December 1st');
  head = await source.merge(repo, 'ingest', 'main', { message: 'merge ingest' });
  process.stdout.write(`  merged into main: ${head.slice(0, 12)}\n`);
  seconds = await watchCatchUp(auth, repo, mirror, 'main', head);
  process.stdout.write(`  mirror main moved to ${head.slice(0, 12)} ${seconds.toFixed(1)}s after the merge (replication included)\n`);

  step('5. Reading every object through the mirror and comparing bytes with the source');
  const objects = await collect(source.listObjects(repo, 'main'));
  const verify = new Progress('identical', objects.length);
  let same = 0;
  await mapWithConcurrency(objects, 8, async (object) => {
    const [a, b] = await Promise.all([source.getObject(repo, 'main', object.path), destination.getObject(mirror, 'main', object.path)]);
    if (!a.equals(b)) throw new Error(`${object.path} differs between source and mirror`);
    verify.update(++same);
  });
  process.stdout.write(`\n${execFileSync('bash', ['bin/lakemirror', 'status', repo, mirror]).toString()}`);

  step('Done. The four apps keep running; look around:');
  process.stdout.write(
    [
      `  API docs        ${API}/service/replication/v1/docs`,
      `  Bull Board      ${API}/service/replication/v1/admin/queues  (user: the source lakeFS key in .lakemirror/env)`,
      `  status          bin/lakemirror status ${repo} ${mirror} --watch`,
      `  status page     ${API}/service/replication/v1/ui/status  (same user)`,
      `  command line    bin/lakemirror --help  (pause, audit, hooks, promote, ...)`,
      `  source lakeFS   ${config.source.lakefs.endpoint}  repository ${repo}`,
      `  mirror lakeFS   ${region.lakefs.endpoint}  repository ${mirror}  (read-only)`,
      `  credentials     .lakemirror/env (local development only)`,
      `  stop everything scripts/env-down.sh`,
      '',
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
