import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { freePort } from './free-port';
import { waitFor } from './wait-for';

const root = path.resolve(__dirname, '../../..');

/** Where an app's code comes from: its TypeScript sources, or its production bundle (dist/<app>/main.js, plain node). */
export type AppCode = 'sources' | 'dist';

/** A lakemirror app running as its own process, as in production (scripts/run-app.sh). */
export interface AppProcess {
  app: string;
  from: AppCode;
  url: string;
  port: number;
  pid: number;
  /** Everything the process printed so far (logs), for assertions and failure messages. */
  output(): string;
  /** SIGTERM, then waits for the exit; resolves with the exit code (null when it had already ended by a signal). */
  stop(): Promise<number | null>;
  /** SIGKILL: a crash, with no shutdown hooks. */
  kill(): Promise<void>;
}

/** Starts `app` on a free port (or `options.port`) with `env` over the test's environment, and waits until its /health answers. */
export async function startAppProcess(app: string, env: Record<string, string> = {}, options: { from?: AppCode; port?: number } = {}): Promise<AppProcess> {
  const from = options.from ?? 'sources';
  // A fixed port only for what others must find there (MinIO's object-event webhook).
  const port = options.port ?? (await freePort());
  const portVariable = `LAKEMIRROR_${app.toUpperCase()}_PORT`;
  const child: ChildProcess = spawn('bash', ['scripts/run-app.sh', app], {
    cwd: root,
    env: { ...process.env, LAKEMIRROR_LOG_LEVEL: 'warn', ...env, [portVariable]: String(port), LAKEMIRROR_RUN_FROM: from },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr?.on('data', (d) => (output += d));
  child.stdout?.on('data', (d) => (output += d));
  const url = `http://127.0.0.1:${port}`;
  const exit = once(child, 'exit');
  try {
    // Generous: tests start four or five apps at once, and on a busy 2-core machine each takes 10-30 s.
    await waitFor(
      `${app} on ${url}`,
      async () => {
        if (child.exitCode !== null) throw new Error(`${app} exited with code ${child.exitCode}`);
        return (await fetch(`${url}/health`).catch(() => undefined))?.ok ?? false;
      },
      { timeoutMs: 60_000 },
    );
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}; its output: ${output.slice(-2000)}`);
  }
  const end = async (signal: NodeJS.Signals): Promise<number | null> => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    const [code] = (await exit) as [number | null];
    return code;
  };
  return {
    app,
    from,
    url,
    port,
    pid: child.pid as number,
    output: () => output,
    stop: () => end('SIGTERM'),
    kill: async () => {
      await end('SIGKILL');
    },
  };
}

/** Runs `app` expecting it to refuse to start: resolves with its exit code and output. */
export async function runAppExpectingExit(app: string, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn('bash', ['scripts/run-app.sh', app], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stderr?.on('data', (d) => (output += d));
  child.stdout?.on('data', (d) => (output += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  const [code] = await once(child, 'exit');
  clearTimeout(timer);
  return { code, output };
}
