import { runAppExpectingExit, startAppProcess } from '@lakemirror/testing';

describe.each(['api', 'scanner', 'verifier', 'promoter'])('the %s app', (app) => {
  const portVariable = `LAKEMIRROR_${app.toUpperCase()}_PORT`;

  it('starts with the environment settings, serves health, logs JSON with its name, and stops cleanly on SIGTERM', async () => {
    const running = await startAppProcess(app, { LAKEMIRROR_LOG_LEVEL: 'info' });
    let code: number | null;
    try {
      const health = await fetch(`${running.url}/health`);
      expect(health.status).toBe(200);
      const started = running
        .output()
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line))
        .find((line) => line.msg === `${app} started`);
      expect(started).toMatchObject({ app, port: running.port, regions: (process.env.LAKEMIRROR_REGIONS as string).split(',') });
      expect(running.output()).not.toContain(process.env.LAKEMIRROR_SOURCE_LAKEFS_SECRET_ACCESS_KEY as string);
    } finally {
      code = await running.stop();
    }
    expect(code).toBe(0);
    expect(running.output()).toContain(`"msg":"${app} stopped"`);
  });

  it('refuses to start on a wrong setting, with one readable line and exit code 1', async () => {
    const { code, output } = await runAppExpectingExit(app, { LAKEMIRROR_REDIS_URL: 'http://nowhere', [portVariable]: 'not-a-port' });
    expect(code).toBe(1);
    expect(output.trim()).toBe(
      `${app}: invalid configuration: LAKEMIRROR_REDIS_URL must use redis: or rediss: (Redis for the job queues), got http:; ` +
        `${portVariable} must be a TCP port (1-65535), got "not-a-port"`,
    );
  });
});
