import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Marks lakemirror hook tokens, so that a leaked one is recognisable (secret scanners, logs). */
export const HOOK_TOKEN_PREFIX = 'lmh_';
const TOKEN_BYTES = 32;
const SHA256_HEX = /^[0-9a-f]{64}$/;
// Compared against when a mirror has no token, so that the answer takes as long as for a wrong token.
const NO_TOKEN = '0'.repeat(64);

/** A new hook token: 256 random bits, URL-safe. */
export function newHookToken(): string {
  return `${HOOK_TOKEN_PREFIX}${randomBytes(TOKEN_BYTES).toString('base64url')}`;
}

/** What is stored of a token: its hex SHA-256 (the token is random, so no slow hash is needed). */
export function hookTokenSha256(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Whether `presented` is the token whose SHA-256 is `storedSha256`, compared in constant time. */
export function hookTokenMatches(presented: string, storedSha256: string | undefined): boolean {
  const stored = storedSha256 !== undefined && SHA256_HEX.test(storedSha256) ? storedSha256 : undefined;
  const equal = timingSafeEqual(Buffer.from(hookTokenSha256(presented), 'hex'), Buffer.from(stored ?? NO_TOKEN, 'hex'));
  return equal && stored !== undefined;
}
