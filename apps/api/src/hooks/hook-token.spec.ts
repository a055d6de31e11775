import { HOOK_TOKEN_PREFIX, hookTokenMatches, hookTokenSha256, newHookToken } from './hook-token';

describe('hook tokens', () => {
  it('are random, prefixed and URL-safe', () => {
    const [a, b] = [newHookToken(), newHookToken()];
    expect(a).not.toBe(b);
    expect(a.startsWith(HOOK_TOKEN_PREFIX)).toBe(true);
    expect(a).toMatch(/^lmh_[A-Za-z0-9_-]{43}$/);
  });

  it('match only the token whose hash is stored', () => {
    const token = newHookToken();
    const stored = hookTokenSha256(token);
    expect(stored).toMatch(/^[0-9a-f]{64}$/);
    expect(hookTokenMatches(token, stored)).toBe(true);
    expect(hookTokenMatches(newHookToken(), stored)).toBe(false);
    expect(hookTokenMatches(`${token}x`, stored)).toBe(false);
    expect(hookTokenMatches('', stored)).toBe(false);
  });

  it('never match when the mirror has no token or a malformed hash', () => {
    const token = newHookToken();
    expect(hookTokenMatches(token, undefined)).toBe(false);
    expect(hookTokenMatches(token, 'not-a-hash')).toBe(false);
    expect(hookTokenMatches(token, hookTokenSha256(token).toUpperCase())).toBe(false);
  });
});
