import { once } from 'node:events';
import { Server, createServer } from 'node:http';
import { FaultProxy } from './fault-proxy';

// The proxy in front of a small HTTP server of the test's own, which echoes what it received.
describe('FaultProxy', () => {
  let target: Server;
  let received: string[];
  let proxy: FaultProxy;

  beforeEach(async () => {
    received = [];
    target = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        received.push(`${req.method} ${req.url}`);
        res.writeHead(201, { 'x-echo-host': req.headers.host ?? '' });
        res.end(`${req.method} ${req.url} ${body}`);
      });
    }).listen(0, '127.0.0.1');
    await once(target, 'listening');
    proxy = await FaultProxy.start(`http://127.0.0.1:${(target.address() as { port: number }).port}`);
  });
  afterEach(async () => {
    await proxy.stop();
    target.closeAllConnections();
    await new Promise((resolve) => target.close(resolve));
  });

  const post = (path: string, body = 'payload', signal?: AbortSignal) => fetch(`${proxy.url}${path}`, { method: 'POST', body, signal });

  it('passes requests through unchanged, Host header included, and counts them', async () => {
    const response = await post('/a/b?c=d');
    expect(response.status).toBe(201);
    expect(await response.text()).toBe('POST /a/b?c=d payload');
    expect(response.headers.get('x-echo-host')).toBe(`127.0.0.1:${proxy.port}`);
    expect(proxy.requests()).toBe(1);
    expect(proxy.requests('pass')).toBe(1);
  });

  it('refuses connections while down, and listens on the same port again afterwards', async () => {
    await proxy.down();
    const refused = await post('/down').catch((error: Error) => error);
    expect((refused as Error & { cause?: { code?: string } }).cause?.code).toBe('ECONNREFUSED');
    await proxy.pass();
    expect((await post('/up')).status).toBe(201);
    expect(received).toEqual(['POST /up']);
  });

  it('drops open keep-alive connections when going down', async () => {
    expect((await post('/first')).status).toBe(201);
    await proxy.down();
    await expect(post('/second')).rejects.toThrow();
    expect(received).toEqual(['POST /first']);
  });

  it('answers only after the delay when slow', async () => {
    await proxy.slow(400);
    const started = Date.now();
    const response = await post('/slow');
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
    expect(await response.text()).toBe('POST /slow payload');
    expect(proxy.requests('slow')).toBe(1);
  });

  it('answers the chosen 5xx status itself, forwarding nothing', async () => {
    await proxy.http5xx(503);
    const response = await post('/fails');
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ message: 'fault injected: HTTP 503' });
    await proxy.http5xx(500);
    expect((await post('/fails-again')).status).toBe(500);
    expect(received).toEqual([]);
    expect(proxy.requests('http5xx')).toBe(2);
  });

  it('applies a fault only to the requests it is told to, passing the others', async () => {
    await proxy.http5xx(500, (request) => request.method === 'HEAD');
    expect((await fetch(`${proxy.url}/checked`, { method: 'HEAD' })).status).toBe(500);
    expect((await post('/read')).status).toBe(201);
    expect(received).toEqual(['POST /read']);
    expect([proxy.requests('http5xx'), proxy.requests('pass')]).toEqual([1, 1]);
  });

  it('accepts but never answers in a blackhole, even after it ends', async () => {
    await proxy.blackhole();
    const held = post('/held', 'payload', AbortSignal.timeout(2_000)).catch((error: Error) => error.name);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await proxy.pass();
    expect((await post('/after')).status).toBe(201);
    expect(await held).toBe('TimeoutError');
    expect(received).toEqual(['POST /after']);
    expect(proxy.requests('blackhole')).toBe(1);
  });
});
