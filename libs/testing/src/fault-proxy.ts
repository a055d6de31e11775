import { once } from 'node:events';
import { Agent, IncomingMessage, Server, ServerResponse, createServer, request } from 'node:http';
import type { Socket } from 'node:net';
import { freePort } from './free-port';

/** Which requests a fault applies to (the others pass); by default, all of them. */
export type RequestFilter = (request: { method: string; url: string }) => boolean;

/**
 * How the proxy treats what reaches it:
 * - `pass`: forwards every request to the server behind it;
 * - `down`: stops listening and drops open connections, so clients get "connection refused";
 * - `slow`: forwards each request only after `delayMs`;
 * - `http5xx`: answers every request with `status` itself, forwarding nothing;
 * - `blackhole`: accepts connections and requests and never answers them (not even later).
 */
export type FaultMode =
  | { kind: 'pass' }
  | { kind: 'down' }
  | { kind: 'slow'; delayMs: number; only?: RequestFilter }
  | { kind: 'http5xx'; status: number; only?: RequestFilter }
  | { kind: 'blackhole'; only?: RequestFilter };

export type FaultKind = FaultMode['kind'];

/**
 * An HTTP proxy on a free loopback port in front of a real server (lakeFS, MinIO), whose
 * behaviour a test switches at run time to inject faults between lakemirror and that server.
 * Requests pass through unchanged (the Host header included, so S3 signatures stay valid).
 */
export class FaultProxy {
  private current: FaultMode = { kind: 'pass' };
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly agent = new Agent({ keepAlive: true });
  private readonly counts: Record<FaultKind, number> = { pass: 0, down: 0, slow: 0, http5xx: 0, blackhole: 0 };
  private listening = false;

  private constructor(
    private readonly target: URL,
    readonly port: number,
  ) {
    this.server = createServer((req, res) => this.handle(req, res));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
  }

  /** Starts a proxy in `pass` mode in front of `target` (e.g. http://127.0.0.1:8200). */
  static async start(target: string, port?: number): Promise<FaultProxy> {
    const proxy = new FaultProxy(new URL(target), port ?? (await freePort()));
    await proxy.listen();
    return proxy;
  }

  /** The URL to give clients in place of the target's. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get mode(): FaultMode {
    return this.current;
  }

  /** Requests received so far, in total or in one mode (none are received while down). */
  requests(kind?: FaultKind): number {
    return kind ? this.counts[kind] : Object.values(this.counts).reduce((a, b) => a + b, 0);
  }

  /** Switches the mode; resolves once it applies to every new connection and request. */
  async set(mode: FaultMode): Promise<void> {
    this.current = mode;
    if (mode.kind === 'down') await this.unlisten();
    else await this.listen();
  }

  pass(): Promise<void> {
    return this.set({ kind: 'pass' });
  }

  down(): Promise<void> {
    return this.set({ kind: 'down' });
  }

  slow(delayMs: number, only?: RequestFilter): Promise<void> {
    return this.set({ kind: 'slow', delayMs, only });
  }

  http5xx(status = 503, only?: RequestFilter): Promise<void> {
    return this.set({ kind: 'http5xx', status, only });
  }

  blackhole(only?: RequestFilter): Promise<void> {
    return this.set({ kind: 'blackhole', only });
  }

  /** Stops listening and drops every connection, answered or not. */
  async stop(): Promise<void> {
    await this.unlisten();
    this.agent.destroy();
  }

  private async listen(): Promise<void> {
    if (this.listening) return;
    this.server.listen(this.port, '127.0.0.1');
    await once(this.server, 'listening');
    this.listening = true;
  }

  private async unlisten(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    if (!this.listening) return;
    this.listening = false;
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chosen = this.current;
    const applies = !('only' in chosen) || !chosen.only || chosen.only({ method: req.method ?? '', url: req.url ?? '' });
    const mode: FaultMode = applies ? chosen : { kind: 'pass' };
    this.counts[mode.kind]++;
    switch (mode.kind) {
      case 'pass':
        return this.forward(req, res);
      case 'slow': {
        const timer = setTimeout(() => this.forward(req, res), mode.delayMs);
        res.once('close', () => clearTimeout(timer));
        return;
      }
      case 'http5xx': {
        req.resume();
        const body = JSON.stringify({ message: `fault injected: HTTP ${mode.status}` });
        res.writeHead(mode.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
        res.end(body);
        return;
      }
      case 'blackhole':
        // Read the request so the client believes it was sent, then never answer.
        req.resume();
        return;
      case 'down':
        // A connection accepted just before the mode changed: drop it like the rest.
        req.socket.destroy();
        return;
    }
  }

  private forward(req: IncomingMessage, res: ServerResponse): void {
    if (req.socket.destroyed) return;
    const upstream = request(
      {
        host: this.target.hostname,
        port: this.target.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
        agent: this.agent,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
        answer.pipe(res);
      },
    );
    // The real server failing is passed on as it is: the client's connection drops.
    upstream.on('error', () => req.socket.destroy());
    res.once('close', () => res.writableFinished || upstream.destroy());
    req.pipe(upstream);
  }
}
