import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { freePort, waitFor } from '@lakemirror/testing';

const root = path.resolve(__dirname, '../../..');


function start(app: string, env: NodeJS.ProcessEnv): { child: ChildProcess; output: () => string } {
  const child = spawn('bash', ['scripts/run-app.sh', app], { cwd: root, env: { ...process.env, ...env } });
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  return { child, output: () => output };
}

describe.each(['api', 'scanner', 'verifier', 'promoter'])('the %s app', (app) => {
  const portVariable = `LAKEMIRROR_${app.toUpperCase()}_PORT`;

  it('starts with the environment settings, serves health, logs JSON with its name, and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const { child, output } = start(app, { [portVariable]: String(port) });
    try {
      const health = await waitFor(`${app} to answer /health`, async () => {
        const response = await fetch(`http://127.0.0.1:${port}/health`).catch(() => undefined);
        return response?.ok ? response : undefined;
      });
      expect(health.status).toBe(200);
      const started = output()
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line))
        .find((line) => line.msg === `${app} started`);
      expect(started).toMatchObject({ app, port, regions: ['region-b'] });
      expect(output()).not.toContain(process.env.LAKEMIRROR_SOURCE_LAKEFS_SECRET_ACCESS_KEY as string);
    } finally {
      child.kill('SIGTERM');
    }
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    expect(output()).toContain(`"msg":"${app} stopped"`);
  });

  it('refuses to start on a wrong setting, with one readable line and exit code 1', async () => {
    const { child, output } = start(app, { LAKEMIRROR_REDIS_URL: 'http://nowhere', [portVariable]: 'not-a-port' });
    const [code] = await once(child, 'exit');
    expect(code).toBe(1);
    expect(output().trim()).toBe(
      `${app}: invalid configuration: LAKEMIRROR_REDIS_URL must use redis: or rediss: (Redis for the job queues), got http:; ` +
        `${portVariable} must be a TCP port (1-65535), got "not-a-port"`,
    );
  });
});
