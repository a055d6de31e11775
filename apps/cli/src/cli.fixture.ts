import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { migratedSchema } from '@lakemirror/test-environment';
import { AppProcess, startAppProcess, uniqueName } from '@lakemirror/testing';

const run = promisify(execFile);
const bin = path.resolve(__dirname, '../../../bin/lakemirror');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs bin/lakemirror; resolves with its exit status and outputs whatever the status. */
export async function lakemirror(args: string[], env: Record<string, string>): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(bin, args, { env: { ...process.env, ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as CliResult;
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

export interface CliApi {
  schema: Awaited<ReturnType<typeof migratedSchema>>;
  api: AppProcess;
  /** The environment that points the CLI at this API. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

/** An API process on a migrated schema of the test's own, with `admin` as administrator. */
export async function startCliApi(schemaPrefix: string): Promise<CliApi> {
  const schema = await migratedSchema(schemaPrefix);
  const api = await startAppProcess('api', {
    LAKEMIRROR_DATABASE_SCHEMA: schema.schema,
    LAKEMIRROR_ADMIN_USERS: 'admin',
    LAKEMIRROR_QUEUE_PREFIX: uniqueName('lmq'),
  });
  return {
    schema,
    api,
    env: { LAKEMIRROR_API_URL: api.url },
    stop: async () => {
      await api.stop();
      await schema.drop();
    },
  };
}
