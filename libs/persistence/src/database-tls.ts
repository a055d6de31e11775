import { readFileSync } from 'node:fs';
import type { ConnectionOptions, TlsOptions } from 'node:tls';
import { ConfigError, DatabaseTls, EnvReader, readDatabaseSettings } from '@lakemirror/config';

/** The TLS settings a database URL implies on its own (sslmode, no files), validated as at start-up. */
export function databaseTlsOf(url: string): DatabaseTls {
  const env = new EnvReader({ LAKEMIRROR_DATABASE_URL: url });
  const { databaseTls } = readDatabaseSettings(env);
  if (env.problems.length > 0) throw new ConfigError(env.problems);
  return databaseTls;
}

/** node-postgres' `ssl` option: TLS options with the client's host-name check. */
export type PostgresTlsOptions = TlsOptions & Pick<ConnectionOptions, 'checkServerIdentity'>;

/**
 * node-postgres' `ssl` option for lakemirror's sslmode semantics. Set explicitly for every mode so
 * that neither node-postgres' own reading of sslmode (stricter than libpq's for require, and
 * changing across its versions) nor PGSSLMODE in the environment can change what a setting means.
 */
export function postgresTlsOptions(tls: DatabaseTls): false | PostgresTlsOptions {
  if (tls.sslmode === 'disable') return false;
  const options: PostgresTlsOptions = {};
  if (tls.caFile) options.ca = readFileSync(tls.caFile);
  if (tls.certFile) options.cert = readFileSync(tls.certFile);
  if (tls.keyFile) options.key = readFileSync(tls.keyFile);
  // require: encrypted only, as in libpq (a CA file with require is refused by the configuration).
  if (tls.sslmode === 'require') options.rejectUnauthorized = false;
  // verify-ca: the chain is checked, the host name is not.
  if (tls.sslmode === 'verify-ca') options.checkServerIdentity = () => undefined;
  return options;
}

/** The sslmode behind postgresTlsOptions' result, for messages. */
export function sslmodeOf(ssl: unknown): DatabaseTls['sslmode'] {
  if (!ssl) return 'disable';
  const options = ssl as PostgresTlsOptions;
  if (options.rejectUnauthorized === false) return 'require';
  return options.checkServerIdentity ? 'verify-ca' : 'verify-full';
}

/** The URL without its TLS parameters, which node-postgres would otherwise read over the `ssl` option. */
export function withoutTlsParameters(url: string): string {
  const parsed = new URL(url);
  if (!parsed.searchParams.has('sslmode')) return url;
  parsed.searchParams.delete('sslmode');
  return parsed.toString();
}
