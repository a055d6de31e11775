import { setTimeout as sleep } from 'node:timers/promises';
import type { MirrorStatus } from '@lakemirror/pipeline';
import { renderStatus } from './status-view';

const USAGE = ['usage: lakemirror status <source-repository> <mirror> [--watch]', '       lakemirror retry <source-repository> <mirror> <commit>'].join('\n');

/** Credentials and address of the replication API, from the environment (lakectl's variable names work too). */
function apiSettings(env: NodeJS.ProcessEnv): { url: string; authorization: string } {
  const keyId = env.LAKEMIRROR_ACCESS_KEY_ID ?? env.LAKECTL_CREDENTIALS_ACCESS_KEY_ID ?? env.LAKEMIRROR_SOURCE_LAKEFS_ACCESS_KEY_ID;
  const secret = env.LAKEMIRROR_SECRET_ACCESS_KEY ?? env.LAKECTL_CREDENTIALS_SECRET_ACCESS_KEY ?? env.LAKEMIRROR_SOURCE_LAKEFS_SECRET_ACCESS_KEY;
  if (!keyId || !secret) throw new Error('set LAKEMIRROR_ACCESS_KEY_ID and LAKEMIRROR_SECRET_ACCESS_KEY (your lakeFS key) to call the replication API');
  const url = (env.LAKEMIRROR_API_URL ?? `http://127.0.0.1:${env.LAKEMIRROR_API_PORT ?? 8080}`).replace(/\/$/, '');
  return { url, authorization: `Basic ${Buffer.from(`${keyId}:${secret}`).toString('base64')}` };
}

type Api = { url: string; authorization: string };

/** Calls the mirror's `path` on the replication API; a non-2xx answer is an error with the API's message. */
async function callMirror(api: Api, repository: string, mirror: string, path: string, method = 'GET'): Promise<unknown> {
  const address = `${api.url}/service/replication/v1/repositories/${encodeURIComponent(repository)}/mirrors/${encodeURIComponent(mirror)}/${path}`;
  const response = await fetch(address, { method, headers: { authorization: api.authorization } }).catch((error: Error) => {
    throw new Error(`cannot reach the replication API at ${api.url}: ${(error.cause as Error | undefined)?.message ?? error.message}`);
  });
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as { message?: string };
    throw new Error(`${response.status}: ${body.message ?? response.statusText}`);
  }
  return response.json();
}

async function fetchStatus(api: Api, repository: string, mirror: string): Promise<MirrorStatus> {
  return (await callMirror(api, repository, mirror, 'status')) as MirrorStatus;
}

/** Asks for a fresh verification of a failed commit (after its cause was fixed). */
async function retryCommit(api: Api, repository: string, mirror: string, commit: string): Promise<void> {
  const answer = (await callMirror(api, repository, mirror, `commits/${encodeURIComponent(commit)}/retry`, 'POST')) as { message: string };
  process.stdout.write(`${answer.message}\n`);
}

async function main(argv: string[]): Promise<void> {
  const args = argv.filter((a) => !a.startsWith('--'));
  const watch = argv.includes('--watch');
  const [command, repository, mirror, commit] = args;
  if (command === 'retry' && repository && mirror && commit && args.length === 4) return retryCommit(apiSettings(process.env), repository, mirror, commit);
  if (command !== 'status' || !repository || !mirror || args.length > 3) throw new Error(USAGE);
  const api = apiSettings(process.env);
  for (;;) {
    const text = renderStatus(repository, await fetchStatus(api, repository, mirror));
    process.stdout.write(watch && process.stdout.isTTY ? `\x1b[2J\x1b[H${text}\n` : `${text}\n`);
    if (!watch) return;
    await sleep(1_000);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`lakemirror: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
