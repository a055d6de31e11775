import type { DatabaseSslMode, DatabaseTls, TlsFiles } from './config.types';
import type { EnvReader } from './env-reader';

const SSL_MODES: readonly DatabaseSslMode[] = ['disable', 'require', 'verify-ca', 'verify-full'];
// node-postgres reads these from a URL with defaults of its own (unlike libpq's): lakemirror sets TLS
// itself from sslmode and the LAKEMIRROR_DATABASE_TLS_* files, so that one meaning holds.
const PG_TLS_PARAMETERS = ['ssl', 'sslcert', 'sslkey', 'sslrootcert', 'sslpassword', 'sslnegotiation', 'uselibpqcompat'];

/** Reads `<prefix>CA_FILE`, `<prefix>CERT_FILE` and `<prefix>KEY_FILE`; a client certificate needs its key. */
function readTlsFiles(env: EnvReader, prefix: string, what: string): TlsFiles {
  const files: TlsFiles = {
    caFile: env.file(`${prefix}CA_FILE`, `CA certificate (PEM) that signed the ${what} server's certificate`),
    certFile: env.file(`${prefix}CERT_FILE`, `client certificate (PEM) for ${what}`),
    keyFile: env.file(`${prefix}KEY_FILE`, `client key (PEM) for ${what}`),
  };
  if ((files.certFile === undefined) !== (files.keyFile === undefined)) {
    env.problems.push(`${prefix}CERT_FILE and ${prefix}KEY_FILE go together (a client certificate and its key)`);
  }
  return files;
}

function anyFile(files: TlsFiles): boolean {
  return files.caFile !== undefined || files.certFile !== undefined || files.keyFile !== undefined;
}

/** LAKEMIRROR_REDIS_URL (redis:// or rediss://) and the files of its TLS. */
export function readRedisSettings(env: EnvReader): { redisUrl: string; redisTls: TlsFiles } {
  const redisUrl = env.url('LAKEMIRROR_REDIS_URL', 'Redis for the job queues', ['redis:', 'rediss:'], 'redis://127.0.0.1:6379');
  const redisTls = readTlsFiles(env, 'LAKEMIRROR_REDIS_TLS_', 'Redis');
  if (anyFile(redisTls) && !/^rediss:/i.test(redisUrl)) {
    env.problems.push('LAKEMIRROR_REDIS_TLS_* files are set, but LAKEMIRROR_REDIS_URL does not use TLS (use rediss://)');
  }
  return { redisUrl, redisTls };
}

/**
 * LAKEMIRROR_DATABASE_URL, its sslmode (default disable) and the LAKEMIRROR_DATABASE_TLS_* files.
 * Refuses what would be ambiguous: libpq's prefer/allow (no silent fallback to plain text), TLS
 * parameters node-postgres would interpret its own way, and a CA file with sslmode=require
 * (which never checks the certificate).
 */
export function readDatabaseSettings(env: EnvReader): { databaseUrl: string; databaseTls: DatabaseTls } {
  const databaseUrl = env.url('LAKEMIRROR_DATABASE_URL', 'PostgreSQL for mirror state', ['postgres:', 'postgresql:']);
  const files = readTlsFiles(env, 'LAKEMIRROR_DATABASE_TLS_', 'PostgreSQL');
  const parameters = urlParameters(databaseUrl);
  for (const name of PG_TLS_PARAMETERS.filter((p) => parameters.has(p))) {
    env.problems.push(
      `LAKEMIRROR_DATABASE_URL: the "${name}" parameter is not supported; use sslmode=require|verify-ca|verify-full and LAKEMIRROR_DATABASE_TLS_CA_FILE, _CERT_FILE, _KEY_FILE`,
    );
  }
  let sslmode = (parameters.get('sslmode') ?? 'disable') as DatabaseSslMode;
  if (!SSL_MODES.includes(sslmode)) {
    env.problems.push(`LAKEMIRROR_DATABASE_URL: sslmode must be one of ${SSL_MODES.join(', ')}, got "${sslmode}"`);
    sslmode = 'disable';
  } else if (sslmode === 'disable' && anyFile(files)) {
    env.problems.push('LAKEMIRROR_DATABASE_TLS_* files are set, but LAKEMIRROR_DATABASE_URL has no sslmode (add sslmode=verify-full)');
  } else if (sslmode === 'require' && files.caFile !== undefined) {
    env.problems.push('LAKEMIRROR_DATABASE_TLS_CA_FILE is set with sslmode=require, which does not check certificates: use sslmode=verify-ca or verify-full');
  }
  return { databaseUrl, databaseTls: { sslmode, ...files } };
}

function urlParameters(url: string): URLSearchParams {
  try {
    return new URL(url).searchParams;
  } catch {
    return new URLSearchParams();
  }
}
