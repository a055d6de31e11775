import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** PEM files of a throwaway certificate authority and one server certificate it signed. */
export interface TestCertificates {
  caFile: string;
  certFile: string;
  keyFile: string;
  /** Removes every file. */
  remove(): void;
}

/**
 * Generates (openssl) a CA valid for a day and a server certificate signed by it for
 * `subjectAltNames` (e.g. ["IP:127.0.0.1"]), in a temporary directory of their own.
 */
export function createTestCertificates(subjectAltNames: string[]): TestCertificates {
  const dir = mkdtempSync(path.join(tmpdir(), 'lakemirror-tls-'));
  const file = (name: string) => path.join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl('req', '-x509', ...ecKey, '-keyout', file('ca.key'), '-out', file('ca.crt'), '-days', '1', '-subj', '/CN=lakemirror test CA');
  openssl('req', ...ecKey, '-keyout', file('server.key'), '-out', file('server.csr'), '-subj', '/CN=lakemirror test server');
  writeFileSync(file('server.ext'), `subjectAltName=${subjectAltNames.join(',')}\n`);
  openssl(
    'x509',
    '-req',
    '-in',
    file('server.csr'),
    '-CA',
    file('ca.crt'),
    '-CAkey',
    file('ca.key'),
    '-CAcreateserial',
    '-out',
    file('server.crt'),
    '-days',
    '1',
    '-extfile',
    file('server.ext'),
  );
  return {
    caFile: file('ca.crt'),
    certFile: file('server.crt'),
    keyFile: file('server.key'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
