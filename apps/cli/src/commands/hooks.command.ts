import { LakefsClient, LakefsError } from '@lakemirror/lakefs-client';
import { ApiClient, ApiError, ApiUnreachableError, lakefsKey, mirrorPath } from '../api-client';
import { UsageError } from '../cli-args';
import { CliCommand, CommandContext } from './command';
import { ACTIONS_FILE_PATH, MirrorWebhook, renderActionsFile } from './hooks-actions-file';

interface IssuedToken {
  mirror_id: string;
  token: string;
  hook_path: string;
}

interface HooksResult {
  repository: string;
  path: string;
  mirrors: { mirror_id: string; url: string; token: string; token_env?: string }[];
  actions_file: string;
  installed?: { branch: string; commit_id: string };
}

/** lakeFS reads `{{ ENV.NAME }}` in webhook properties from its own environment, only for names with its prefix (LAKEFSACTION_ by default). */
const tokenEnvName = (mirrorId: string) => `LAKEFSACTION_LAKEMIRROR_${mirrorId.toUpperCase().replace(/-/g, '_')}`;

export const hooksCommand: CliCommand = {
  name: 'hooks',
  usage: '<source-repository> [--mirror M] [--url URL] [--token-env] [--install [--yes]] [--json]',
  summary: 'print (--install: commit, after asking) a lakeFS actions file whose webhooks make the mirrors follow every change at once',
  valuedOptions: ['mirror', 'url'],
  async run(context) {
    const [repository] = context.positionals(1);
    const api = context.api();
    const base = hookBase(context.option('url') ?? api.url);
    const mirrors = await mirrorsToHook(api, repository, context.option('mirror'));
    const withTokens = await mirrorsWithTokens(api, repository, mirrors);
    const replacing =
      withTokens.length > 0 ? `; this replaces the hook tokens of ${withTokens.join(', ')}: hooks installed with them are refused from now on` : '';
    let install: { lakefs: LakefsClient; branch: string } | undefined;
    if (context.flag('install')) {
      const lakefs = sourceLakefs(context.env);
      const branch = await lakefsCall(async () => (await lakefs.getRepository(repository)).default_branch);
      await mustHaveNothingUncommitted(lakefs, repository, branch);
      const question = `commit ${ACTIONS_FILE_PATH} to ${repository}@${branch} on ${lakefs.endpoint}, with webhooks to ${base} for ${mirrors.join(', ')}${replacing}?`;
      if (!(await context.confirm(question))) throw new UsageError('not confirmed: nothing changed');
      install = { lakefs, branch };
    } else if (replacing && !(await context.confirm(`print a new actions file for ${mirrors.join(', ')}${replacing}?`))) {
      throw new UsageError('not confirmed: nothing changed');
    }
    const result = await issueAll(api, repository, mirrors, base, context.flag('token-env'));
    if (install) {
      result.installed = await commitActionsFile(install.lakefs, repository, install.branch, result).catch((error: unknown) => {
        process.stderr.write('lakemirror: new hook tokens are issued but the actions file was not committed: run this command again\n');
        throw error;
      });
    }
    report(context, result);
  },
};

async function mirrorsToHook(api: ApiClient, repository: string, mirror: string | undefined): Promise<string[]> {
  if (mirror !== undefined) return [(await api.request<{ id: string }>('GET', mirrorPath(repository, mirror))).id];
  const { results } = await api.request<{ results: { id: string }[] }>('GET', mirrorPath(repository));
  if (results.length === 0) throw new ApiError(404, `repository "${repository}" has no mirrors: create one first (lakemirror create)`);
  return results.map((m) => m.id);
}

/** The mirrors that have a hook token already (a new file makes it useless). */
async function mirrorsWithTokens(api: ApiClient, repository: string, mirrors: string[]): Promise<string[]> {
  const found = await Promise.all(
    mirrors.map((mirror) =>
      api.request('GET', mirrorPath(repository, mirror, 'hook-token')).then(
        () => true,
        (error: unknown) => {
          if (error instanceof ApiError && error.status === 404) return false;
          throw error;
        },
      ),
    ),
  );
  return mirrors.filter((_, i) => found[i]);
}

async function issueAll(api: ApiClient, repository: string, mirrors: string[], base: string, tokenEnv: boolean): Promise<HooksResult> {
  const issued: HooksResult['mirrors'] = [];
  for (const mirror of mirrors) {
    const token = await api.request<IssuedToken>('POST', mirrorPath(repository, mirror, 'hook-token'));
    issued.push({ mirror_id: token.mirror_id, url: `${base}${token.hook_path}`, token: token.token, token_env: tokenEnv ? tokenEnvName(mirror) : undefined });
  }
  const webhooks: MirrorWebhook[] = issued.map((m) => ({ mirrorId: m.mirror_id, url: m.url, token: m.token_env ? `{{ ENV.${m.token_env} }}` : m.token }));
  return { repository, path: ACTIONS_FILE_PATH, mirrors: issued, actions_file: renderActionsFile(repository, webhooks) };
}

/** A commit would take whatever else is uncommitted on the branch with it: refuse rather than commit someone's work. */
async function mustHaveNothingUncommitted(lakefs: LakefsClient, repository: string, branch: string): Promise<void> {
  const change = await lakefsCall(async () => {
    for await (const entry of lakefs.diffBranch(repository, branch, { amount: 1 })) return entry;
    return undefined;
  });
  if (change) {
    throw new ApiError(409, `${repository}@${branch} has uncommitted changes (e.g. ${change.path}); commit or reset them, or commit the printed file yourself`);
  }
}

async function commitActionsFile(
  lakefs: LakefsClient,
  repository: string,
  branch: string,
  result: HooksResult,
): Promise<{ branch: string; commit_id: string }> {
  return lakefsCall(async () => {
    await lakefs.uploadObject(repository, branch, ACTIONS_FILE_PATH, result.actions_file, { contentType: 'application/yaml' });
    const commit = await lakefs.commit(repository, branch, {
      message: `lakemirror: webhooks for mirror${result.mirrors.length > 1 ? 's' : ''} ${result.mirrors.map((m) => m.mirror_id).join(', ')}`,
      metadata: { 'lakemirror.hooks': 'lakemirror hooks --install' },
    });
    return { branch, commit_id: commit.id };
  });
}

function report(context: CommandContext, result: HooksResult): void {
  if (context.json) {
    context.write(JSON.stringify(result, null, 2));
    return;
  }
  // The file alone on stdout (to redirect into a file); what to do with it on stderr.
  if (result.installed) {
    context.write(
      `committed ${result.path} to ${result.repository}@${result.installed.branch} (commit ${result.installed.commit_id}): lakeFS now asks lakemirror to scan ${result.mirrors.map((m) => m.mirror_id).join(', ')} after every change`,
    );
  } else {
    context.write(result.actions_file);
    process.stderr.write(`commit this as ${result.path} to ${result.repository}'s default branch (or run lakemirror hooks ${result.repository} --install)\n`);
  }
  for (const mirror of result.mirrors.filter((m) => m.token_env)) {
    process.stderr.write(`set on the lakeFS server (it reads {{ ENV.* }} from its environment): ${mirror.token_env}=${mirror.token}\n`);
  }
}

/** The address lakeFS reaches lakemirror at: http(s), without a trailing slash. */
function hookBase(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`--url "${url}" is not a URL (e.g. http://lakemirror.internal:8080)`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new UsageError(`--url "${url}" must be http or https`);
  return url.replace(/\/+$/, '');
}

/** The source lakeFS, with the caller's own lakeFS key (the one the API is called with). */
function sourceLakefs(env: NodeJS.ProcessEnv): LakefsClient {
  const endpoint = env.LAKECTL_SERVER_ENDPOINT_URL ?? env.LAKEMIRROR_SOURCE_LAKEFS_ENDPOINT;
  if (!endpoint) throw new UsageError('--install needs the source lakeFS address: set LAKECTL_SERVER_ENDPOINT_URL (or LAKEMIRROR_SOURCE_LAKEFS_ENDPOINT)');
  return new LakefsClient({ endpoint, credentials: lakefsKey(env) });
}

/** lakeFS's refusals exit like the API's (401/403 denied, 404 not found, 409 conflict); no answer at all is "unavailable". */
async function lakefsCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (!(error instanceof LakefsError)) throw error;
    if (error.status === undefined) throw new ApiUnreachableError(`cannot reach the source lakeFS: ${error.message}`);
    throw new ApiError(error.status, error.message);
  }
}
