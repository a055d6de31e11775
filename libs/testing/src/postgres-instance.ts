import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, chownSync, copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { portAnswers } from './port-answers';
import { waitFor } from './wait-for';

export interface PostgresInstanceOptions {
  /**
   * Serves TLS with this certificate and key (copied into the instance's directory, readable by
   * the server only), and TLS only: every TCP connection must use it (hostssl in pg_hba.conf).
   */
  ssl?: { certFile: string; keyFile: string };
}

/**
 * A PostgreSQL server of a test's own, on its own port, from the machine's PostgreSQL binaries
 * (Debian's /usr/lib/postgresql/<version>/bin), with trust authentication on 127.0.0.1, for
 * tests that stop, crash or reconfigure PostgreSQL: the machine's server (5432) is never touched.
 * PostgreSQL refuses to run as root, so under root the server runs as the `postgres` user.
 */
export class PostgresInstance {
  private process?: ChildProcess;
  private readonly dir = mkdtempSync(path.join(tmpdir(), 'lakemirror-postgres-'));
  private readonly owner = postgresOwner();

  private constructor(
    readonly port: number,
    private readonly options: PostgresInstanceOptions,
  ) {}

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  private get dataDir(): string {
    return path.join(this.dir, 'data');
  }

  static async start(port: number, options: PostgresInstanceOptions = {}): Promise<PostgresInstance> {
    const instance = new PostgresInstance(port, options);
    try {
      instance.initialize();
      await instance.up();
    } catch (error) {
      await instance.stop();
      throw error;
    }
    return instance;
  }

  /** Starts the server (again) on the same port and data; resolves once it answers queries. */
  async up(): Promise<void> {
    if (this.process) return;
    if (await portAnswers(this.port)) throw new Error(`port ${this.port} is already in use; a test PostgreSQL needs a free port`);
    let server = this.spawnServer();
    await waitFor(
      `test PostgreSQL on port ${this.port}`,
      async () => {
        if (server.child.exitCode !== null) {
          // After a crash, backends killed with the postmaster can hold its shared memory a moment longer: start again.
          if (server.output().includes('pre-existing shared memory block')) {
            server = this.spawnServer();
            return false;
          }
          throw new Error(`postgres exited with code ${server.child.exitCode}: ${server.output().slice(-2000)}`);
        }
        // The probe only asks whether the server answers: a TLS-only server with an unverified certificate.
        return answersQueries(this.options.ssl ? `${this.url}?sslmode=no-verify` : this.url);
      },
      { timeoutMs: 30_000, intervalMs: 100 },
    );
  }

  private spawnServer(): { child: ChildProcess; output: () => string } {
    let output = '';
    const child = spawn(path.join(binDir(), 'postgres'), ['-D', this.dataDir, '-p', String(this.port), ...this.settings()], {
      cwd: this.dir,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so that crash() kills the backends with the postmaster.
      detached: true,
      ...this.owner,
    });
    child.stdout?.on('data', (d) => (output += d));
    child.stderr?.on('data', (d) => (output += d));
    this.process = child;
    return { child, output: () => output };
  }

  /** Stops the server with a fast shutdown (SIGINT: sessions are ended, the data is kept). */
  async down(): Promise<void> {
    await this.end('SIGINT');
  }

  /** Kills the server and its sessions (SIGKILL, as a crash) and starts it again: it recovers from its WAL. */
  async crash(): Promise<void> {
    await this.end('SIGKILL');
    await this.up();
  }

  /** Kills the server and removes its data. */
  async stop(): Promise<void> {
    await this.end('SIGKILL');
    rmSync(this.dir, { recursive: true, force: true });
  }

  private initialize(): void {
    if (this.owner.uid !== undefined) chownSync(this.dir, this.owner.uid, this.owner.gid as number);
    execFileSync(path.join(binDir(), 'initdb'), ['-D', this.dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync'], {
      cwd: this.dir,
      stdio: 'pipe',
      ...this.owner,
    });
    if (this.options.ssl) {
      this.copyOwned(this.options.ssl.certFile, 'server.crt', 0o644);
      this.copyOwned(this.options.ssl.keyFile, 'server.key', 0o600);
      const hba = path.join(this.dataDir, 'pg_hba.conf');
      writeFileSync(hba, readFileSync(hba, 'utf8').replace(/^host(\s)/gm, 'hostssl$1'));
    }
  }

  private settings(): string[] {
    // fsync off: a crash here kills processes, not the machine, so the OS still holds every write.
    const settings = ['listen_addresses=127.0.0.1', `unix_socket_directories=${this.dir}`, 'fsync=off', 'max_connections=200'];
    if (this.options.ssl) {
      settings.push('ssl=on', `ssl_cert_file=${path.join(this.dir, 'server.crt')}`, `ssl_key_file=${path.join(this.dir, 'server.key')}`);
    }
    return settings.flatMap((setting) => ['-c', setting]);
  }

  private copyOwned(from: string, name: string, mode: number): void {
    const to = path.join(this.dir, name);
    copyFileSync(from, to);
    chmodSync(to, mode);
    if (this.owner.uid !== undefined) chownSync(to, this.owner.uid, this.owner.gid as number);
  }

  private async end(signal: NodeJS.Signals): Promise<void> {
    const child = this.process;
    this.process = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    if (signal === 'SIGKILL') process.kill(-(child.pid as number), 'SIGKILL');
    else child.kill(signal);
    await exited;
    await waitFor(`test PostgreSQL on port ${this.port} to stop listening`, async () => !(await portAnswers(this.port)), {
      timeoutMs: 30_000,
      intervalMs: 50,
    });
  }
}

/** The bin directory of the newest PostgreSQL installed the Debian way. */
function binDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = readdirSync(root)
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a));
  if (versions.length === 0) throw new Error(`no PostgreSQL under ${root}: install the postgresql package`);
  return path.join(root, versions[0], 'bin');
}

/** Under root, the user and group of `postgres` (the server refuses to run as root); otherwise the current user. */
function postgresOwner(): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

async function answersQueries(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } finally {
    await client.end().catch(() => undefined);
  }
}
