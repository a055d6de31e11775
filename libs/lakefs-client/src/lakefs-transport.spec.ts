import { AddressInfo } from 'node:net';
import { Server, createServer } from 'node:http';
import { LakefsNotFoundError, LakefsServerError, LakefsUnavailableError } from './lakefs.errors';
import { LakefsTransport } from './lakefs-transport';

// The transport's retry rules, exercised against a scripted HTTP server (no lakeFS semantics involved;
// lakeFS itself is exercised by the integration tests).
describe('LakefsTransport retries', () => {
  let server: Server;
  let statuses: number[];
  let requests: { method?: string; authorization?: string }[];

  beforeEach(async () => {
    statuses = [];
    requests = [];
    server = createServer((req, res) => {
      requests.push({ method: req.method, authorization: req.headers.authorization });
      const status = statuses.shift() ?? 200;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(status === 200 ? { ok: true } : { message: `status ${status}` }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterEach(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const transport = (attempts = 4) =>
    new LakefsTransport({
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      credentials: { accessKeyId: 'AKIATEST', secretAccessKey: 'very-secret-value' },
      retry: { attempts, baseMs: 1, capMs: 5 },
    });

  it('retries 429 and 5xx on reads, then succeeds', async () => {
    statuses = [429, 500, 502];
    await expect(transport().json({ method: 'GET', path: '/repositories' })).resolves.toEqual({ ok: true });
    expect(requests).toHaveLength(4);
    expect(requests[0].authorization).toBe(`Basic ${Buffer.from('AKIATEST:very-secret-value').toString('base64')}`);
  });

  it('gives up after the configured attempts with the last error', async () => {
    statuses = [500, 500, 500, 500, 500];
    await expect(transport(3).json({ method: 'GET', path: '/x' })).rejects.toBeInstanceOf(LakefsServerError);
    expect(requests).toHaveLength(3);
  });

  it('never retries a 4xx', async () => {
    statuses = [404];
    await expect(transport().json({ method: 'GET', path: '/x' })).rejects.toBeInstanceOf(LakefsNotFoundError);
    expect(requests).toHaveLength(1);
  });

  it('does not repeat a POST after a 500 (it may have taken effect) but does after a 503', async () => {
    statuses = [500];
    await expect(transport().json({ method: 'POST', path: '/x', json: {} })).rejects.toBeInstanceOf(LakefsServerError);
    expect(requests).toHaveLength(1);
    requests = [];
    statuses = [503];
    await expect(transport().json({ method: 'POST', path: '/x', json: {} })).resolves.toEqual({ ok: true });
    expect(requests).toHaveLength(2);
  });

  it('reports an unreachable server as unavailable without credentials in the message', async () => {
    const port = (server.address() as AddressInfo).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const unreachable = new LakefsTransport({
      endpoint: `http://127.0.0.1:${port}`,
      credentials: { accessKeyId: 'AKIATEST', secretAccessKey: 'very-secret-value' },
      retry: { attempts: 2, baseMs: 1, capMs: 2 },
    });
    const error = await unreachable.json({ method: 'GET', path: '/user' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LakefsUnavailableError);
    expect(String((error as Error).message)).not.toContain('very-secret-value');
    server = createServer().listen(0, '127.0.0.1');
  });
});
