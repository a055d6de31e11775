import { ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { portAnswers } from './port-answers';
import { waitFor } from './wait-for';

/**
 * A Redis server of a test's own, on its own port, for tests that kill, flush or reconfigure
 * Redis: the machine's Redis (6379) is never touched.
 */
export class RedisInstance {
  private process?: ChildProcess;
  private readonly dir = mkdtempSync(path.join(tmpdir(), 'lakemirror-redis-'));
  private extraArgs: string[] = [];

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
    this.forgetSavedData();
    await this.launch(extraArgs);
  }

  /**
   * Stops the server: with `keepData`, as an operator would (SHUTDOWN SAVE writes dump.rdb,
   * which up() loads); otherwise killed, losing everything.
   */
  async down(options: { keepData?: boolean } = {}): Promise<void> {
    if (!options.keepData) {
      await this.kill();
      this.forgetSavedData();
      return;
    }
    const child = this.process;
    this.process = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = once(child, 'exit');
    // redis-cli reports the connection the server closed as an error: the exit is what counts.
    execFile('redis-cli', ['-p', String(this.port), 'SHUTDOWN', 'SAVE'], () => undefined);
    await exited;
  }

  /** Starts the server again on the same port and directory (with the data down() kept, if any). */
  async up(): Promise<void> {
    if (this.process) return;
    await this.launch(this.extraArgs);
  }

  async stop(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async launch(extraArgs: string[]): Promise<void> {
    this.extraArgs = extraArgs;
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

  private forgetSavedData(): void {
    rmSync(path.join(this.dir, 'dump.rdb'), { force: true });
  }
}
