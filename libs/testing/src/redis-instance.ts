import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { waitFor } from './wait-for';

/**
 * A Redis server of a test's own, on its own port, for tests that kill, flush or reconfigure
 * Redis: the machine's Redis (6379) is never touched.
 */
export class RedisInstance {
  private process?: ChildProcess;
  private readonly dir = mkdtempSync(path.join(tmpdir(), 'lakemirror-redis-'));

  private constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(port: number, extraArgs: string[] = []): Promise<RedisInstance> {
    const instance = new RedisInstance(port);
    await instance.launch(extraArgs);
    return instance;
  }

  /** Kills the server (SIGKILL, as a crash) and starts it again with nothing in memory. */
  async restartEmpty(extraArgs: string[] = []): Promise<void> {
    await this.kill();
    await this.launch(extraArgs);
  }

  async stop(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async launch(extraArgs: string[]): Promise<void> {
    if (await portAnswers(this.port)) throw new Error(`port ${this.port} is already in use; a test Redis needs a free port`);
    this.process = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', this.dir, ...extraArgs],
      { stdio: 'ignore' },
    );
    await waitFor(`test Redis on port ${this.port}`, () => portAnswers(this.port), { timeoutMs: 10_000, intervalMs: 50 });
  }

  private async kill(): Promise<void> {
    const child = this.process;
    this.process = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  }
}

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
